using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reproduce.Cli.Kernel;

/// <summary>A Jupyter connection file: transport, ip, the five ports, the signing key and scheme
/// (Jupyter client docs, "Connection files").</summary>
public sealed record ConnectionInfo(
    string Transport, string Ip, int ShellPort, int IopubPort, int StdinPort, int ControlPort, int HbPort,
    string Key, string SignatureScheme)
{
    /// <summary>Reads and validates a connection file; errors name the file, the field and the fix.</summary>
    public static ConnectionInfo Load(string path)
    {
        if (!File.Exists(path))
            throw new ArgumentException($"Connection file '{path}' does not exist. Jupyter passes it as --connection-file {{connection_file}}.", nameof(path));
        JsonNode? node;
        try { node = JsonNode.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new ArgumentException($"Connection file '{path}' is not valid JSON: {e.Message}", nameof(path)); }
        if (node is not JsonObject o) throw new ArgumentException($"Connection file '{path}' must hold a JSON object.", nameof(path));
        return Parse(o, path);
    }

    /// <summary>Parses the JSON object of a connection file.</summary>
    public static ConnectionInfo Parse(JsonObject o, string source = "connection file")
    {
        int Port(string name)
        {
            var v = o[name] ?? throw new ArgumentException($"{source}: missing '{name}'. A Jupyter connection file lists shell_port, iopub_port, stdin_port, control_port and hb_port.");
            int p = v.GetValueKind() == JsonValueKind.String ? int.Parse(v.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) : v.GetValue<int>();
            if (p is < 0 or > 65535) throw new ArgumentException($"{source}: '{name}' = {p} is not a port (0..65535).");
            return p;
        }
        string transport = o["transport"]?.GetValue<string>() ?? "tcp";
        if (transport is not ("tcp" or "ipc"))
            throw new ArgumentException($"{source}: transport '{transport}' is not supported; use \"tcp\" or \"ipc\".");
        string scheme = o["signature_scheme"]?.GetValue<string>() ?? "hmac-sha256";
        string key = o["key"]?.GetValue<string>() ?? "";
        if (key.Length > 0 && scheme != "hmac-sha256")
            throw new ArgumentException($"{source}: signature_scheme '{scheme}' is not supported; use \"hmac-sha256\".");
        return new ConnectionInfo(transport, o["ip"]?.GetValue<string>() ?? "127.0.0.1",
            Port("shell_port"), Port("iopub_port"), Port("stdin_port"), Port("control_port"), Port("hb_port"), key, scheme);
    }
}
