using System.Globalization;
using System.Text.Json.Nodes;

namespace Reproduce.Figures;

/// <summary>Tick positions and labels for log axes. plotly.js labels the minor ticks of a log axis
/// that spans about a decade with bare digits ("2", "5" between "1" and "10"), which reads as the
/// wrong number, and crowds them on short axes. Here each log axis gets ticks at m·10^k for the
/// sparsest mantissa set {1}, {1, 3}, {1, 2, 5}, {1, 2, 3, 5, 7}, {1, …, 9} that puts at least three ticks on the data
/// (every few decades when even the decades do not fit), each labelled with its whole value.</summary>
internal static class LogAxisTicks
{
    private static readonly double[][] MantissaSets = [[1], [1, 3], [1, 2, 5], [1, 2, 3, 5, 7], [1, 2, 3, 4, 5, 6, 7, 8, 9]];

    /// <summary>Sets "tickvals"/"ticktext" on every log axis of <paramref name="layout"/> that holds data.</summary>
    internal static void Apply(Figure figure, JsonObject layout, IReadOnlyDictionary<string, AxisType> types)
    {
        foreach (var (name, type) in types)
        {
            if (type != AxisType.Log || layout[name] is not JsonObject axis) continue;
            var (lo, hi) = figure.Layout.Declared(name)?.Range ?? DataRange(figure, name);
            if (!(lo > 0 && hi >= lo)) continue;
            var ticks = Choose(lo, hi, MaxLabels(figure.Layout, name));
            if (ticks is null) continue;
            bool powers = ticks.Any(v => Exponent(v) is < -3 or > 4);
            axis["tickmode"] = "array";
            axis["tickvals"] = new JsonArray(ticks.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
            axis["ticktext"] = new JsonArray(ticks.Select(v => (JsonNode)JsonValue.Create(Label(v, powers))).ToArray());
        }
    }

    /// <summary>The ticks for data in [lo, hi] with at most <paramref name="maxLabels"/> labels, or null
    /// (leave it to plotly.js) when the data spans too little for two ticks of any set.</summary>
    internal static double[]? Choose(double lo, double hi, int maxLabels)
    {
        // plotly.js pads the range of lines and markers; ticks there are visible too (ticks beyond the
        // drawn range are simply not drawn).
        double pad = Math.Pow(hi / lo, 0.08);
        lo /= pad; hi *= pad;
        maxLabels = Math.Max(maxLabels, 2);
        double[]? fallback = null;
        foreach (var set in MantissaSets)
        {
            var ticks = Ticks(lo, hi, set);
            if (ticks.Length > maxLabels)
            {
                if (set.Length > 1) break; // a denser set only adds labels
                int step = (int)Math.Ceiling(ticks.Length / (double)maxLabels);
                return ticks.Where(v => Exponent(v) % step == 0).ToArray();
            }
            if (ticks.Length >= 3) return ticks;
            if (ticks.Length == 2) fallback ??= ticks;
        }
        return fallback;
    }

    private static double[] Ticks(double lo, double hi, double[] mantissas)
    {
        var list = new List<double>();
        for (int k = (int)Math.Floor(Math.Log10(lo)); k <= (int)Math.Ceiling(Math.Log10(hi)); k++)
            foreach (var m in mantissas)
            {
                // Parse the decimal text so that 3·10⁻¹ is the double nearest 0.3, not 0.30000000000000004.
                double v = double.Parse($"{m}e{k}", CultureInfo.InvariantCulture);
                if (v >= lo && v <= hi) list.Add(v);
            }
        return list.ToArray();
    }

    private static int Exponent(double v) => (int)Math.Floor(Math.Log10(v) + 1e-9);

    /// <summary>"0.002", "500", "20000", or, where any tick of the axis needs it, "2×10⁵" / "10⁵" (HTML sup).</summary>
    internal static string Label(double v, bool powers)
    {
        if (!powers) return v.ToString("0.####", CultureInfo.InvariantCulture);
        int k = Exponent(v);
        double m = Math.Round(v / Math.Pow(10, k), 6);
        string power = $"10<sup>{k.ToString(CultureInfo.InvariantCulture)}</sup>";
        return m == 1 ? power : $"{m.ToString(CultureInfo.InvariantCulture)}×{power}";
    }

    /// <summary>How many labels fit along the axis: its approximate length in pixels (the figure less
    /// plotly.js's margins and a legend, shared between the grid's cells) over the room a label needs
    /// (about 60 px across for x labels, 24 px up for y labels).</summary>
    private static int MaxLabels(Layout layout, string name)
    {
        var (rows, cols) = layout.GridSize ?? (1, 1);
        bool x = name.StartsWith('x');
        double pixels = x ? (layout.Width - 320.0) / cols * 0.75 : (layout.Height - 180.0) / rows * 0.8;
        return (int)(pixels / (x ? 60 : 24));
    }

    private static (double Lo, double Hi) DataRange(Figure figure, string name)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        foreach (var t in figure.Traces)
            foreach (var c in t.Coordinates())
            {
                if (c.Numbers is null || FigureValidation.LayoutName(c.Dim == 'x' ? t.XAxis : t.YAxis) != name) continue;
                foreach (var v in c.Numbers)
                    if (v > 0) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
            }
        return (lo, hi);
    }
}
