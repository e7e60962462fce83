using System.Text.Json.Nodes;

namespace Reproduce.Figures;

/// <summary>Gives every scatter and bar trace without a colour of its own a colour from plotly.js's
/// default palette, one per legend group. plotly.js colours traces by their index, so the copy of a
/// series in a second subplot (same legend group, legend entry hidden) would get the next colour
/// and the legend would name the wrong line; colouring by group keeps one colour per legend entry.</summary>
internal static class TraceColors
{
    /// <summary>plotly.js's default colorway, in its order.</summary>
    internal static readonly string[] Palette =
    [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ];

    /// <summary>Writes the colour into each uncoloured trace's JSON (<paramref name="data"/>[i] is trace i).</summary>
    internal static void Assign(IReadOnlyList<Trace> traces, JsonObject[] data)
    {
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < traces.Count; i++)
        {
            var (own, isScatter) = traces[i] switch
            {
                ScatterTrace s => (s.Color, true),
                BarTrace b => (b.Color, false),
                _ => ("", false), // heat maps take a colour scale, not a colour
            };
            if (own is not null) continue;
            string key = traces[i].LegendGroup is { } g ? "group:" + g : "trace:" + i;
            if (!groups.TryGetValue(key, out var color)) groups[key] = color = Palette[groups.Count % Palette.Length];
            var marker = data[i]["marker"] as JsonObject ?? new JsonObject();
            marker["color"] = color;
            data[i]["marker"] = marker;
            if (!isScatter) continue;
            var line = data[i]["line"] as JsonObject ?? new JsonObject();
            line["color"] = color;
            data[i]["line"] = line;
        }
    }
}
