namespace Reproduce.LinearProgramming;

/// <summary>A malformed MPS file: the message names the line number, the column, the offending token and the fix.</summary>
public sealed class MpsFormatException(int line, int column, string token, string message)
    : FormatException($"MPS line {line}{(column > 0 ? $", column {column}" : "")}, token '{token}': {message}")
{
    /// <summary>Without a column (0: unknown).</summary>
    public MpsFormatException(int line, string token, string message) : this(line, 0, token, message) { }

    /// <summary>1-based line number (0: the whole file).</summary>
    public int Line { get; } = line;
    /// <summary>1-based column where the token starts (0: unknown).</summary>
    public int Column { get; } = column;
    /// <summary>The offending token.</summary>
    public string Token { get; } = token;
}
