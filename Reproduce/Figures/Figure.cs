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
        return new()
        {
            ["data"] = new JsonArray(Traces.Select(t => (JsonNode)t.ToJson()).ToArray()),
            ["layout"] = Layout.ToJson(axisTypes),
        };
    }

    /// <summary>Plotly JSON as text.</summary>
    public string ToJsonString(bool indented = false) =>
        ToPlotlyJson().ToJsonString(new JsonSerializerOptions { WriteIndented = indented });

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*/[a-z0-9][a-z0-9_.-]*$")]
    private static partial Regex IdPattern();
}
