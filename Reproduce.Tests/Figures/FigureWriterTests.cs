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
        if (PlotlyJs.BundlePath is null) Assert.Contains(PlotlyJs.CdnUrl, html);
        else Assert.DoesNotContain("<script src=", html); // plotly.js inlined: works offline
        Assert.Empty(Directory.GetFiles(root, "*.tmp", SearchOption.AllDirectories));
    }

    [RequiresFact(Part.PlotlyJs)] // the CDN-only page is tested below
    public void CommittedHtmlReferencesTheInstalledBundleRelativelyWithCdnFallback()
    {
        var (fig, data) = Sample();
        string root = NewDir();
        FigureWriter.Write(fig, data, root, png: false, sharedPlotly: true);
        string dir = Path.Combine(root, "paper-x");
        string html = File.ReadAllText(Path.Combine(dir, "fig-1.html"));
        Assert.True(html.Length < 100_000);
        var m = System.Text.RegularExpressions.Regex.Match(html, "<script src=\"([^\"]+)\"></script>");
        Assert.True(m.Success);
        Assert.Equal(Path.GetFullPath(PlotlyJs.BundlePath!), Path.GetFullPath(Path.Combine(dir, m.Groups[1].Value)));
        Assert.Contains(PlotlyJs.CdnUrl, html);
    }

    [Fact]
    public void StandaloneWithoutBundleUsesThePinnedCdnAndSaysSo()
    {
        var (fig, _) = Sample();
        string html = PlotlyHtml.Standalone(fig, plotlyJs: null);
        Assert.Contains($"<script src=\"{PlotlyJs.CdnUrl}\"></script>", html);
        Assert.Contains("npm ci", html);
        string inline = PlotlyHtml.Standalone(fig, plotlyJs: "/* bundle </script> */");
        Assert.DoesNotContain(PlotlyJs.CdnUrl, inline);
        Assert.Contains("<\\/script>", inline); // a bundle cannot close the script element early
    }

    [RequiresFact(Part.Chromium, Part.PlotlyJs)]
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
}
