namespace Reproduce.LinearProgramming;

/// <summary>A malformed MPS file: the message names the line number, the offending token and the fix.</summary>
public sealed class MpsFormatException(int line, string token, string message)
    : FormatException($"MPS line {line}, token '{token}': {message}")
{
    /// <summary>1-based line number.</summary>
    public int Line { get; } = line;
    /// <summary>The offending token.</summary>
    public string Token { get; } = token;
}
