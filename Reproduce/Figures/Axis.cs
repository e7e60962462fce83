using System.Text.Json.Nodes;

namespace Reproduce.Figures;

/// <summary>Plotly axis types.</summary>
public enum AxisType { Linear, Log, Category }

/// <summary>One axis of a figure (Plotly layout.xaxis / yaxis, or xaxis2... for subplots).</summary>
public sealed class Axis
{
    /// <summary>Axis title.</summary>
    public string? Title { get; set; }

    /// <summary>Linear, log or category.</summary>
    public AxisType Type { get; set; } = AxisType.Linear;

    /// <summary>Optional fixed range (in data units; for log axes in data units too, converted on export).</summary>
    public (double Lo, double Hi)? Range { get; set; }

    /// <summary>For subplots: the grid cell domain anchor, e.g. "y2" for xaxis2. Set by <see cref="Layout.Grid"/>.</summary>
    public string? Anchor { get; set; }

    internal JsonObject ToJson()
    {
        var o = new JsonObject
        {
            ["type"] = Type switch { AxisType.Log => "log", AxisType.Category => "category", _ => "linear" },
        };
        if (Title is not null) o["title"] = new JsonObject { ["text"] = Title };
        if (Range is { } r)
        {
            double lo = Type == AxisType.Log ? Math.Log10(r.Lo) : r.Lo;
            double hi = Type == AxisType.Log ? Math.Log10(r.Hi) : r.Hi;
            o["range"] = new JsonArray(lo, hi);
        }
        if (Anchor is not null) o["anchor"] = Anchor;
        return o;
    }
}
