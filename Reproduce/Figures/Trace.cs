using System.Text.Json.Nodes;

namespace Reproduce.Figures;

/// <summary>A Plotly trace. Subclasses: <see cref="ScatterTrace"/>, <see cref="BarTrace"/>, <see cref="HeatmapTrace"/>.</summary>
public abstract class Trace
{
    /// <summary>Legend name.</summary>
    public string? Name { get; set; }

    /// <summary>Subplot axes, "x"/"y" (default) or "x2"/"y2", ...</summary>
    public string XAxis { get; set; } = "x";

    /// <summary>See <see cref="XAxis"/>.</summary>
    public string YAxis { get; set; } = "y";

    /// <summary>Legend group (traces with the same group toggle together).</summary>
    public string? LegendGroup { get; set; }

    /// <summary>Bars and markers with the same offset group share a slot within a category (a
    /// marker drawn over its own bar in a grouped bar chart, not at the category's centre).</summary>
    public string? OffsetGroup { get; set; }

    /// <summary>Hide from legend (e.g. the second subplot's copy of a series).</summary>
    public bool ShowLegend { get; set; } = true;

    /// <summary>Plotly "type".</summary>
    public abstract string Kind { get; }

    /// <summary>Serializes to Plotly trace JSON.</summary>
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["type"] = Kind };
        if (Name is not null) o["name"] = Name;
        if (XAxis != "x") o["xaxis"] = XAxis;
        if (YAxis != "y") o["yaxis"] = YAxis;
        if (LegendGroup is not null) o["legendgroup"] = LegendGroup;
        if (!ShowLegend) o["showlegend"] = false;
        if (OffsetGroup is not null) { o["offsetgroup"] = OffsetGroup; o["alignmentgroup"] = "offset"; }
        Fill(o);
        return o;
    }

    /// <summary>Adds kind-specific fields.</summary>
    protected abstract void Fill(JsonObject o);

    /// <summary>The coordinates this trace places on its x ('x') and y ('y') axes: numbers or text labels.</summary>
    internal abstract IEnumerable<AxisCoordinates> Coordinates();

    /// <summary>Every plotted number with the field it belongs to (coordinates, error bars, z), for the finiteness check.</summary>
    internal abstract IEnumerable<(string Field, double[] Values)> PlottedNumbers();

    /// <summary>Throws when lengths disagree or the trace is empty; <paramref name="who"/> names the figure and trace.</summary>
    internal abstract void CheckShape(string who);

    internal static JsonArray Numbers(IEnumerable<double> values)
    {
        var a = new JsonArray();
        // Figure.Validate has rejected NaN/Inf before serialization, so every value is finite JSON.
        foreach (var v in values) a.Add(JsonValue.Create(v));
        return a;
    }

    internal static JsonArray Strings(IEnumerable<string> values)
    {
        var a = new JsonArray();
        foreach (var v in values) a.Add(v);
        return a;
    }

    internal static JsonObject ErrorBars(double[] err, double[]? errMinus) => errMinus is null
        ? new JsonObject { ["type"] = "data", ["array"] = Numbers(err), ["visible"] = true }
        : new JsonObject { ["type"] = "data", ["symmetric"] = false, ["array"] = Numbers(err), ["arrayminus"] = Numbers(errMinus), ["visible"] = true };
}
