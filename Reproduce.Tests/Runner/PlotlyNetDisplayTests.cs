using System.Text.Json.Nodes;
using Reproduce.Cli.Engine;
using Reproduce.Figures;
using Reproduce.Tests.Figures;

namespace Reproduce.Tests.Runner;

/// <summary>A Plotly.NET chart made in a cell (the package restored from nuget.org by #r "nuget:")
/// displays as Plotly JSON, with a PNG fallback (checked where Chromium is installed; skipped,
/// with the reason, where it is not).</summary>
[Collection("Runner")]
public sealed class PlotlyNetDisplayTests : IDisposable
{
    private readonly string cache = Path.Combine(Path.GetTempPath(), "reproduce-plotlynet-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        try { Directory.Delete(cache, recursive: true); } catch (IOException) { }
    }

    private async Task<object> Chart()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot) { Restorer = new PackageRestorer(cache) };
        var r = await s.ExecuteAsync("#r \"nuget: Plotly.NET.CSharp, 0.14.0\"\nPlotly.NET.CSharp.Chart.Point<int, int, string>(x: new[] { 1, 2, 3 }, y: new[] { 2, 4, 8 })", "cell 1");
        Assert.True(r.Succeeded, r.Error is null ? "" : string.Join("\n", r.Error.Traceback));
        return r.Outputs.OfType<DisplayOutput>().Single(d => d.IsResult).Value!;
    }

    [Fact]
    public async Task A_PlotlyNET_chart_is_plotly_json()
    {
        var bundle = DisplayBundle.Of(await Chart(), new NotebookDisplay { Png = false });
        // The trace Plotly.NET wrote: the points given to it, as markers.
        var trace = bundle[MimeRenderer.PlotlyMime]!["data"]![0]!;
        Assert.Equal("[1,2,3]", trace["x"]!.ToJsonString());
        Assert.Equal("[2,4,8]", trace["y"]!.ToJsonString());
        Assert.Equal("markers", trace["mode"]!.GetValue<string>());
        Assert.StartsWith("Plotly.NET chart (1 trace)", bundle["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_second_session_in_the_same_process_loads_PlotlyNET_too()
    {
        // A kernel starts a new session in its process after an abandoned cell, and `reproduce run`
        // runs notebooks one after another in one process. With a Roslyn assembly loader per session,
        // the second session's Plotly.NET met the first session's FSharp.Core (MissingMethodException
        // in Plotly.NET's type initializer).
        Assert.Equal("[1,2,3]", DisplayBundle.Of(await Chart(), new NotebookDisplay { Png = false })[MimeRenderer.PlotlyMime]!["data"]![0]!["x"]!.ToJsonString());
        Assert.Equal("[1,2,3]", DisplayBundle.Of(await Chart(), new NotebookDisplay { Png = false })[MimeRenderer.PlotlyMime]!["data"]![0]!["x"]!.ToJsonString());
    }

    /// <summary>The fallback for front ends without a Plotly renderer (the classic Notebook offline):
    /// a PNG in the same bundle (the kernel's display has PNGs on), drawn by Chromium from the figure
    /// JSON, in which plotly.js places every point (not a blank picture).</summary>
    [ChromiumFact]
    public async Task A_PlotlyNET_chart_has_a_png_fallback_that_shows_its_points()
    {
        Assert.True(new NotebookDisplay().Png, "the kernel's and runner's display must ask for PNGs");
        var bundle = DisplayBundle.Of(await Chart(), new NotebookDisplay { Png = true });
        byte[] png = Convert.FromBase64String(bundle["image/png"]!.GetValue<string>());
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], png[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.True(System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)) > 0 && System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)) > 0);
        var drawn = ChromiumRenderer.Render([bundle[MimeRenderer.PlotlyMime]!.ToJsonString()], images: false).Single();
        Assert.Empty(BrowserRenderTests.Failures("Plotly.NET chart", drawn));
        Assert.Equal(3, drawn.Traces.Single().Placed);
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
