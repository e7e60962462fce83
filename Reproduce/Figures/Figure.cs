using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Reproduce.Figures;

/// <summary>A figure in the Plotly JSON schema: traces plus layout, with a stable id
/// "&lt;paper&gt;/&lt;figure&gt;" that names its files (figures/&lt;paper&gt;/&lt;figure&gt;.json|html|csv|png).</summary>
public sealed partial class Figure
{
    /// <summary>Creates an empty figure; the id must be "paper/figure" in lowercase letters, digits, '-' and '_'.</summary>
    public Figure(string id, string? title = null)
    {
        if (!IdPattern().IsMatch(id))
            throw new ArgumentException($"Figure id '{id}' must look like 'paper/figure' (lowercase letters, digits, '-', '_').", nameof(id));
        Id = id;
        Layout.Title = title;
    }

    /// <summary>Stable id.</summary>
    public string Id { get; }

    /// <summary>The paper part of the id (folder name under figures/).</summary>
    public string Paper => Id.Split('/')[0];

    /// <summary>The figure part of the id (file stem).</summary>
    public string Name => Id.Split('/')[1];

    /// <summary>Traces in drawing order.</summary>
    public List<Trace> Traces { get; } = [];

    /// <summary>Layout.</summary>
    public Layout Layout { get; } = new();

    /// <summary>Adds a trace and returns the figure (fluent). The trace's own data is checked now
    /// (non-empty, lengths agree, finite numbers); its agreement with the axes is checked when the
    /// figure is serialized, since axes may be declared after the traces are added.</summary>
    public Figure Add(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        FigureValidation.CheckTrace(this, trace, Traces.Count);
        Traces.Add(trace);
        return this;
    }

    /// <summary>The Plotly figure object {"data": [...], "layout": {...}}. Throws
    /// <see cref="ArgumentException"/> naming the figure, trace and axis when a trace's data cannot be
    /// drawn (see <see cref="FigureValidation"/>); axis types declared <see cref="AxisType.Auto"/> are
    /// resolved from the traces.</summary>
    public JsonObject ToPlotlyJson()
    {
        var axisTypes = FigureValidation.ResolveAxes(this);
        var data = Traces.Select(t => t.ToJson()).ToArray();
        var layout = Layout.ToJson(axisTypes);
        TraceColors.Assign(Traces, data);
        // Markers with an offset group sit beside one another like grouped bars (plotly.js ≥ 2.26).
        if (Traces.Any(t => t is ScatterTrace && t.OffsetGroup is not null)) layout["scattermode"] = "group";
        LogAxisTicks.Apply(this, layout, axisTypes);
        PlaceColorBars(data, layout);
        return new()
        {
            ["data"] = new JsonArray(data.Select(d => (JsonNode)d).ToArray()),
            ["layout"] = layout,
        };
    }

    /// <summary>Several heat maps in a subplot grid would stack their colour bars at the right edge,
    /// on top of each other: each bar goes beside its own subplot instead, with a wider gap between
    /// columns to hold it. Cell positions follow plotly.js's grid (gaps are fractions of a cell).</summary>
    private void PlaceColorBars(JsonObject[] data, JsonObject layout)
    {
        if (Layout.GridSize is not { } g) return;
        var heatmaps = Traces.Select((t, i) => (t, i)).Where(x => x.t is HeatmapTrace).ToArray();
        if (heatmaps.Length < 2) return;
        double xgap = Math.Max(0.35, (double?)layout["grid"]!["xgap"] ?? 0), ygap = Math.Max(0.2, (double?)layout["grid"]!["ygap"] ?? 0);
        layout["grid"]!["xgap"] = xgap;
        layout["grid"]!["ygap"] = ygap;
        double w = 1 / (g.Cols + (g.Cols - 1) * xgap), h = 1 / (g.Rows + (g.Rows - 1) * ygap);
        foreach (var (t, i) in heatmaps)
        {
            int k = t.XAxis.Length > 1 ? int.Parse(t.XAxis[1..], System.Globalization.CultureInfo.InvariantCulture) : 1;
            int col = (k - 1) % g.Cols, row = (k - 1) / g.Cols;
            double right = col * w * (1 + xgap) + w, top = 1 - row * h * (1 + ygap);
            var bar = data[i]["colorbar"] as JsonObject ?? new JsonObject();
            bar["x"] = right + 0.01;
            bar["xanchor"] = "left";
            bar["y"] = top - h / 2;
            bar["yanchor"] = "middle";
            bar["len"] = h;
            bar["thickness"] = 12;
            // A title above the bar would run into the next subplot; beside it, it stays in the gap,
            // where it would meet the next subplot's y-axis title: an inner bar whose title the
            // last column's bar repeats shows no title of its own.
            if (bar["title"] is JsonObject title)
            {
                title["side"] = "right";
                bool repeated = heatmaps.Any(h => ((HeatmapTrace)h.t).ColorBarTitle == ((HeatmapTrace)t).ColorBarTitle && ColumnOf(h.t, g.Cols) == g.Cols - 1);
                if (col < g.Cols - 1 && repeated) bar.Remove("title");
            }
            data[i]["colorbar"] = bar;
            // The legend sits at the right edge, where the last column's colour bar now is: move it past the bar.
            if (col == g.Cols - 1 && Traces.Any(t => t.ShowLegend && t.Name is not null && t is not HeatmapTrace))
                layout["legend"] = new JsonObject { ["x"] = right + 0.12, ["xanchor"] = "left" };
        }
    }

    private static int ColumnOf(Trace t, int cols) =>
        ((t.XAxis.Length > 1 ? int.Parse(t.XAxis[1..], System.Globalization.CultureInfo.InvariantCulture) : 1) - 1) % cols;

    /// <summary>Plotly JSON as text.</summary>
    public string ToJsonString(bool indented = false) =>
        ToPlotlyJson().ToJsonString(new JsonSerializerOptions { WriteIndented = indented });

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_.-]*$")]
    private static partial Regex IdPattern();
}
