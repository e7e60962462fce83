using System.Text.Json.Nodes;

namespace Reproduce.Cli.Kernel;

/// <summary>Console.In for cells: <c>Console.ReadLine()</c> sends an input_request on the stdin
/// channel to the front end that sent the running execute_request and returns its input_reply.
/// When that request had allow_stdin = false (nbclient, nbconvert) reading fails with a clear message.</summary>
internal sealed class KernelStdin(Func<JupyterMessage, string, string> request) : TextReader
{
    private volatile JupyterMessage? current;
    private volatile bool allowed;

    /// <summary>Sets the execute_request whose front end answers input (null: none running).</summary>
    public void Begin(JupyterMessage? executeRequest, bool allowStdin)
    {
        current = executeRequest;
        allowed = allowStdin;
    }

    public override string? ReadLine()
    {
        var parent = current ?? throw new InvalidOperationException("Console input is only available while a cell runs.");
        if (!allowed)
            throw new InvalidOperationException("This front end does not accept input (the execute_request has allow_stdin = false, as with nbclient/nbconvert). Set the value in the cell instead of reading it.");
        return request(parent, "");
    }

    public override int Read() => throw new NotSupportedException("Read one line at a time with Console.ReadLine() in a notebook cell.");

    public override string ReadToEnd() => ReadLine() ?? "";

    internal static JsonObject InputRequest(string prompt) => new() { ["prompt"] = prompt, ["password"] = false };
}
