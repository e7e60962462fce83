using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reproduce.Cli.Kernel;

/// <summary>Turns Jupyter messages into ZeroMQ frames and back:
/// <c>[identities..., "&lt;IDS|MSG&gt;", signature, header, parent_header, metadata, content, buffers...]</c>,
/// signing with <see cref="MessageSigner"/> and rejecting frames whose signature does not verify,
/// and signed messages already received (a replay: someone who captured a signed execute_request
/// could otherwise run it again), as ipykernel's digest history does.</summary>
public sealed class WireCodec(MessageSigner signer)
{
    /// <summary>How many signatures are remembered; the oldest are forgotten first. A message id is a
    /// fresh UUID in the signed header, so a genuine message never repeats a signature.</summary>
    public const int DigestHistorySize = 1 << 16;

    private readonly HashSet<string> seen = new(StringComparer.Ordinal);
    private readonly Queue<string> seenOrder = new();

    /// <summary>The delimiter between routing identities and the message proper.</summary>
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>Serializes and signs a message into frames.</summary>
    public List<byte[]> Encode(JupyterMessage m)
    {
        byte[] header = Json(m.Header), parent = Json(m.ParentHeader), metadata = Json(m.Metadata), content = Json(m.Content);
        var frames = new List<byte[]>(m.Identities.Count + 6 + m.Buffers.Count);
        frames.AddRange(m.Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(header, parent, metadata, content)));
        frames.Add(header);
        frames.Add(parent);
        frames.Add(metadata);
        frames.Add(content);
        frames.AddRange(m.Buffers);
        return frames;
    }

    /// <summary>Parses frames into a message. Throws <see cref="WireFormatException"/> for a missing
    /// delimiter, too few frames, malformed JSON, or a signature that does not verify.</summary>
    public JupyterMessage Decode(IReadOnlyList<byte[]> frames)
    {
        int d = -1;
        for (int i = 0; i < frames.Count; i++)
            if (frames[i].AsSpan().SequenceEqual(Delimiter)) { d = i; break; }
        if (d < 0) throw new WireFormatException("no <IDS|MSG> delimiter frame");
        if (frames.Count < d + 6) throw new WireFormatException($"{frames.Count - d - 1} frames after the delimiter; expected at least 5 (signature, header, parent_header, metadata, content)");
        byte[] sig = frames[d + 1], header = frames[d + 2], parent = frames[d + 3], metadata = frames[d + 4], content = frames[d + 5];
        if (!signer.Verify(sig, header, parent, metadata, content))
            throw new WireFormatException("invalid HMAC signature", badSignature: true);
        if (signer.Enabled) RememberDigest(Encoding.ASCII.GetString(sig).ToLowerInvariant());
        var h = Obj(header, "header");
        if (h["msg_type"] is null) throw new WireFormatException("header has no msg_type");
        return new JupyterMessage
        {
            Identities = frames.Take(d).ToList(),
            Header = h,
            ParentHeader = Obj(parent, "parent_header"),
            Metadata = Obj(metadata, "metadata"),
            Content = Obj(content, "content"),
            Buffers = frames.Skip(d + 6).ToList(),
        };
    }

    private void RememberDigest(string digest)
    {
        lock (seen)
        {
            if (!seen.Add(digest))
                throw new WireFormatException("a replayed message (its signature was already received)", badSignature: true);
            seenOrder.Enqueue(digest);
            if (seenOrder.Count > DigestHistorySize) seen.Remove(seenOrder.Dequeue());
        }
    }

    private static byte[] Json(JsonObject o) => JsonSerializer.SerializeToUtf8Bytes(o, Compact);

    private static JsonObject Obj(byte[] frame, string part)
    {
        try
        {
            return JsonNode.Parse(frame) as JsonObject ?? throw new WireFormatException($"{part} is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new WireFormatException($"{part} is not valid JSON: {e.Message}");
        }
    }
}
