using System.Globalization;
using System.Text.RegularExpressions;

namespace Reproduce.Figures;

/// <summary>The checks that keep a figure drawable: every trace is of a kind plotly.js draws here,
/// holds data, has finite numbers, and places coordinates its axes can show (text labels only on
/// category axes, positive numbers on log axes, one kind per axis). Messages name the figure id,
/// the trace (index and name) and the axis, and say what to change.</summary>
public static partial class FigureValidation
{
    /// <summary>Trace kinds the figure model serializes and the browser test knows how to check.</summary>
    public static readonly IReadOnlySet<string> KnownKinds = new HashSet<string>(StringComparer.Ordinal) { "scatter", "bar", "heatmap" };

    /// <summary>"Figure 'p/f', trace 2 'name' (bar)".</summary>
    internal static string Describe(Figure figure, Trace trace, int index) =>
        $"Figure '{figure.Id}', trace {index} '{trace.Name ?? "(unnamed)"}' ({trace.Kind})";

    /// <summary>Checks one trace on its own: known kind, axis references, data present, lengths, finite numbers.</summary>
    internal static void CheckTrace(Figure figure, Trace trace, int index)
    {
        string who = Describe(figure, trace, index);
        if (!KnownKinds.Contains(trace.Kind))
            throw new ArgumentException($"{who}: unknown trace kind '{trace.Kind}'. Supported kinds: {string.Join(", ", KnownKinds)}.");
        if (!AxisRef().IsMatch(trace.XAxis) || trace.XAxis[0] != 'x')
            throw new ArgumentException($"{who}: XAxis '{trace.XAxis}' must be 'x', 'x2', 'x3', ... (Plotly axis references).");
        if (!AxisRef().IsMatch(trace.YAxis) || trace.YAxis[0] != 'y')
            throw new ArgumentException($"{who}: YAxis '{trace.YAxis}' must be 'y', 'y2', 'y3', ... (Plotly axis references).");
        trace.CheckShape(who);
        foreach (var (field, values) in trace.PlottedNumbers())
        {
            for (int k = 0; k < values.Length; k++)
            {
                if (double.IsFinite(values[k])) continue;
                string at = trace is HeatmapTrace h && field == "Z" ? $"Z[{k / h.Z.GetLength(1)}, {k % h.Z.GetLength(1)}]" : $"{field}[{k}]";
                throw new ArgumentException(
                    $"{who}: {at} is {values[k].ToString(CultureInfo.InvariantCulture)}; plotted numbers must be finite. " +
                    "Leave the point out of the trace (or split the trace where a gap is meant), and say in the figure's notes why it is missing.");
            }
        }
        foreach (var c in trace.Coordinates())
        {
            if (c.Labels is null) continue;
            int blank = Array.FindIndex(c.Labels, string.IsNullOrEmpty);
            if (blank >= 0) throw new ArgumentException($"{who}: {c.Field}[{blank}] is an empty label; every category needs a name.");
        }
    }

    /// <summary>Checks every trace against its axes and returns the Plotly type of every axis in use
    /// or declared (layout names such as "xaxis", "yaxis2").</summary>
    internal static IReadOnlyDictionary<string, AxisType> ResolveAxes(Figure figure)
    {
        var placed = new Dictionary<string, List<(int Index, Trace Trace, AxisCoordinates Coords)>>(StringComparer.Ordinal);
        for (int i = 0; i < figure.Traces.Count; i++)
        {
            var t = figure.Traces[i];
            CheckTrace(figure, t, i);
            foreach (var c in t.Coordinates())
            {
                string name = LayoutName(c.Dim == 'x' ? t.XAxis : t.YAxis);
                if (!placed.TryGetValue(name, out var list)) placed[name] = list = [];
                list.Add((i, t, c));
            }
        }

        var types = new Dictionary<string, AxisType>(StringComparer.Ordinal);
        foreach (var name in placed.Keys.Union(figure.Layout.DeclaredNames))
        {
            var axis = figure.Layout.Declared(name);
            var declared = axis?.Type ?? AxisType.Auto;
            var on = placed.GetValueOrDefault(name) ?? [];
            var labelled = on.FirstOrDefault(p => p.Coords.Labels is not null);
            var numeric = on.FirstOrDefault(p => p.Coords.Numbers is not null);
            AxisType type = declared;
            if (declared == AxisType.Auto)
            {
                if (labelled.Trace is not null && numeric.Trace is not null)
                    throw new ArgumentException(
                        $"{Describe(figure, numeric.Trace, numeric.Index)} places numbers ({numeric.Coords.Field}) on {name}, where " +
                        $"{Describe(figure, labelled.Trace, labelled.Index)} places text labels ({labelled.Coords.Field}). " +
                        "An axis shows either categories or numbers: give both traces labels, or put them on different axes.");
                type = labelled.Trace is not null ? AxisType.Category : AxisType.Linear;
            }
            else if (declared is AxisType.Linear or AxisType.Log && labelled.Trace is not null)
            {
                string sample = string.Join(", ", labelled.Coords.Labels!.Take(3).Select(l => $"\"{l}\""));
                throw new ArgumentException(
                    $"{Describe(figure, labelled.Trace, labelled.Index)} places text labels ({labelled.Coords.Field}: {sample}, ...) on {name}, " +
                    $"which is declared {Axis.PlotlyName(declared)}; plotly.js draws nothing there. Leave the axis type Auto (or declare it Category), or give numbers.");
            }
            if (type == AxisType.Log)
            {
                foreach (var (index, trace, c) in on)
                {
                    int bad = c.Numbers is null ? -1 : Array.FindIndex(c.Numbers, v => v <= 0);
                    if (bad >= 0)
                        throw new ArgumentException(
                            $"{Describe(figure, trace, index)}: {c.Field}[{bad}] = {c.Numbers![bad].ToString(CultureInfo.InvariantCulture)} cannot sit on the log axis {name}. " +
                            "Leave non-positive values out (saying so in the notes), or use a linear axis.");
                }
            }
            if (axis?.Range is { } r)
            {
                if (!double.IsFinite(r.Lo) || !double.IsFinite(r.Hi) || r.Lo >= r.Hi || (type == AxisType.Log && r.Lo <= 0))
                    throw new ArgumentException($"Figure '{figure.Id}': {name} range ({r.Lo}, {r.Hi}) must be finite and increasing{(type == AxisType.Log ? ", and positive on a log axis" : "")}.");
            }
            if (type != AxisType.Auto) types[name] = type;
        }
        return types;
    }

    /// <summary>"x" → "xaxis", "y3" → "yaxis3".</summary>
    internal static string LayoutName(string axisRef) => axisRef[..1] + "axis" + axisRef[1..];

    [GeneratedRegex("^[xy]([2-9]|[1-9][0-9]+)?$")]
    private static partial Regex AxisRef();
}
