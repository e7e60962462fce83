namespace Reproduce.Cli.Runner;

/// <summary>The outcome of running one notebook.</summary>
public sealed record NotebookRunResult
{
    /// <summary>Notebook path as given.</summary>
    public required string Notebook { get; init; }

    /// <summary>Code cells executed.</summary>
    public int CellsRun { get; init; }

    /// <summary>Code cells in the notebook (including the injected parameters cell).</summary>
    public int CellsTotal { get; init; }

    /// <summary>Cells that ended in an error output.</summary>
    public int CellErrors { get; init; }

    /// <summary>Claims that held.</summary>
    public int ClaimsPassed { get; init; }

    /// <summary>Claims that failed.</summary>
    public int ClaimsFailed { get; init; }

    /// <summary>Wall time.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Where the executed notebook was written, if it was.</summary>
    public string? OutputPath { get; init; }

    /// <summary>True when the notebook could not be run at all (bad input: exit code 2).</summary>
    public bool BadInput { get; init; }

    /// <summary>The first error message (bad input, cell error or failed claim).</summary>
    public string? Message { get; init; }

    /// <summary>Figure ids exported.</summary>
    public IReadOnlyList<string> Figures { get; init; } = [];

    /// <summary>Per-cell seconds (executed cells, in order).</summary>
    public IReadOnlyList<double> CellSeconds { get; init; } = [];

    /// <summary>"ok", "failed" (cell error or failed claim) or "bad input".</summary>
    public string Status => BadInput ? "bad input" : CellErrors > 0 || ClaimsFailed > 0 ? "failed" : "ok";

    /// <summary>0 ok, 1 failed, 2 bad input.</summary>
    public int ExitCode => BadInput ? 2 : Status == "ok" ? 0 : 1;
}
