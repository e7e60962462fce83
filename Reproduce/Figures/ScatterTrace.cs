using System.Text.Json.Nodes;

namespace Reproduce.Figures;

/// <summary>Points and/or lines, with optional error bars: Plotly "scatter".</summary>
public sealed class ScatterTrace : Trace
{
    /// <summary>Numeric x values (or use <see cref="XLabels"/> for a category axis).</summary>
    public double[] X { get; set; } = [];

    /// <summary>Category x values; when set, <see cref="X"/> is ignored.</summary>
    public string[]? XLabels { get; set; }

    /// <summary>y values.</summary>
    public double[] Y { get; set; } = [];

    /// <summary>Symmetric (or upper, with <see cref="ErrorYMinus"/>) error bars on y.</summary>
    public double[]? ErrorY { get; set; }

    /// <summary>Lower error bars when asymmetric.</summary>
    public double[]? ErrorYMinus { get; set; }

    /// <summary>"lines", "markers", "lines+markers".</summary>
    public string Mode { get; set; } = "lines+markers";

    /// <summary>Line dash: "solid", "dash", "dot".</summary>
    public string? Dash { get; set; }

    /// <summary>Marker/line colour (CSS).</summary>
    public string? Color { get; set; }

    /// <summary>Outline colour of the markers (CSS), so a marker drawn over a bar of its own colour stays visible.</summary>
    public string? MarkerOutline { get; set; }

    /// <summary>Hover text per point.</summary>
    public string[]? Text { get; set; }

    /// <summary>The points (x, y) whose y is finite, for series where a missing value means "not
    /// measured" (figures reject NaN); null when no point is left, so the caller adds no empty trace.</summary>
    public static ScatterTrace? OfFinitePoints(string name, double[] x, double[] y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Trace '{name}': x has {x.Length} values, y has {y.Length}.");
        var keep = Enumerable.Range(0, y.Length).Where(i => double.IsFinite(y[i])).ToArray();
        if (keep.Length == 0) return null;
        return new ScatterTrace { Name = name, X = keep.Select(i => x[i]).ToArray(), Y = keep.Select(i => y[i]).ToArray() };
    }

    /// <inheritdoc />
    public override string Kind => "scatter";

    /// <inheritdoc />
    protected override void Fill(JsonObject o)
    {
        o["x"] = XLabels is not null ? Strings(XLabels) : Numbers(X);
        o["y"] = Numbers(Y);
        o["mode"] = Mode;
        if (ErrorY is not null) o["error_y"] = ErrorBars(ErrorY, ErrorYMinus);
        var line = new JsonObject();
        if (Dash is not null) line["dash"] = Dash;
        if (Color is not null) { line["color"] = Color; o["marker"] = new JsonObject { ["color"] = Color }; }
        if (line.Count > 0) o["line"] = line;
        if (MarkerOutline is not null)
        {
            var marker = o["marker"] as JsonObject ?? new JsonObject();
            marker["line"] = new JsonObject { ["color"] = MarkerOutline, ["width"] = 1.5 };
            o["marker"] = marker;
        }
        if (Text is not null) o["text"] = Strings(Text);
    }

    /// <inheritdoc />
    internal override IEnumerable<AxisCoordinates> Coordinates() =>
    [
        XLabels is not null ? new AxisCoordinates('x', "XLabels", null, XLabels) : new AxisCoordinates('x', "X", X, null),
        new AxisCoordinates('y', "Y", Y, null),
    ];

    /// <inheritdoc />
    internal override IEnumerable<(string Field, double[] Values)> PlottedNumbers()
    {
        if (XLabels is null) yield return ("X", X);
        yield return ("Y", Y);
        if (ErrorY is not null) yield return ("ErrorY", ErrorY);
        if (ErrorYMinus is not null) yield return ("ErrorYMinus", ErrorYMinus);
    }

    /// <inheritdoc />
    internal override void CheckShape(string who)
    {
        int n = XLabels?.Length ?? X.Length;
        if (n == 0 && Y.Length == 0) throw new ArgumentException($"{who} has no points. Leave the trace out or give it data.");
        if (Y.Length != n) throw new ArgumentException($"{who}: x has {n} values but y has {Y.Length}.");
        if (ErrorY is not null && ErrorY.Length != n) throw new ArgumentException($"{who}: ErrorY has {ErrorY.Length} values for {n} points.");
        if (ErrorYMinus is not null && ErrorY is null) throw new ArgumentException($"{who}: ErrorYMinus needs ErrorY (the upper bars).");
        if (ErrorYMinus is not null && ErrorYMinus.Length != n) throw new ArgumentException($"{who}: ErrorYMinus has {ErrorYMinus.Length} values for {n} points.");
        if (Text is not null && Text.Length != n) throw new ArgumentException($"{who}: Text has {Text.Length} entries for {n} points.");
    }
}
