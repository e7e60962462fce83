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

    /// <summary>Hover text per point.</summary>
    public string[]? Text { get; set; }

    /// <inheritdoc />
    public override string Kind => "scatter";

    /// <inheritdoc />
    protected override void Fill(JsonObject o)
    {
        int n = XLabels?.Length ?? X.Length;
        if (Y.Length != n) throw new ArgumentException($"ScatterTrace '{Name}': x has {n} values but y has {Y.Length}.");
        o["x"] = XLabels is not null ? Strings(XLabels) : Numbers(X);
        o["y"] = Numbers(Y);
        o["mode"] = Mode;
        if (ErrorY is not null) o["error_y"] = ErrorBars(ErrorY, ErrorYMinus);
        var line = new JsonObject();
        if (Dash is not null) line["dash"] = Dash;
        if (Color is not null) { line["color"] = Color; o["marker"] = new JsonObject { ["color"] = Color }; }
        if (line.Count > 0) o["line"] = line;
        if (Text is not null) o["text"] = Strings(Text);
    }
}
