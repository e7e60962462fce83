using System.Globalization;
using Reproduce.Cli.Engine;
using Reproduce.Experiments;

namespace Reproduce.Cli.Runner;

/// <summary>Progress as plain lines (redirected output, CI, tests).</summary>
public sealed class PlainReporter(TextWriter output, bool verbose = true) : IRunReporter
{
    private readonly Lock _gate = new();

    private void Line(string s)
    {
        lock (_gate) { output.WriteLine(s); output.Flush(); }
    }

    public void NotebookStarted(string notebook, int codeCells) => Line($"▶ {notebook} ({codeCells} code cells)");

    public void CellStarted(string notebook, string label, int index, int codeCells)
    {
        if (verbose) Line($"  [{index}/{codeCells}] {label} …");
    }

    public void CellFinished(string notebook, string label, CellResult result)
    {
        string s = result.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        if (result.Succeeded) { if (verbose) Line($"  {label} ok ({s} s)"); }
        else
        {
            Line($"  {label} FAILED ({s} s)");
            foreach (var l in result.Error?.Traceback.Take(6) ?? []) Line("    " + l);
        }
    }

    public void ClaimChecked(string notebook, Claim claim) => Line("  " + claim);

    public void Note(string notebook, string message) => Line("  " + message);

    public void NotebookFinished(NotebookRunResult r) =>
        Line($"{(r.Status == "ok" ? "✔" : "✘")} {r.Notebook}: {r.Status}, {r.CellsRun}/{r.CellsTotal} cells, claims {r.ClaimsPassed} pass / {r.ClaimsFailed} fail, " +
             $"{r.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s" + (r.OutputPath is null ? "" : $" → {r.OutputPath}"));
}
