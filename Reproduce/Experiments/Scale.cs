namespace Reproduce.Experiments;

/// <summary>How big an experiment runs. Smoke: seconds per figure on 2 CPU cores (CI).
/// Paper: the sizes of the paper, possibly needing the GPU.</summary>
public enum Scale
{
    Smoke,
    Paper,
}

/// <summary>Parsing helpers for <see cref="Scale"/> with user-facing errors.</summary>
public static class ScaleNames
{
    /// <summary>Parses "smoke" or "paper" (any case).</summary>
    public static Scale Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "smoke" => Scale.Smoke,
        "paper" => Scale.Paper,
        _ => throw new ArgumentException($"Unknown scale '{text}'. Use 'smoke' (seconds, CI) or 'paper' (the paper's sizes).", nameof(text)),
    };
}
