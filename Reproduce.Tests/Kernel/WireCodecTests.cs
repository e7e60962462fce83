using System.Text;
using System.Text.Json.Nodes;
using Reproduce.Cli.Kernel;

namespace Reproduce.Tests.Kernel;

/// <summary>The Jupyter wire format and its HMAC-SHA256 signatures (messaging protocol 5.3, "The Wire Protocol").</summary>
public class WireCodecTests
{
    private const string Key = "5f6d1d3e-0c2b-4f6e-9a1e-1234567890ab";

    [Fact]
    public void Signature_matches_python_hmac()
    {
        // Oracle: Python's hmac.new(key, digestmod=sha256) updated with the four frames, hexdigest().
        var s = new MessageSigner(Key);
        string sig = s.Sign("{\"msg_id\":\"1\",\"msg_type\":\"kernel_info_request\"}"u8, "{}"u8, "{}"u8, "{}"u8);
        Assert.Equal("70167d99b40182d04314a230d2c5d2546bf42995d045947f3f7534d2eb7d22ec", sig);
    }

    [Fact]
    public void Empty_key_disables_signing()
    {
        var s = new MessageSigner("");
        Assert.False(s.Enabled);
        Assert.Equal("", s.Sign("{}"u8, "{}"u8, "{}"u8, "{}"u8));
        Assert.True(s.Verify(""u8, "{}"u8, "{}"u8, "{}"u8, "{}"u8));
    }

    [Fact]
    public void Encode_then_decode_round_trips_identities_parts_and_buffers()
    {
        var codec = new WireCodec(new MessageSigner(Key));
        var m = new JupyterMessage
        {
            Identities = [[1, 2, 3], Encoding.UTF8.GetBytes("client-b")],
            Header = JupyterMessage.NewHeader("execute_request", "s1"),
            ParentHeader = new JsonObject { ["msg_id"] = "p" },
            Metadata = new JsonObject { ["m"] = 1 },
            Content = new JsonObject { ["code"] = "1+1", ["silent"] = false, ["text"] = "ünïcødé 𝜋" },
            Buffers = [[9, 8, 7]],
        };
        var frames = codec.Encode(m);
        Assert.Equal(2 + 6 + 1, frames.Count);
        Assert.Equal("<IDS|MSG>", Encoding.ASCII.GetString(frames[2]));
        Assert.Equal(64, frames[3].Length);
        var back = codec.Decode(frames);
        Assert.Equal(2, back.Identities.Count);
        Assert.Equal(new byte[] { 1, 2, 3 }, back.Identities[0]);
        Assert.Equal("execute_request", back.MsgType);
        Assert.Equal(m.MsgId, back.MsgId);
        Assert.Equal("5.3", back.Header["version"]!.GetValue<string>());
        Assert.Equal("p", back.ParentHeader["msg_id"]!.GetValue<string>());
        Assert.Equal("ünïcødé 𝜋", back.Content["text"]!.GetValue<string>());
        Assert.Equal(new byte[] { 9, 8, 7 }, Assert.Single(back.Buffers));
    }

    [Fact]
    public void Decode_rejects_a_wrong_key_and_a_tampered_frame()
    {
        var m = new JupyterMessage { Header = JupyterMessage.NewHeader("kernel_info_request", "s"), Content = new JsonObject { ["a"] = 1 } };
        var frames = new WireCodec(new MessageSigner("other-key")).Encode(m);
        var codec = new WireCodec(new MessageSigner(Key));
        Assert.True(Assert.Throws<WireFormatException>(() => codec.Decode(frames)).BadSignature);

        var good = codec.Encode(m);
        Assert.NotNull(codec.Decode(good));
        var tampered = good.Select(f => (byte[])f.Clone()).ToList();
        tampered[^1] = Encoding.UTF8.GetBytes("{\"a\":2}");
        Assert.True(Assert.Throws<WireFormatException>(() => codec.Decode(tampered)).BadSignature);

        var badHex = good.Select(f => (byte[])f.Clone()).ToList();
        badHex[1] = Encoding.ASCII.GetBytes(new string('z', 64));
        Assert.True(Assert.Throws<WireFormatException>(() => codec.Decode(badHex)).BadSignature);

        var unsigned = good.Select(f => (byte[])f.Clone()).ToList();
        unsigned[1] = [];
        Assert.True(Assert.Throws<WireFormatException>(() => codec.Decode(unsigned)).BadSignature);
    }

