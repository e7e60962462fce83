using System.Text.Json.Nodes;
using Reproduce.Figures;

namespace Reproduce.Tests.Figures;

/// <summary>The layout choices made for the reader: titles wrapped to the figure's width, one
/// colour per legend entry across subplots, readable log-axis ticks, room for inner axis titles.
/// The browser test checks the drawn result; these pin the rules themselves.</summary>
public class FigureLayoutTests
{
    [Fact]
    public void LongTitlesWrapAtSpacesWithinTheWidthAndShortOnesStayWhole()
    {
        string title = string.Join(" ", Enumerable.Range(0, 40).Select(i => "word" + i));
        int per = TitleText.CharactersPerLine(800);
        var lines = TitleText.Wrap(title, per);
        Assert.True(lines.Count >= 3);
        Assert.All(lines, l => Assert.True(l.Length <= per, l));
        Assert.Equal(title, string.Join(" ", lines));
        Assert.Equal(["short title"], TitleText.Wrap("short title", per));

        var fig = new Figure("t/wrap", title).Add(new ScatterTrace { X = [1, 2], Y = [1, 2] });
        var layout = fig.ToPlotlyJson()["layout"]!;
        Assert.Equal(string.Join("<br>", lines), (string)layout["title"]!["text"]!);
        Assert.Equal(100 + 22 * (lines.Count - 2), (int)layout["margin"]!["t"]!);
    }

    [Fact]
    public void LongXAxisTitlesWrapToTheirSubplotsWidthAndMakeRoom()
    {
        string title = "forward speed-up over dense (fastest of 20, 64×128 tokens; points: kept fraction 1, 0.75, 0.5, 0.25)";
        var fig = new Figure("t/xwrap").Add(new ScatterTrace { X = [1, 2], Y = [1, 2] });
        fig.Layout.X().Title = title;
        fig.Layout.Y().Title = "short";
        var layout = fig.ToPlotlyJson()["layout"]!;
        var lines = ((string)layout["xaxis"]!["title"]!["text"]!).Split("<br>");
        Assert.True(lines.Length >= 2);
        Assert.All(lines, l => Assert.True(l.Length <= TitleText.XAxisTitleCharacters(800, 1), l));
        Assert.Equal(title, string.Join(" ", lines));
        Assert.True((bool)layout["xaxis"]!["automargin"]!);
        Assert.Equal("short", (string)layout["yaxis"]!["title"]!["text"]!);
        Assert.Null(layout["yaxis"]!["automargin"]);

        var grid = new Figure("t/xwrap2").Add(new ScatterTrace { X = [1, 2], Y = [1, 2] });
        grid.Layout.Grid(1, 2);
        grid.Layout.X(2).Title = "a title of forty-five characters in all words";
        Assert.Contains("<br>", (string)grid.ToPlotlyJson()["layout"]!["xaxis2"]!["title"]!["text"]!);
    }

    [Fact]
    public void TracesOfOneLegendGroupShareAColourAndExplicitColoursAreKept()
    {
        var fig = new Figure("t/colours");
        fig.Layout.Grid(1, 3);
        fig.Add(new ScatterTrace { Name = "a", X = [1, 2], Y = [1, 2], LegendGroup = "a" });
        fig.Add(new ScatterTrace { Name = "a (right)", X = [1, 2], Y = [1, 2], LegendGroup = "a", ShowLegend = false, XAxis = "x2", YAxis = "y2" });
        fig.Add(new ScatterTrace { Name = "black", X = [1, 2], Y = [3, 4], Color = "black" });
        fig.Add(new ScatterTrace { Name = "b", X = [1, 2], Y = [5, 6], LegendGroup = "b" });
        fig.Add(new BarTrace { Name = "c", X = ["p", "q"], Y = [1, 2], XAxis = "x3", YAxis = "y3" });
        var data = fig.ToPlotlyJson()["data"]!.AsArray();
        string Colour(int i, string part) => (string)data[i]![part]!["color"]!;
        Assert.Equal(Colour(0, "line"), Colour(1, "line"));
        Assert.Equal(Colour(0, "marker"), Colour(1, "marker"));
        Assert.Equal("black", Colour(2, "line"));
        Assert.Equal([TraceColors.Palette[0], TraceColors.Palette[1], TraceColors.Palette[2]], new[] { Colour(0, "line"), Colour(3, "line"), Colour(4, "marker") });
    }

    [Theory]
    [InlineData(1, 1e15, 12)]    // 15 decades: every second decade
    [InlineData(500, 2000, 4)]   // under a decade
    [InlineData(3.9, 13.5, 11)]  // about half a decade on each side of 10
    [InlineData(0.0035, 0.4, 11)]
    public void LogTicksAreFewReadableAndInsideTheData(double lo, double hi, int maxLabels)
    {
        var ticks = LogAxisTicks.Choose(lo, hi, maxLabels)!;
        Assert.InRange(ticks.Length, 2, maxLabels);
        double pad = Math.Pow(hi / lo, 0.08);
        Assert.All(ticks, v => Assert.InRange(v, lo / pad, hi * pad));
        Assert.Equal(ticks.Order(), ticks);
        // Each tick is m·10^k for a one-digit m: a label a reader can read as the number it is.
        Assert.All(ticks, v =>
        {
            double m = v / Math.Pow(10, Math.Floor(Math.Log10(v) + 1e-9));
            Assert.Equal(Math.Round(m), m, 9);
        });
    }

    [Fact]
    public void LogTickLabelsAreWholeValuesOrPowersOfTen()
    {
        Assert.Equal("0.002", LogAxisTicks.Label(0.002, powers: false));
        Assert.Equal("20000", LogAxisTicks.Label(20000, powers: false));
        Assert.Equal("10<sup>15</sup>", LogAxisTicks.Label(1e15, powers: true));
        Assert.Equal("5×10<sup>-4</sup>", LogAxisTicks.Label(5e-4, powers: true));
        Assert.Null(LogAxisTicks.Choose(3.9, 4.1, 10)); // no two ticks of any set: plotly.js's own
    }

    [Fact]
    public void TitledInnerAxesWidenTheGridGaps()
    {
        var fig = new Figure("t/gaps");
        fig.Layout.Grid(2, 2);
        for (int k = 1; k <= 4; k++)
            fig.Add(new ScatterTrace { X = [1, 2], Y = [1, 2], XAxis = k == 1 ? "x" : "x" + k, YAxis = k == 1 ? "y" : "y" + k });
        var plain = fig.ToPlotlyJson()["layout"]!["grid"]!.AsObject();
        Assert.False(plain.ContainsKey("xgap"));
        Assert.False(plain.ContainsKey("ygap"));
        fig.Layout.Y(2).Title = "right-hand y";
        fig.Layout.X(1).Title = "upper x";
        var grid = fig.ToPlotlyJson()["layout"]!["grid"]!;
        Assert.Equal(0.3, (double)grid["xgap"]!);
        Assert.Equal(0.35, (double)grid["ygap"]!);
    }

    [Fact]
    public void MarkerOutlineIsWrittenBesideTheMarkerColour()
    {
        var fig = new Figure("t/outline").Add(new ScatterTrace { X = [1, 2], Y = [1, 2], Mode = "markers", Color = "red", MarkerOutline = "black" });
        var marker = fig.ToPlotlyJson()["data"]![0]!["marker"]!;
        Assert.Equal("red", (string)marker["color"]!);
        Assert.Equal("black", (string)marker["line"]!["color"]!);
    }
}
