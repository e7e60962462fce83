using System.Text.Json.Nodes;

namespace Reproduce.Figures;

/// <summary>Plotly layout: title, axes (one pair per subplot), grid, bar mode, annotations, shapes.</summary>
public sealed class Layout
{
    private readonly SortedDictionary<string, Axis> _axes = new(StringComparer.Ordinal);

    /// <summary>Figure title.</summary>
    public string? Title { get; set; }

    /// <summary>"group" (side by side), "stack", or null.</summary>
    public string? BarMode { get; set; }

    /// <summary>Subplot grid (rows, columns) or null for a single plot.</summary>
    public (int Rows, int Cols)? GridSize { get; private set; }

    /// <summary>Text annotations.</summary>
    public List<Annotation> Annotations { get; } = [];

    /// <summary>Line shapes (bounds, thresholds).</summary>
    public List<LineShape> Shapes { get; } = [];

    /// <summary>Pixel size used for PNG export and standalone HTML.</summary>
    public int Width { get; set; } = 800;

    /// <summary>See <see cref="Width"/>.</summary>
    public int Height { get; set; } = 500;

    /// <summary>The x axis of subplot k (1-based; 1 is "xaxis").</summary>
    public Axis X(int k = 1) => AxisNamed(k == 1 ? "xaxis" : "xaxis" + k);

    /// <summary>The y axis of subplot k (1-based).</summary>
    public Axis Y(int k = 1) => AxisNamed(k == 1 ? "yaxis" : "yaxis" + k);

    /// <summary>Makes a rows × cols grid of independent subplots; subplot k uses axes "x{k}"/"y{k}".</summary>
    public Layout Grid(int rows, int cols)
    {
        if (rows < 1 || cols < 1) throw new ArgumentException($"Grid needs at least 1×1, got {rows}×{cols}.");
        GridSize = (rows, cols);
        for (int k = 1; k <= rows * cols; k++)
        {
            X(k).Anchor = k == 1 ? "y" : "y" + k;
            Y(k).Anchor = k == 1 ? "x" : "x" + k;
        }
        return this;
    }

    /// <summary>The axis with Plotly layout name <paramref name="name"/> ("xaxis", "yaxis3"), if declared.</summary>
    internal Axis? Declared(string name) => _axes.GetValueOrDefault(name);

    /// <summary>Layout names of the declared axes.</summary>
    internal IEnumerable<string> DeclaredNames => _axes.Keys;

    /// <summary>The subplot grid. plotly.js leaves a tenth of a cell between cells, where the title
    /// of an inner y axis (or of an x axis above another row) does not fit and is drawn over the
    /// neighbouring plot; such titles get a wider gap.</summary>
    private JsonObject GridJson(int rows, int cols)
    {
        var grid = new JsonObject { ["rows"] = rows, ["columns"] = cols, ["pattern"] = "independent" };
        bool innerY = Enumerable.Range(1, rows * cols).Any(k => (k - 1) % cols > 0 && Declared(k == 1 ? "yaxis" : "yaxis" + k)?.Title is not null);
        bool innerX = Enumerable.Range(1, rows * cols).Any(k => (k - 1) / cols < rows - 1 && Declared(k == 1 ? "xaxis" : "xaxis" + k)?.Title is not null);
        if (innerY) grid["xgap"] = 0.3;
        if (innerX) grid["ygap"] = 0.35;
        return grid;
    }

    private Axis AxisNamed(string name)
    {
        if (!_axes.TryGetValue(name, out var a)) _axes[name] = a = new Axis();
        return a;
    }

    /// <summary>Serializes; <paramref name="axisTypes"/> maps layout axis names to their resolved types
    /// (axes that traces use but the layout never declared are written too, so each carries its type).</summary>
    internal JsonObject ToJson(IReadOnlyDictionary<string, AxisType> axisTypes)
    {
        var o = new JsonObject { ["width"] = Width, ["height"] = Height };
        if (Title is not null)
        {
            var lines = TitleText.Wrap(Title, TitleText.CharactersPerLine(Width));
            o["title"] = new JsonObject { ["text"] = string.Join("<br>", lines) };
            // plotly.js's top margin (100 px) holds two title lines; each further line needs its own room.
            if (lines.Count > 2) o["margin"] = new JsonObject { ["t"] = 100 + 22 * (lines.Count - 2) };
        }
        if (BarMode is not null) o["barmode"] = BarMode;
        if (GridSize is { } g) o["grid"] = GridJson(g.Rows, g.Cols);
        foreach (var name in _axes.Keys.Union(axisTypes.Keys).Order(StringComparer.Ordinal))
            o[name] = (_axes.GetValueOrDefault(name) ?? new Axis()).ToJson(axisTypes.TryGetValue(name, out var t) ? t : null,
                name.StartsWith("xaxis", StringComparison.Ordinal) ? TitleText.XAxisTitleCharacters(Width, GridSize?.Cols ?? 1) : int.MaxValue);
        if (Annotations.Count > 0) o["annotations"] = new JsonArray(Annotations.Select(a => (JsonNode)a.ToJson()).ToArray());
        if (Shapes.Count > 0) o["shapes"] = new JsonArray(Shapes.Select(s => (JsonNode)s.ToJson()).ToArray());
        return o;
    }
}
