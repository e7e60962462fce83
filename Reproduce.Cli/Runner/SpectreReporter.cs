using System.Globalization;
using Reproduce.Cli.Engine;
using Reproduce.Experiments;
using Spectre.Console;

namespace Reproduce.Cli.Runner;

/// <summary>Live progress on an interactive terminal: one bar per notebook (cells done / cells),
/// the running cell's label, and claims, failures and notes printed above the bars as they happen.</summary>
public sealed class SpectreReporter(IAnsiConsole console, ProgressContext progress, bool verbose = true) : IRunReporter
{
    private readonly Dictionary<string, ProgressTask> _tasks = [];
    private readonly Lock _gate = new();

    private ProgressTask Task(string notebook, int cells)
    {
        lock (_gate)
        {
            if (!_tasks.TryGetValue(notebook, out var t))
                _tasks[notebook] = t = progress.AddTask(Markup.Escape(notebook), maxValue: Math.Max(1, cells));
            return t;
        }
    }

    public void NotebookStarted(string notebook, int codeCells) => Task(notebook, codeCells).StartTask();

    public void CellStarted(string notebook, string label, int index, int codeCells) =>
        Task(notebook, codeCells).Description = Markup.Escape($"{notebook} · {label}");

    public void CellFinished(string notebook, string label, CellResult result)
    {
        var t = Task(notebook, 1);
        t.Increment(1);
        string s = result.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
        if (!result.Succeeded)
        {
            console.MarkupLine($"  [red]{Markup.Escape(label)} failed[/] ({s} s)");
            foreach (var l in result.Error?.Traceback.Take(6) ?? []) console.MarkupLine("    " + Markup.Escape(l));
        }
        else if (verbose && result.Elapsed.TotalSeconds >= 1)
        {
            console.MarkupLine($"  [grey]{Markup.Escape(notebook)} · {Markup.Escape(label)} ({s} s)[/]");
        }
    }

    public void ClaimChecked(string notebook, Claim claim) =>
        console.MarkupLine(claim.Pass
            ? "  [green]pass[/] " + Markup.Escape($"{claim.Name}: expected {claim.Expected}, got {claim.Actual}")
            : "  [red bold]FAIL[/] " + Markup.Escape($"{claim.Name}: expected {claim.Expected}, got {claim.Actual}"));

    public void Note(string notebook, string message) => console.MarkupLine("  [grey]" + Markup.Escape(message) + "[/]");

    public void NotebookFinished(NotebookRunResult r)
    {
        var t = Task(r.Notebook, r.CellsTotal);
        t.Value = t.MaxValue;
        t.Description = Markup.Escape(r.Notebook) + (r.Status == "ok" ? " [green]ok[/]" : $" [red]{Markup.Escape(r.Status)}[/]");
        t.StopTask();
    }
}
