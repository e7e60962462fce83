using System.Text.Json.Nodes;

namespace Reproduce.Figures;

/// <summary>Plotly axis types. <see cref="Auto"/> (the default) takes the type from the traces on
/// the axis when the figure is serialized: category when a trace places text labels on it, linear
/// when every trace places numbers. Declare <see cref="Log"/> for log scales.</summary>
public enum AxisType
{
    /// <summary>Category when a trace on the axis has text coordinates, else linear.</summary>
    Auto,

    /// <summary>Numbers on a linear scale.</summary>
    Linear,

    /// <summary>Positive numbers on a log10 scale.</summary>
    Log,

    /// <summary>Text labels (numbers are shown as labels too), in order of first appearance.</summary>
    Category,
}

/// <summary>One axis of a figure (Plotly layout.xaxis / yaxis, or xaxis2... for subplots).</summary>
public sealed class Axis
{
    /// <summary>Axis title.</summary>
    public string? Title { get; set; }

    /// <summary>Declared type; <see cref="AxisType.Auto"/> follows the data (see <see cref="AxisType"/>).</summary>
    public AxisType Type { get; set; } = AxisType.Auto;

    /// <summary>Optional fixed range (in data units; for log axes in data units too, converted on export).</summary>
    public (double Lo, double Hi)? Range { get; set; }

    /// <summary>For subplots: the grid cell domain anchor, e.g. "y2" for xaxis2. Set by <see cref="Layout.Grid"/>.</summary>
    public string? Anchor { get; set; }

    /// <summary>Plotly's name of a type.</summary>
    internal static string PlotlyName(AxisType t) => t switch
    {
        AxisType.Log => "log",
        AxisType.Category => "category",
        AxisType.Linear => "linear",
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, "Auto is resolved from the traces before export."),
    };

    /// <summary>Serializes with the type resolved from the traces (null: no trace on this axis and none declared).
    /// A title longer than <paramref name="titleCharacters"/> is wrapped (plotly.js draws an axis title on one line,
    /// centred on the axis, and the figure's edge cuts what does not fit), and the axis then makes room for it.</summary>
    internal JsonObject ToJson(AxisType? resolved, int titleCharacters = int.MaxValue)
    {
        var o = new JsonObject();
        // Always explicit: plotly.js's own guess turns labels like "1", "2" into numbers.
        if (resolved is { } t) o["type"] = PlotlyName(t);
        if (Title is not null)
        {
            var lines = TitleText.Wrap(Title, titleCharacters);
            o["title"] = new JsonObject { ["text"] = string.Join("<br>", lines) };
            if (lines.Count > 1) o["automargin"] = true;
        }
        if (Range is { } r)
        {
            bool log = resolved == AxisType.Log;
            double lo = log ? Math.Log10(r.Lo) : r.Lo;
            double hi = log ? Math.Log10(r.Hi) : r.Hi;
            o["range"] = new JsonArray(lo, hi);
        }
        if (Anchor is not null) o["anchor"] = Anchor;
        return o;
    }
}
