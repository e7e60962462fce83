using System.Text.Json.Nodes;
using Reproduce.Experiments;
using Reproduce.Figures;
using Xunit.Abstractions;

namespace Reproduce.Tests.Figures;

/// <summary>Every figure is drawn by plotly.js in headless Chromium and each trace with data must
/// place its marks: points at finite positions, bars of finite position and non-zero size, heat-map
/// cells on the labelled grid. A blank panel fails. The detector itself is checked first on figures
/// whose mark counts are known, including the "category bars on a linear axis" figure that used to
/// be committed blank.</summary>
public class BrowserRenderTests(ITestOutputHelper output)
{
    /// <summary>Why a rendered figure fails, or nothing when every trace placed every mark.</summary>
    internal static IEnumerable<string> Failures(string label, RenderedFigure r)
    {
        if (r.Error is not null) { yield return $"{label}: plotly.js failed: {r.Error.Split('\n')[0]}"; yield break; }
        if (r.Traces.Count == 0) yield return $"{label}: no traces drawn";
        foreach (var p in r.LayoutProblems) yield return $"{label}: {p}";
        foreach (var t in r.Traces)
        {
            string who = $"{label} trace {t.Index} '{t.Name}' ({t.Type})";
            foreach (var p in t.Problems) yield return $"{who}: {p}";
            if (t.Expected == 0) yield return $"{who}: no data to draw";
            else if (t.Placed != t.Expected) yield return $"{who}: placed {t.Placed} of {t.Expected} marks";
        }
    }

    private (int Figures, int Marks) RenderAndCheck(IReadOnlyList<(string Label, string Json)> figures)
    {
        var rendered = ChromiumRenderer.Render(figures.Select(f => f.Json).ToArray(), images: false);
        var failures = figures.Zip(rendered).SelectMany(x => Failures(x.First.Label, x.Second)).ToList();
        int marks = rendered.Sum(r => r.Traces.Sum(t => t.Placed));
        output.WriteLine($"{figures.Count} figures rendered, {marks} marks placed");
        foreach (var f in failures) output.WriteLine(f);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        return (figures.Count, marks);
    }

    [ChromiumFact]
    public void TheDetectorCountsKnownMarksAndCatchesABlankPanel()
    {
        var good = new Figure("t/known");
        good.Layout.Grid(1, 3);
        good.Layout.BarMode = "group";
        good.Add(new BarTrace { Name = "a", X = ["k=1", "k=2", "k=4"], Y = [1, 0, 3] });           // 2 non-zero bars
        good.Add(new BarTrace { Name = "b", X = ["k=1", "k=2", "k=4"], Y = [2, 2, 2] });           // 3
        good.Add(new ScatterTrace { Name = "m", XLabels = ["k=1", "k=2", "k=4"], Y = [1, 2, 3], Mode = "markers" }); // 3 points
        good.Add(new ScatterTrace { Name = "l", X = [1, 10, 100, 1000], Y = [1, 2, 3, 4], Mode = "lines", XAxis = "x2", YAxis = "y2" });
        good.Layout.X(2).Type = AxisType.Log;
        good.Add(new HeatmapTrace { Name = "h", XLabels = ["p", "q", "r"], YLabels = ["u", "v"], Z = new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }, XAxis = "x3", YAxis = "y3" });

        // The figure committed before this fix: category bars and a text heat map on axes declared linear.
        var old = JsonNode.Parse(good.ToJsonString())!.AsObject();
        foreach (var axis in new[] { "xaxis", "xaxis3", "yaxis3" }) old["layout"]![axis]!["type"] = "linear";

        var r = ChromiumRenderer.Render([good.ToJsonString(), old.ToJsonString()], images: true);
        Assert.Equal([2, 3, 3, 4, 6], r[0].Traces.Select(t => t.Expected));
        Assert.Equal([2, 3, 3, 4, 6], r[0].Traces.Select(t => t.Placed));
        Assert.Empty(Failures("good", r[0]));
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, r[0].Png![..4]);

        var bad = Failures("old", r[1]).ToList();
        Assert.Contains(bad, f => f.Contains("trace 0 'a'", StringComparison.Ordinal) && f.Contains("placed 0 of 2", StringComparison.Ordinal));
        Assert.Contains(bad, f => f.Contains("trace 4 'h'", StringComparison.Ordinal));
    }

    /// <summary>The layout check sees what a reader cannot read: a title wider than the figure (as
    /// plotly.js draws it without the wrapping), an inner y-axis title over the left subplot (the
    /// grid without its wider gap), tick labels on top of each other (many long labels on a short axis).</summary>
    [ChromiumFact]
    public void TheLayoutCheckCatchesCutTitlesOverlappingAxisTitlesAndCrowdedTicks()
    {
        var fig = new Figure("t/layout", string.Join(" ", Enumerable.Repeat("a long figure title", 12)));
        fig.Layout.Grid(1, 2);
        fig.Layout.Y(2).Title = "a y-axis title between the panels";
        fig.Add(new ScatterTrace { Name = "left", X = [1, 2], Y = [1, 2] });
        fig.Add(new ScatterTrace { Name = "right", X = [1, 2], Y = [1, 2], XAxis = "x2", YAxis = "y2" });
        string good = fig.ToJsonString();
        var broken = JsonNode.Parse(good)!.AsObject();
        broken["layout"]!["title"]!["text"] = fig.Layout.Title;
        broken["layout"]!["grid"]!["xgap"] = 0.02;
        broken["layout"]!["xaxis"]!["tickmode"] = "array";
        broken["layout"]!["xaxis"]!["tickvals"] = new JsonArray(1.0, 1.02, 1.04, 1.06);
        broken["layout"]!["xaxis"]!["ticktext"] = new JsonArray("a long label", "another long label", "a third long one", "and a fourth");
        broken["layout"]!["xaxis"]!["tickangle"] = 0;

        var r = ChromiumRenderer.Render([good, broken.ToJsonString()], images: false);
        Assert.Empty(Failures("good", r[0]));
        var bad = Failures("broken", r[1]).ToList();
        Assert.Contains(bad, f => f.Contains("title cut at the figure edge", StringComparison.Ordinal));
        Assert.Contains(bad, f => f.Contains("title of axis y2 drawn over subplot xy", StringComparison.Ordinal));
        Assert.Contains(bad, f => f.Contains("tick labels of the x axis of subplot xy", StringComparison.Ordinal));
    }

    [ChromiumFact]
    public void EveryCommittedFigurePlacesItsMarks()
    {
        string root = RepoRoot();
        var files = Directory.GetFiles(Path.Combine(root, "figures"), "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(files);
        RenderAndCheck(files.Select(f => (Path.GetRelativePath(root, f), File.ReadAllText(f))).ToArray());
    }

    public static TheoryData<string> Papers() => new(ExperimentRegistry.All.Select(e => e.Id.Split('/')[0]).Distinct().Order(StringComparer.Ordinal));

    [ChromiumTheory]
    [MemberData(nameof(Papers))]
    public void EverySmokeFigurePlacesItsMarks(string paper)
    {
        var ctx = new RunContext(Scale.Smoke, 20241, outputDir: Path.Combine(Path.GetTempPath(), "reproduce-browser-" + paper));
        var figures = ExperimentRegistry.All.Where(e => e.Id.Split('/')[0] == paper)
            .Select(e => (e.Id, e.Run(ctx).Figure.ToJsonString())).ToArray();
        RenderAndCheck(figures);
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Reproduce.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("Reproduce.sln not found above the test assembly.");
    }
}
