using System.Text.Json.Nodes;
using Reproduce.Figures;

namespace Reproduce.Tests.Figures;

/// <summary>The Plotly JSON has what plotly.js reads (attribute names from the plotly.js schema).</summary>
public class FigureJsonTests
{
    [Fact]
    public void ScatterWithAsymmetricErrorBarsAndLogAxis()
    {
        var fig = new Figure("test/scatter", "T");
        fig.Add(new ScatterTrace { Name = "s", X = [1, 2, 3], Y = [1, 2, 3], ErrorY = [0.1, 0.2, 0.3], ErrorYMinus = [0.05, 0.1, 0.15], Mode = "markers", Dash = "dash" });
        fig.Layout.Y().Type = AxisType.Log;
        fig.Layout.Y().Range = (1, 100);
        var json = fig.ToPlotlyJson();
        var t = json["data"]![0]!;
        Assert.Equal("scatter", t["type"]!.GetValue<string>());
        Assert.Equal("markers", t["mode"]!.GetValue<string>());
        Assert.Equal(2, t["y"]![1]!.GetValue<double>());
        var e = t["error_y"]!;
        Assert.Equal("data", e["type"]!.GetValue<string>());
        Assert.False(e["symmetric"]!.GetValue<bool>());
        Assert.Equal(3, e["array"]!.AsArray().Count);
        Assert.Equal(0.05, e["arrayminus"]![0]!.GetValue<double>());
        Assert.Equal("dash", t["line"]!["dash"]!.GetValue<string>());
        Assert.Equal("log", json["layout"]!["yaxis"]!["type"]!.GetValue<string>());
        Assert.Equal([0.0, 2.0], json["layout"]!["yaxis"]!["range"]!.AsArray().Select(v => v!.GetValue<double>())); // log10 of the data range
        Assert.Equal("T", json["layout"]!["title"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public void SubplotsAnchorTheirAxes()
    {
        var fig = new Figure("test/sub");
        fig.Layout.Grid(1, 2);
        fig.Add(new ScatterTrace { X = [1], Y = [1] });
        fig.Add(new ScatterTrace { X = [1], Y = [2], XAxis = "x2", YAxis = "y2" });
        var json = fig.ToPlotlyJson();
        Assert.Equal("independent", json["layout"]!["grid"]!["pattern"]!.GetValue<string>());
        Assert.Equal(2, json["layout"]!["grid"]!["columns"]!.GetValue<int>());
        Assert.Equal("y2", json["layout"]!["xaxis2"]!["anchor"]!.GetValue<string>());
        Assert.Equal("x2", json["data"]![1]!["xaxis"]!.GetValue<string>());
        Assert.Null(json["data"]![0]!["xaxis"]); // default axes are omitted
    }

    [Fact]
    public void GroupedBarsAndHeatmap()
    {
        var fig = new Figure("test/bars");
        fig.Layout.BarMode = "group";
        fig.Add(new BarTrace { Name = "a", X = ["p", "q"], Y = [1, 2], ErrorY = [0.1, 0.1] });
        fig.Add(new HeatmapTrace { X = [0, 1, 2], Y = [0, 1], Z = new double[,] { { 1, 2, 3 }, { 4, 5, 6 } }, XAxis = "x2", YAxis = "y2" });
        var json = fig.ToPlotlyJson();
        Assert.Equal("group", json["layout"]!["barmode"]!.GetValue<string>());
        Assert.Equal("bar", json["data"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("p", json["data"]![0]!["x"]![0]!.GetValue<string>());
        var z = json["data"]![1]!["z"]!.AsArray();
        Assert.Equal(2, z.Count);                         // rows = y values
        Assert.Equal(6, z[1]![2]!.GetValue<double>());
    }

    [Fact]
    public void MismatchedLengthsAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new Figure("test/bad").Add(new ScatterTrace { Name = "s", X = [1, 2], Y = [1] }));
        Assert.Contains("'s'", e.Message);
    }

    [Fact]
    public void BadFigureIdIsRejected() =>
        Assert.Throws<ArgumentException>(() => new Figure("No Slash"));
}
