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
    public void CategoricalHeatmapGivesEachCodeItsOwnColourBandAndLabel()
    {
        var fig = new Figure("test/categorical", "T");
        fig.Add(new HeatmapTrace
        {
            XLabels = ["a", "b"], YLabels = ["u"], Z = new double[,] { { -1, 1 } },
            Categories = [new(-1, "tie", "#bbbbbb"), new(0, "first", "#1f77b4"), new(1, "second", "#d62728")],
        });
        var t = fig.ToPlotlyJson()["data"]![0]!;
        Assert.Equal(-1.5, t["zmin"]!.GetValue<double>());
        Assert.Equal(1.5, t["zmax"]!.GetValue<double>());
        // Code c must be coloured over [c − ½, c + ½]: its band in the normalised scale is [(c − zmin)/(zmax − zmin) ± …].
        var scale = t["colorscale"]!.AsArray().Select(p => (p![0]!.GetValue<double>(), p[1]!.GetValue<string>())).ToArray();
        string ColourAt(double z)
        {
            double u = (z - -1.5) / 3.0;
            return scale.Where(p => p.Item1 <= u).Last().Item2;
        }
        Assert.Equal("#bbbbbb", ColourAt(-1.2));
        Assert.Equal("#1f77b4", ColourAt(0.1));
        Assert.Equal("#d62728", ColourAt(1.4));
        Assert.Equal(["tie", "first", "second"], t["colorbar"]!["ticktext"]!.AsArray().Select(v => v!.GetValue<string>()));
        Assert.Equal([-1.0, 0.0, 1.0], t["colorbar"]!["tickvals"]!.AsArray().Select(v => v!.GetValue<double>()));
    }

    [Fact]
    public void HeatmapValueOutsideTheCategoriesIsRejected()
    {
        var fig = new Figure("test/categorical", "T");
        var e = Assert.Throws<ArgumentException>(() =>
            fig.Add(new HeatmapTrace { XLabels = ["a"], YLabels = ["u"], Z = new double[,] { { 2 } }, Categories = [new(0, "x", "#000"), new(1, "y", "#111")] }));
        Assert.Contains("not one of the categories", e.Message);
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
