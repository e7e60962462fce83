using Reproduce.Cli.Engine;
using Reproduce.Experiments;

namespace Reproduce.Cli.Runner;

/// <summary>Receives progress while notebooks run (plain lines, Spectre live display, tests).</summary>
public interface IRunReporter
{
    /// <summary>A notebook is starting.</summary>
    void NotebookStarted(string notebook, int codeCells);

    /// <summary>A cell is starting: its label ("cell 3"), and its index (1-based) among the code cells.</summary>
    void CellStarted(string notebook, string label, int index, int codeCells);

    /// <summary>A cell finished.</summary>
    void CellFinished(string notebook, string label, CellResult result);

    /// <summary>A claim was checked.</summary>
    void ClaimChecked(string notebook, Claim claim);

    /// <summary>A free-form note (exported files, skipped PNG, ...).</summary>
    void Note(string notebook, string message);

    /// <summary>A notebook finished.</summary>
    void NotebookFinished(NotebookRunResult result);
}
