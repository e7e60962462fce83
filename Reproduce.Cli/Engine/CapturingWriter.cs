using System.Text;

namespace Reproduce.Cli.Engine;

/// <summary>A Console writer that sends text to the executing cell's collector (or drops it
/// when no cell is running, e.g. a timed-out cell's thread still printing).</summary>
internal sealed class CapturingWriter(Func<OutputCollector?> target, string streamName) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => target()?.Write(streamName, value.ToString());

    public override void Write(string? value)
    {
        if (value is not null) target()?.Write(streamName, value);
    }

    public override void Write(char[] buffer, int index, int count) => target()?.Write(streamName, new string(buffer, index, count));

    public override void WriteLine(string? value) => target()?.Write(streamName, (value ?? "") + "\n");

    public override void WriteLine() => target()?.Write(streamName, "\n");
}
