using System.Text.Json.Nodes;
using Reproduce.Cli.Runner;
using Reproduce.Figures;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Figures;

public class FigureWriterTests
{
    private static string NewDir()
    {
        string d = Path.Combine(Path.GetTempPath(), "reproduce-fig-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(d);
        return d;
    }

    private static (Figure, Table) Sample()
    {
        var fig = new Figure("paper-x/fig-1", "Sample").Add(new ScatterTrace { Name = "y", X = [1, 2], Y = [0.1, 1e-300] });
        var t = new Table("x", "y").Add(1, 0.1).Add(2, 1e-300);
        return (fig, t);
    }

    [Fact]
    public void WritesJsonHtmlCsvUnderPaperFolderAtomically()
    {
        var (fig, data) = Sample();
        string root = NewDir();
        var files = FigureWriter.Write(fig, data, root, png: false);
        string stem = Path.Combine(root, "paper-x", "fig-1");
        Assert.Equal([stem + ".json", stem + ".html", stem + ".csv"], files.Written);
        Assert.True(JsonNode.DeepEquals(fig.ToPlotlyJson(), JsonNode.Parse(File.ReadAllText(stem + ".json"))));
        Assert.Equal(data.ToCsv(), File.ReadAllText(stem + ".csv"));
        string html = File.ReadAllText(stem + ".html");
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.True(JsonNode.DeepEquals(fig.ToPlotlyJson(), PlotlyHtml.FigureJson(html)));
        // Offline: plotly.js is inlined, nothing is loaded from anywhere.
        Assert.DoesNotContain("<script src=", html);
        Assert.DoesNotContain(PlotlyJs.CdnUrl, html);
        Assert.Contains(PlotlyJs.Source[..200], html);
        Assert.Empty(Directory.GetFiles(root, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void CommittedHtmlLoadsOneSharedCopyOfPlotlyBesideThePaperFolders()
    {
        var (fig, data) = Sample();
        string root = NewDir();
        var files = FigureWriter.Write(fig, data, root, png: false, sharedPlotly: true);
        string dir = Path.Combine(root, "paper-x");
        string html = File.ReadAllText(Path.Combine(dir, "fig-1.html"));
        Assert.True(html.Length < 100_000);
        Assert.DoesNotContain(PlotlyJs.CdnUrl, html);
        var m = System.Text.RegularExpressions.Regex.Match(html, "<script src=\"([^\"]+)\"></script>");
        Assert.True(m.Success);
        string shared = Path.GetFullPath(Path.Combine(dir, m.Groups[1].Value));
        Assert.Equal(Path.Combine(root, PlotlyJs.FileName), shared);
        Assert.Contains(shared, files.Written);
        Assert.Equal(PlotlyJs.Source, File.ReadAllText(shared));
    }

    [Fact]
    public void CdnOnlyWhenAskedFor()
    {
        var (fig, _) = Sample();
        string? before = Environment.GetEnvironmentVariable(PlotlyJs.CdnVariable);
        try
        {
            Environment.SetEnvironmentVariable(PlotlyJs.CdnVariable, "1");
            string html = PlotlyHtml.Standalone(fig);
            Assert.Contains($"<script src=\"{PlotlyJs.CdnUrl}\"></script>", html);
            Assert.True(html.Length < 100_000);
        }
        finally
        {
            Environment.SetEnvironmentVariable(PlotlyJs.CdnVariable, before);
        }
    }

    [Fact]
    public void NotebookFragmentsCarryPlotlyOnceAndAPictureFallback()
    {
        var (fig, _) = Sample();
        string first = PlotlyHtml.Div(fig, includePlotly: true, png: [1, 2, 3]);
        string later = PlotlyHtml.Div(fig, includePlotly: false);
        Assert.Contains(PlotlyHtml.ScriptSafe(PlotlyJs.Source[..200]), first);
        Assert.Contains("data:image/png;base64,AQID", first);
        Assert.DoesNotContain(PlotlyJs.CdnUrl, first + later);
        Assert.True(later.Length < 10_000);
        Assert.Contains("window.Plotly", later);
    }

    [RequiresFact(Part.Chromium)]
    public void PngThroughChromium()
    {
        var (fig, data) = Sample();
        string root = NewDir();
        var files = FigureWriter.Write(fig, data, root, png: true);
        string png = Path.Combine(root, "paper-x", "fig-1.png");
        Assert.Contains(png, files.Written);
        byte[] head = File.ReadAllBytes(png)[..8];
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, head);
    }

    [Fact]
    public void AtomicWriteLeavesTheOldFileWhenTheFolderIsBad()
    {
        string dir = NewDir();
        string blocker = Path.Combine(dir, "blocker");
        File.WriteAllText(blocker, "old");
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(Path.Combine(blocker, "x.json"), "new"));
        Assert.Contains("blocker", e.Message);
        Assert.Equal("old", File.ReadAllText(blocker));
        string target = Path.Combine(dir, "t.txt");
        AtomicFile.WriteAllText(target, "one");
        AtomicFile.WriteAllText(target, "two");
        Assert.Equal("two", File.ReadAllText(target));
        Assert.Equal(["blocker", "t.txt"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void ReportRowsAreRefreshedAndSorted()
    {
        string path = Path.Combine(NewDir(), "REPORT.md");
        FigureReport.Upsert(path, new FigureReport.Row("b.ipynb", "zeta/fig", 2, 2, 1.25, "cpu", "abc"));
        FigureReport.Upsert(path, new FigureReport.Row("a.ipynb", "alpha/fig", 1, 2, 3, "cpu", "abc"));
        FigureReport.Upsert(path, new FigureReport.Row("b.ipynb", "zeta/fig", 1, 2, 9, "cuda", "def", "partly reproduced"));
        var rows = File.ReadAllLines(path).Where(l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains('/')).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Equal("| a.ipynb | alpha/fig | 1/2 | FAIL | 3.0 | cpu | abc | none |", rows[0]);
        Assert.Equal("| b.ipynb | zeta/fig | 1/2 | FAIL | 9.0 | cuda | def | partly reproduced |", rows[1]);
    }

    /// <summary>Notes people wrote above and below the table (why a row ran where it did, what a failed claim means) survive
    /// a refresh of the rows, word for word.</summary>
    [Fact]
    public void ReportNotesAroundTheTableAreKept()
    {
        string path = Path.Combine(NewDir(), "REPORT.md");
        FigureReport.Upsert(path, new FigureReport.Row("a.ipynb", "alpha/fig", 2, 2, 1, "cpu", "abc"));
        var lines = File.ReadAllLines(path).ToList();
        int table = lines.FindIndex(l => l.StartsWith("| notebook", StringComparison.Ordinal));
        lines.Insert(table, "A note on alpha | with a bar, and a/slash.");
        lines.Insert(table + 1, "");
        lines.Add("");
        lines.Add("Trailing note.");
        File.WriteAllLines(path, lines);
        FigureReport.Upsert(path, new FigureReport.Row("b.ipynb", "beta/fig", 1, 2, 2, "cuda", "def"));
        FigureReport.Upsert(path, new FigureReport.Row("a.ipynb", "alpha/fig", 1, 1, 3, "cpu", "ghi"));
        var text = File.ReadAllText(path);
        Assert.StartsWith("# Figure report\n", text, StringComparison.Ordinal);
        Assert.Contains("\nA note on alpha | with a bar, and a/slash.\n\n| notebook |", text, StringComparison.Ordinal);
        Assert.EndsWith("| b.ipynb | beta/fig | 1/2 | FAIL | 2.0 | cuda | def | none |\n\nTrailing note.\n", text, StringComparison.Ordinal);
        Assert.Contains("| a.ipynb | alpha/fig | 1/1 | pass | 3.0 | cpu | ghi | none |\n| b.ipynb", text, StringComparison.Ordinal);
        Assert.Equal(1, text.Split("| notebook |").Length - 1);
    }
}
