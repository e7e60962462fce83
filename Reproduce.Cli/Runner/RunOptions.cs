using Reproduce.Experiments;

namespace Reproduce.Cli.Runner;

/// <summary>How <c>reproduce run</c> executes notebooks.</summary>
public sealed record RunOptions
{
    /// <summary>Smoke (default) or paper.</summary>
    public Scale Scale { get; init; } = Scale.Smoke;

    /// <summary>"auto", "cpu" or "cuda".</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Seed override, or null to keep each notebook's own seed.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Folder for executed notebooks (and smoke-scale figures under figures/).</summary>
    public string OutDir { get; init; } = "out";

    /// <summary>Per-cell wall-time limit, or null for none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Write executed notebooks over the originals.</summary>
    public bool InPlace { get; init; }

    /// <summary>Keep running a notebook's later cells after a cell fails.</summary>
    public bool ContinueOnError { get; init; }

    /// <summary>Repository root: paper-scale figures go to &lt;root&gt;/figures/ and figures/REPORT.md.</summary>
    public string RepoRoot { get; init; } = Environment.CurrentDirectory;

    /// <summary>Export figure files for displayed FigureResults (tests may turn it off).</summary>
    public bool ExportFigures { get; init; } = true;

    /// <summary>Render PNGs when Chromium is present.</summary>
    public bool Png { get; init; } = true;
}