    [Fact]
    public void A_signed_message_is_accepted_once_and_its_replay_is_rejected()
    {
        // Issue 19: replayed signed messages executed twice. Identities are routing frames outside
        // the signature, so a replay from another socket must be caught too.
        var codec = new WireCodec(new MessageSigner(Key));
        JupyterMessage Execute() => new()
        {
            Identities = [[1]],
            Header = JupyterMessage.NewHeader("execute_request", "s"),
            Content = new JsonObject { ["code"] = "File.Delete(\"x\")" },
        };
        var frames = codec.Encode(Execute());
        Assert.Equal("execute_request", codec.Decode(frames).MsgType);
        var replay = Assert.Throws<WireFormatException>(() => codec.Decode(frames));
        Assert.True(replay.BadSignature);
        Assert.Contains("replayed", replay.Message);
        var otherRoute = frames.Select(f => (byte[])f.Clone()).ToList();
        otherRoute[0] = [2];
        Assert.Contains("replayed", Assert.Throws<WireFormatException>(() => codec.Decode(otherRoute)).Message);
        // The same request sent again by a client is a new message (a new msg_id, so a new signature).
        Assert.Equal("execute_request", codec.Decode(codec.Encode(Execute())).MsgType);
    }

    [Fact]
    public void Decode_rejects_malformed_frames_with_a_reason()
    {
        var codec = new WireCodec(new MessageSigner(""));
        Assert.Contains("delimiter", Assert.Throws<WireFormatException>(() => codec.Decode([[1], "{}"u8.ToArray()])).Message);
        Assert.Contains("expected at least 5", Assert.Throws<WireFormatException>(() =>
            codec.Decode([WireCodec.Delimiter, [], "{}"u8.ToArray()])).Message);
        Assert.Contains("not valid JSON", Assert.Throws<WireFormatException>(() =>
            codec.Decode([WireCodec.Delimiter, [], "{not json"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray()])).Message);
        Assert.Contains("msg_type", Assert.Throws<WireFormatException>(() =>
            codec.Decode([WireCodec.Delimiter, [], "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray(), "{}"u8.ToArray()])).Message);
    }

    [Fact]
    public void Connection_file_parses_and_names_missing_fields()
    {
        var o = JsonNode.Parse("""{"shell_port": 1, "iopub_port": 2, "stdin_port": 3, "control_port": 4, "hb_port": 5, "ip": "127.0.0.1", "key": "k", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "reproduce-csharp"}""")!.AsObject();
        var c = ConnectionInfo.Parse(o);
        Assert.Equal((1, 2, 3, 4, 5, "k"), (c.ShellPort, c.IopubPort, c.StdinPort, c.ControlPort, c.HbPort, c.Key));
        o.Remove("hb_port");
        Assert.Contains("hb_port", Assert.Throws<ArgumentException>(() => ConnectionInfo.Parse(o)).Message);
        o["hb_port"] = 5;
        o["signature_scheme"] = "hmac-md5";
        Assert.Contains("hmac-md5", Assert.Throws<ArgumentException>(() => ConnectionInfo.Parse(o)).Message);
        Assert.Contains("does not exist", Assert.Throws<ArgumentException>(() => ConnectionInfo.Load("/nonexistent/kernel-1.json")).Message);
    }

    [Theory]
    [InlineData("abc", 2, 2)]
    [InlineData("a𝜋b", 2, 3)]
    [InlineData("a𝜋b", 3, 4)]
    [InlineData("a𝜋b", 99, 4)]
    public void Cursor_positions_convert_between_code_points_and_utf16(string s, int codePoints, int utf16)
    {
        Assert.Equal(utf16, CodePoints.ToUtf16(s, codePoints));
        Assert.Equal(Math.Min(codePoints, s.EnumerateRunes().Count()), CodePoints.FromUtf16(s, utf16));
    }
}
