using System.Text.Json.Nodes;
using Reproduce.Figures;

namespace Reproduce.Tests.Figures;

/// <summary>Axis types follow the data, and data that cannot be drawn is refused with a message
/// naming the figure, the trace and the axis.</summary>
public class FigureValidationTests
{
    private static string? TypeOf(Figure f, string axis) => (string?)f.ToPlotlyJson()["layout"]![axis]?["type"];

    [Fact]
    public void CategoryBarsGetACategoryAxisEvenWithATitle()
    {
        var f = new Figure("t/bars");
        f.Add(new BarTrace { Name = "b", X = ["1", "2", "4"], Y = [1, 2, 3] });
        f.Layout.X().Title = "batch size"; // a titled axis used to be written "linear": bars vanished
        f.Layout.Y().Title = "time";
        Assert.Equal("category", TypeOf(f, "xaxis")); // labels that look like numbers stay labels
        Assert.Equal("linear", TypeOf(f, "yaxis"));
    }

    [Fact]
    public void MarkersOverGroupedBarsInSubplotsShareCategoryAxes()
    {
        var f = new Figure("t/grouped");
        f.Layout.Grid(1, 2);
        f.Layout.BarMode = "group";
        for (int k = 1; k <= 2; k++)
        {
            string xa = k == 1 ? "x" : "x" + k, ya = k == 1 ? "y" : "y" + k;
            f.Add(new BarTrace { Name = "a", X = ["d=1", "d=2"], Y = [1, 2], XAxis = xa, YAxis = ya });
            f.Add(new BarTrace { Name = "b", X = ["d=1", "d=2"], Y = [3, 4], XAxis = xa, YAxis = ya });
            f.Add(new ScatterTrace { Name = "star", XLabels = ["d=1", "d=2"], Y = [2, 3], Mode = "markers", XAxis = xa, YAxis = ya });
            f.Layout.Y(k).Type = AxisType.Log;
        }
        Assert.Equal("category", TypeOf(f, "xaxis"));
        Assert.Equal("category", TypeOf(f, "xaxis2"));
        Assert.Equal("log", TypeOf(f, "yaxis2"));
    }

    [Fact]
    public void HeatmapLabelsGiveCategoryAxesAndNumbersLinearOnes()
    {
        var f = new Figure("t/heat");
        f.Add(new HeatmapTrace { XLabels = ["a", "b"], Y = [0.5, 1.5], Z = new double[,] { { 1, 2 }, { 3, 4 } } });
        f.Layout.X().Title = "method";
        f.Layout.Y().Title = "ρ";
        Assert.Equal("category", TypeOf(f, "xaxis"));
        Assert.Equal("linear", TypeOf(f, "yaxis"));
    }

    [Fact]
    public void AnAxisUsedOnlyByTracesIsWrittenWithItsType()
    {
        var f = new Figure("t/implicit");
        f.Add(new ScatterTrace { XLabels = ["p", "q"], Y = [1, 2], XAxis = "x3", YAxis = "y3" });
        Assert.Equal("category", TypeOf(f, "xaxis3"));
        Assert.Equal("linear", TypeOf(f, "yaxis3"));
        Assert.Null(f.ToPlotlyJson()["layout"]!["xaxis"]); // nothing declared or placed there
    }

    [Fact]
    public void LabelsOnADeclaredNumericAxisAreRefusedNamingFigureTraceAndAxis()
    {
        var f = new Figure("t/bad-axis");
        f.Add(new BarTrace { Name = "P99", X = ["FCFS", "k-LPM"], Y = [1, 2], XAxis = "x2", YAxis = "y2" });
        f.Layout.X(2).Type = AxisType.Linear;
        var e = Assert.Throws<ArgumentException>(() => f.ToPlotlyJson());
        Assert.Contains("'t/bad-axis'", e.Message);
        Assert.Contains("'P99'", e.Message);
        Assert.Contains("xaxis2", e.Message);
        Assert.Contains("declared linear", e.Message);
    }

    [Fact]
    public void NumbersAndLabelsOnOneAutoAxisAreRefused()
    {
        var f = new Figure("t/mixed");
        f.Add(new BarTrace { Name = "bars", X = ["a", "b"], Y = [1, 2] });
        f.Add(new ScatterTrace { Name = "line", X = [0, 1], Y = [1, 2] });
        var e = Assert.Throws<ArgumentException>(() => f.ToPlotlyJson());
        Assert.Contains("'line'", e.Message);
        Assert.Contains("'bars'", e.Message);
        Assert.Contains("xaxis", e.Message);
    }

