namespace Reproduce.Serving;

/// <summary>A malformed JSONL trace line; the message names the file line and the fix.</summary>
public sealed class TraceFormatException(int line, string message) : FormatException($"Trace line {line}: {message}")
{
    /// <summary>1-based line number of the bad line.</summary>
    public int Line { get; } = line;
}
