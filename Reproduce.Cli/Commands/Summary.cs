using System.Globalization;
using Reproduce.Cli.Runner;
using Spectre.Console;

namespace Reproduce.Cli.Commands;

/// <summary>The closing table of <c>reproduce run</c>: notebook, cells, claims, seconds, status.
/// A Spectre table on an interactive terminal; plain aligned text when redirected or under CI.</summary>
public static class Summary
{
    /// <summary>True when output should be plain (redirected, CI=true, or not the console).</summary>
    public static bool Plain(TextWriter output) =>
        !ReferenceEquals(output, Console.Out) || Console.IsOutputRedirected ||
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase) ||
        Environment.GetEnvironmentVariable("NO_COLOR") is not null;

    /// <summary>Writes the summary.</summary>
    public static void Write(TextWriter output, IReadOnlyList<NotebookRunResult> results)
    {
        string[] header = ["notebook", "cells", "claims pass", "claims fail", "seconds", "status"];
        var rows = results.Select(r => new[]
        {
            r.Notebook, $"{r.CellsRun}/{r.CellsTotal}", r.ClaimsPassed.ToString(CultureInfo.InvariantCulture),
            r.ClaimsFailed.ToString(CultureInfo.InvariantCulture), r.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture), r.Status,
        }).ToList();
        output.WriteLine();
        if (Plain(output))
        {
            var widths = header.Select((h, j) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[j].Length))).ToArray();
            output.WriteLine(string.Join("  ", header.Select((h, j) => h.PadRight(widths[j]))).TrimEnd());
            output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
            foreach (var r in rows) output.WriteLine(string.Join("  ", r.Select((c, j) => c.PadRight(widths[j]))).TrimEnd());
        }
        else
        {
            var table = new Spectre.Console.Table().Border(TableBorder.Rounded);
            foreach (var h in header) table.AddColumn(h);
            foreach (var r in rows)
            {
                string status = r[5] == "ok" ? "[green]ok[/]" : $"[red]{Markup.Escape(r[5])}[/]";
                table.AddRow(Markup.Escape(r[0]), r[1], r[2], r[3], r[4], status);
            }
            AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) }).Write(table);
        }
        int failed = results.Count(r => r.Status != "ok");
        output.WriteLine(failed == 0
            ? $"All {results.Count} notebook(s) ran and every claim held."
            : $"{failed} of {results.Count} notebook(s) failed.");
        foreach (var r in results.Where(r => r.Status != "ok" && r.Message is not null))
            output.WriteLine(r.Message!.Contains(r.Notebook, StringComparison.Ordinal) ? "  " + r.Message : $"  {r.Notebook}: {r.Message}");
    }
}