    [Fact]
    public void NonPositiveValuesOnALogAxisAreRefused()
    {
        var f = new Figure("t/log");
        f.Add(new ScatterTrace { Name = "err", X = [1, 2, 3], Y = [1e-3, 0, 1e-5] });
        f.Layout.Y().Type = AxisType.Log;
        var e = Assert.Throws<ArgumentException>(() => f.ToPlotlyJson());
        Assert.Contains("Y[1] = 0", e.Message);
        Assert.Contains("yaxis", e.Message);
    }

    [Theory]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    public void NonFiniteDataIsRefusedWhenTheTraceIsAdded(double bad, string shown)
    {
        var f = new Figure("t/nan");
        var e = Assert.Throws<ArgumentException>(() => f.Add(new ScatterTrace { Name = "s", X = [1, 2], Y = [1, bad] }));
        Assert.Contains("'t/nan'", e.Message);
        Assert.Contains("'s'", e.Message);
        Assert.Contains("Y[1] is " + shown, e.Message);
        var h = Assert.Throws<ArgumentException>(() => f.Add(new HeatmapTrace { Name = "h", X = [0, 1], Y = [0], Z = new double[,] { { 1, bad } } }));
        Assert.Contains("Z[0, 1]", h.Message);
        var eb = Assert.Throws<ArgumentException>(() => f.Add(new BarTrace { Name = "b", X = ["a"], Y = [1], ErrorY = [bad] }));
        Assert.Contains("ErrorY[0]", eb.Message);
    }

    [Fact]
    public void DataChangedAfterAddIsCheckedAgainWhenSerialized()
    {
        var s = new ScatterTrace { Name = "late", X = [1], Y = [1] };
        var f = new Figure("t/late").Add(s);
        s.Y = [double.NaN];
        Assert.Contains("'late'", Assert.Throws<ArgumentException>(() => f.ToJsonString()).Message);
    }

    [Fact]
    public void EmptyTracesAreRefused()
    {
        var f = new Figure("t/empty");
        Assert.Contains("has no points", Assert.Throws<ArgumentException>(() => f.Add(new ScatterTrace { Name = "s" })).Message);
        Assert.Contains("has no bars", Assert.Throws<ArgumentException>(() => f.Add(new BarTrace { Name = "b" })).Message);
        Assert.Contains("empty z", Assert.Throws<ArgumentException>(() => f.Add(new HeatmapTrace { Name = "h" })).Message);
        Assert.Contains("'t/empty', trace 0 's'", Assert.Throws<ArgumentException>(() => f.Add(new ScatterTrace { Name = "s", X = [1], Y = [] })).Message);
    }

    [Fact]
    public void BadAxisReferencesAndRangesAreRefused()
    {
        var f = new Figure("t/refs");
        Assert.Contains("XAxis 'x1'", Assert.Throws<ArgumentException>(() => f.Add(new ScatterTrace { X = [1], Y = [1], XAxis = "x1" })).Message);
        Assert.Contains("YAxis 'x2'", Assert.Throws<ArgumentException>(() => f.Add(new ScatterTrace { X = [1], Y = [1], YAxis = "x2" })).Message);
        f.Add(new ScatterTrace { X = [1], Y = [1] });
        f.Layout.Y().Type = AxisType.Log;
        f.Layout.Y().Range = (0, 10);
        Assert.Contains("positive on a log axis", Assert.Throws<ArgumentException>(() => f.ToPlotlyJson()).Message);
    }

    [Fact]
    public void NoFileIsWrittenForAFigureThatCannotBeDrawn()
    {
        var f = new Figure("t/nofile");
        f.Add(new BarTrace { Name = "b", X = ["a"], Y = [1] });
        f.Layout.X().Type = AxisType.Log;
        string root = Path.Combine(Path.GetTempPath(), "reproduce-nofile-" + Guid.NewGuid().ToString("N")[..8]);
        Assert.Throws<ArgumentException>(() => FigureWriter.Write(f, new Table("a").Add(1), root, png: false));
        Assert.False(Directory.Exists(root) && Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public void EveryKindTheModelSerializesIsKnown()
    {
        Trace[] all = [new ScatterTrace(), new BarTrace(), new HeatmapTrace()];
        Assert.Equal(FigureValidation.KnownKinds.Order(), all.Select(t => t.Kind).Order());
        Assert.True(JsonNode.DeepEquals(JsonValue.Create("scatter"), new ScatterTrace().ToJson()["type"]));
    }
}
