using System.Text.Json.Nodes;

namespace Reproduce.Cli.Kernel;

/// <summary>One Jupyter message (messaging protocol 5.3): the routing identities, header, parent
/// header, metadata, content and binary buffers. JSON parts are kept as <see cref="JsonObject"/>.</summary>
public sealed class JupyterMessage
{
    /// <summary>The protocol version this kernel speaks.</summary>
    public const string ProtocolVersion = "5.3";

    /// <summary>ZeroMQ routing prefixes (the frames before &lt;IDS|MSG&gt;); replies go back to them.</summary>
    public IReadOnlyList<byte[]> Identities { get; init; } = [];
    public required JsonObject Header { get; init; }
    public JsonObject ParentHeader { get; init; } = [];
    public JsonObject Metadata { get; init; } = [];
    public JsonObject Content { get; init; } = [];
    public IReadOnlyList<byte[]> Buffers { get; init; } = [];

    /// <summary>header.msg_type, or "" when missing.</summary>
    public string MsgType => Header["msg_type"]?.GetValue<string>() ?? "";

    /// <summary>header.msg_id, or "" when missing.</summary>
    public string MsgId => Header["msg_id"]?.GetValue<string>() ?? "";

    /// <summary>A fresh header (new uuid msg_id, UTC ISO-8601 date, protocol 5.3).</summary>
    public static JsonObject NewHeader(string msgType, string session, string username = "kernel") => new()
    {
        ["msg_id"] = Guid.NewGuid().ToString(),
        ["session"] = session,
        ["username"] = username,
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture),
        ["msg_type"] = msgType,
        ["version"] = ProtocolVersion,
    };
}
