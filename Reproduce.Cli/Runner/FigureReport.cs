using System.Globalization;
using System.Text;
using Reproduce.Figures;

namespace Reproduce.Cli.Runner;

/// <summary>figures/REPORT.md: one row per figure from the latest paper-scale run (notebook,
/// figure id, claims passed/total, pass/fail, seconds, device, git commit, verdict). Rows are refreshed
/// in place and kept sorted by figure id; notes written around the table are kept; the file is rewritten atomically.</summary>
public static class FigureReport
{
    /// <summary>One row.</summary>
    public sealed record Row(string Notebook, string Figure, int ClaimsPassed, int ClaimsTotal, double Seconds, string Device, string Commit, string Verdict = "none")
    {
        /// <summary>"pass" when every claim held.</summary>
        public string Result => ClaimsPassed == ClaimsTotal ? "pass" : "FAIL";

        internal string ToMarkdown() =>
            $"| {Notebook} | {Figure} | {ClaimsPassed}/{ClaimsTotal} | {Result} | {Seconds.ToString("0.0", CultureInfo.InvariantCulture)} | {Device} | {Commit} | {Verdict} |";
    }

    private const string Title =
        "# Figure report\n\n" +
        "Written by `reproduce run --scale paper`: one row per figure from its latest paper-scale run.\n\n";

    private const string TableHeader =
        "| notebook | figure | claims | result | seconds | device | commit | verdict |\n" +
        "|---|---|---|---|---|---|---|---|\n";

    /// <summary>Adds or replaces the row of <paramref name="row"/>'s figure. What the file holds besides the table (the title
    /// and any notes people wrote above or below it) is kept as it is.</summary>
    public static void Upsert(string path, Row row)
    {
        var rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var above = new StringBuilder(); var below = new StringBuilder();
        bool inTable = false, seenTable = false;
        if (File.Exists(path))
        {
            foreach (var line in File.ReadAllLines(path))
            {
                var cells = line.Split('|', StringSplitOptions.TrimEntries);
                bool tableLine = line.StartsWith('|');
                if (tableLine && !seenTable) inTable = seenTable = true;
                else if (!tableLine && inTable) inTable = false;
                // A data row: "| nb | figure | a/b | ..." → cells[0] == "" and cells[2] is a figure id.
                if (inTable && cells.Length >= 9 && cells[0].Length == 0 && cells[2].Contains('/') && !cells[2].StartsWith("---", StringComparison.Ordinal))
                    rows[cells[2]] = line;
                else if (!inTable) (seenTable ? below : above).Append(line).Append('\n');
            }
        }
        rows[row.Figure] = row.ToMarkdown();
        var sb = new StringBuilder(seenTable ? above.ToString() : Title);
        sb.Append(TableHeader);
        foreach (var line in rows.Values) sb.Append(line).Append('\n');
        sb.Append(below);
        AtomicFile.WriteAllText(path, sb.ToString());
    }
}
