using System.Text.Json.Nodes;
using Reproduce.Cli.Engine;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Runner;

/// <summary>A Plotly.NET chart made in a cell (the package restored from nuget.org by #r "nuget:")
/// displays as Plotly JSON, with a PNG fallback when Chromium is installed.</summary>
[Collection("Runner")]
public sealed class PlotlyNetDisplayTests : IDisposable
{
    private readonly string cache = Path.Combine(Path.GetTempPath(), "reproduce-plotlynet-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(cache, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_PlotlyNET_chart_is_plotly_json_with_a_png_fallback()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot) { Restorer = new PackageRestorer(cache) };
        var r = await s.ExecuteAsync("#r \"nuget: Plotly.NET.CSharp, 0.14.0\"\nPlotly.NET.CSharp.Chart.Point<int, int, string>(x: new[] { 1, 2, 3 }, y: new[] { 2, 4, 8 })", "cell 1");
        Assert.True(r.Succeeded, r.Error is null ? "" : string.Join("\n", r.Error.Traceback));
        var chart = r.Outputs.OfType<DisplayOutput>().Single(d => d.IsResult).Value;
        bool chromium = OptionalParts.SkipReason(Part.Chromium) is null;
        var bundle = DisplayBundle.Of(chart, new NotebookDisplay { Png = chromium });
        // The trace Plotly.NET wrote: the points given to it, as markers.
        var trace = bundle[MimeRenderer.PlotlyMime]!["data"]![0]!;
        Assert.Equal("[1,2,3]", trace["x"]!.ToJsonString());
        Assert.Equal("[2,4,8]", trace["y"]!.ToJsonString());
        Assert.Equal("markers", trace["mode"]!.GetValue<string>());
        Assert.StartsWith("Plotly.NET chart (1 trace)", bundle["text/plain"]!.GetValue<string>());
        if (chromium)
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], Convert.FromBase64String(bundle["image/png"]!.GetValue<string>())[..4]);
    }

    [Fact]
    public async Task A_DataFrame_is_an_html_table_with_its_shape()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot) { Restorer = new PackageRestorer(cache) };
        var r = await s.ExecuteAsync("#r \"nuget: Microsoft.Data.Analysis, 0.24.0\"\nusing Microsoft.Data.Analysis;\n" +
            "new DataFrame(new Int32DataFrameColumn(\"a\", new[] { 1, 2 }), new StringDataFrameColumn(\"b\", new[] { \"x\", \"<y>\" }))", "cell 1");
        Assert.True(r.Succeeded, r.Error is null ? "" : string.Join("\n", r.Error.Traceback));
        var bundle = DisplayBundle.Of(r.Outputs.OfType<DisplayOutput>().Single(d => d.IsResult).Value);
        string html = bundle["text/html"]!.GetValue<string>();
        Assert.Contains("DataFrame: 2 rows × 2 columns", System.Net.WebUtility.HtmlDecode(html));
        Assert.Equal("DataFrame: 2 rows × 2 columns\n\ta\tb\n0\t1\tx\n1\t2\t<y>", bundle["text/plain"]!.GetValue<string>());
        // The table's cells, read back from the HTML: header, then row index and values.
        var rows = System.Text.RegularExpressions.Regex.Matches(html, "<tr>(.*?)</tr>").Select(m =>
            System.Text.RegularExpressions.Regex.Matches(m.Groups[1].Value, "<t[hd]>(.*?)</t[hd]>").Select(c => System.Net.WebUtility.HtmlDecode(c.Groups[1].Value)).ToArray()).ToArray();
        Assert.Equal([["", "a", "b"], ["0", "1", "x"], ["1", "2", "<y>"]], rows);
    }
}
