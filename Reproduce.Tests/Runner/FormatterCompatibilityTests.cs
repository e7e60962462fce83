using System.Text.Json.Nodes;
using Reproduce.Cli.Engine;

namespace Reproduce.Tests.Runner;

/// <summary>.NET Interactive's display and formatting API in cells: Formatter.Register/ResetToDefault,
/// PocketView, LaTeXString/MathString, Javascript, DisplayAs, DisplayTable.</summary>
[Collection("Runner")]
public sealed class FormatterCompatibilityTests
{
    private static async Task<List<JsonObject>> Bundles(ExecutionSession s, string code)
    {
        var r = await s.ExecuteAsync(code, "cell");
        Assert.True(r.Succeeded, r.Error?.EValue);
        return r.Outputs.OfType<DisplayOutput>().Select(d => DisplayBundle.Of(d.Value)).ToList();
    }

    private static string Mime(JsonObject bundle, string mime) => bundle[mime]?.GetValue<string>() ?? throw new Xunit.Sdk.XunitException($"no {mime} in {bundle.ToJsonString()}");

    [Fact]
    public async Task A_registered_formatter_wins_until_ResetToDefault()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        await Bundles(s, "using Microsoft.DotNet.Interactive.Formatting;\nrecord Point(int X);");
        Assert.False((await Bundles(s, "new Point(3)")).Single().ContainsKey("text/html"));
        var registered = await Bundles(s, "Formatter.Register<Point>(p => $\"<b>{p.X}</b>\", \"text/html\");\nnew Point(3)");
        Assert.Equal("<b>3</b>", Mime(registered.Single(), "text/html"));
        Assert.Equal("Point { X = 3 }", Mime(registered.Single(), "text/plain"));
        var reset = await Bundles(s, "Formatter.ResetToDefault();\nnew Point(3)");
        Assert.False(reset.Single().ContainsKey("text/html"));
    }

    [Fact]
    public async Task PocketView_LaTeX_Math_and_Javascript_render_in_their_MIME_types()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        // As in .NET Interactive, the formatting namespace and PocketView's tags come with a using.
        await Bundles(s, "using Microsoft.DotNet.Interactive.Formatting;\nusing static Microsoft.DotNet.Interactive.Formatting.PocketViewTags;");
        Assert.Equal("<div><b>hi</b></div>", Mime((await Bundles(s, "div(b(\"hi\"))")).Single(), "text/html"));
        Assert.Equal(@"\frac{1}{2}", Mime((await Bundles(s, "new LaTeXString(@\"\\frac{1}{2}\")")).Single(), "text/latex"));
        Assert.Equal("$$x^2$$", Mime((await Bundles(s, "new MathString(\"x^2\")")).Single(), "text/latex"));
        var js = Mime((await Bundles(s, "Javascript(\"console.log(1)\")")).Single(), "text/html");
        Assert.StartsWith("<script type=\"text/javascript\">", js);
        Assert.Contains("console.log(1)", js);
    }

    [Fact]
    public async Task DisplayAs_and_DisplayTable_are_cell_outputs()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        Assert.Equal("**x**", Mime((await Bundles(s, "\"**x**\".DisplayAs(\"text/markdown\");")).Single(), "text/markdown"));
        var table = (await Bundles(s, "new[] { new { a = 1, b = \"x\" }, new { a = 2, b = \"y\" } }.DisplayTable();")).Single();
        // The CSV rendering is the table's content in a form that can be compared exactly.
        Assert.Equal(["a,b", "1,x", "2,y"], Mime(table, "text/csv").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Contains("<table>", Mime(table, "text/html"));
    }

    [Fact]
    public async Task A_matrix_shows_its_shape_and_elements_and_stops_at_twenty_rows()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        var small = (await Bundles(s, "Reproduce.Compute.Matrix.FromArray(new double[,] { { 1, -2.5 }, { 3e-7, 4 } })")).Single();
        var lines = Mime(small, "text/plain").Split('\n');
        Assert.Equal("Matrix 2×2 F64 on " + Reproduce.Compute.Device.Cpu.Name, lines[0]);
        // The printed elements parse back to the matrix's elements.
        double[][] parsed = lines[1..].Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x => double.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
        Assert.Equal([[1, -2.5], [3e-7, 4]], parsed);
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Matches(Mime(small, "text/html"), "<td>").Count);

        var tall = Mime((await Bundles(s, "Reproduce.Compute.Matrix.Build(25, 1, (i, j) => i)")).Single(), "text/plain").Split('\n');
        Assert.Equal(1 + 20 + 1, tall.Length); // head, the first 20 rows, "…"
        Assert.Equal("19", tall[20].Trim());
        Assert.Equal("…", tall[21]);
    }

    [Fact]
    public async Task A_tensor_shows_its_shape_and_each_row_of_its_last_dimension_with_its_indices()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        var bundle = (await Bundles(s, "new Reproduce.Nn.SafetensorsTensor(\"w\", \"F32\", new[] { 2, 2, 3 }, Enumerable.Range(0, 12).Select(i => (double)i).ToArray())")).Single();
        var lines = Mime(bundle, "text/plain").Split('\n');
        Assert.Equal("Tensor 'w' F32 [2, 2, 3]", lines[0]);
        Assert.Equal(1 + 4, lines.Length);
        // Row-major order: element [i, j, k] is the (6i + 3j + k)-th value, here the value itself.
        foreach (string line in lines[1..])
        {
            var m = System.Text.RegularExpressions.Regex.Match(line, @"^\[(\d+), (\d+)\]\s+(.*)$");
            Assert.True(m.Success, line);
            int i = int.Parse(m.Groups[1].Value), j = int.Parse(m.Groups[2].Value);
            Assert.Equal(Enumerable.Range(0, 3).Select(k => (double)(6 * i + 3 * j + k)), m.Groups[3].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(double.Parse));
        }
        Assert.Equal(12, System.Text.RegularExpressions.Regex.Matches(Mime(bundle, "text/html"), "<td>").Count);

        var vector = Mime((await Bundles(s, "new Reproduce.Nn.SafetensorsTensor(\"b\", \"F64\", new[] { 3 }, new[] { 1.5, -2, 0 })")).Single(), "text/plain").Split('\n');
        Assert.Equal(["Tensor 'b' F64 [3]", "1.5  -2  0"], vector);
    }
}
