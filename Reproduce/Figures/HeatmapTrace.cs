using System.Text.Json.Nodes;

namespace Reproduce.Figures;

/// <summary>A grid of values: Plotly "heatmap". Z[i, j] is the value at row y[i], column x[j].</summary>
public sealed class HeatmapTrace : Trace
{
    /// <summary>Column coordinates (numeric); or use <see cref="XLabels"/>.</summary>
    public double[] X { get; set; } = [];

    /// <summary>Row coordinates (numeric); or use <see cref="YLabels"/>.</summary>
    public double[] Y { get; set; } = [];

    /// <summary>Category column labels.</summary>
    public string[]? XLabels { get; set; }

    /// <summary>Category row labels.</summary>
    public string[]? YLabels { get; set; }

    /// <summary>Values, rows × columns.</summary>
    public double[,] Z { get; set; } = new double[0, 0];

    /// <summary>Plotly colour scale name, e.g. "Viridis", "RdBu".</summary>
    public string ColorScale { get; set; } = "Viridis";

    /// <summary>For a heat map of integer codes: one colour and colour-bar label per code. Each code gets a band of its own
    /// colour (a continuous scale would draw neighbouring codes, e.g. "tie" and "FCFS", in near-identical shades), and
    /// the colour bar names the codes instead of showing numbers. Overrides <see cref="ColorScale"/>.</summary>
    public IReadOnlyList<HeatmapCategory>? Categories { get; set; }

    /// <summary>Colour bar title.</summary>
    public string? ColorBarTitle { get; set; }

    /// <inheritdoc />
    public override string Kind => "heatmap";

    /// <inheritdoc />
    protected override void Fill(JsonObject o)
    {
        int rows = Z.GetLength(0), cols = Z.GetLength(1);
        o["x"] = XLabels is not null ? Strings(XLabels) : Numbers(X);
        o["y"] = YLabels is not null ? Strings(YLabels) : Numbers(Y);
        var z = new JsonArray();
        for (int i = 0; i < rows; i++)
        {
            var row = new double[cols];
            for (int j = 0; j < cols; j++) row[j] = Z[i, j];
            z.Add(Numbers(row));
        }
        o["z"] = z;
        var colorbar = new JsonObject();
        if (ColorBarTitle is not null) colorbar["title"] = new JsonObject { ["text"] = ColorBarTitle };
        if (Categories is { Count: > 0 } cats) FillCategories(o, colorbar, cats);
        else o["colorscale"] = ColorScale;
        if (colorbar.Count > 0) o["colorbar"] = colorbar;
    }

    /// <summary>A stepped colour scale over [min code − ½, max code + ½]: code c fills the band [c − ½, c + ½].</summary>
    private static void FillCategories(JsonObject o, JsonObject colorbar, IReadOnlyList<HeatmapCategory> cats)
    {
        var sorted = cats.OrderBy(c => c.Code).ToArray();
        for (int i = 1; i < sorted.Length; i++)
            if (sorted[i].Code != sorted[i - 1].Code + 1)
                throw new ArgumentException($"Heat-map categories must be consecutive integer codes; {sorted[i - 1].Code} is followed by {sorted[i].Code}.");
        double lo = sorted[0].Code - 0.5, hi = sorted[^1].Code + 0.5;
        var scale = new JsonArray();
        for (int i = 0; i < sorted.Length; i++)
        {
            double a = i / (double)sorted.Length, b = (i + 1) / (double)sorted.Length;
            scale.Add(new JsonArray(a, sorted[i].Color));
            scale.Add(new JsonArray(b, sorted[i].Color));
        }
        o["colorscale"] = scale;
        o["zmin"] = lo;
        o["zmax"] = hi;
        colorbar["tickvals"] = Numbers(sorted.Select(c => (double)c.Code).ToArray());
        colorbar["ticktext"] = Strings(sorted.Select(c => c.Label).ToArray());
    }

    /// <inheritdoc />
    internal override IEnumerable<AxisCoordinates> Coordinates() =>
    [
        XLabels is not null ? new AxisCoordinates('x', "XLabels", null, XLabels) : new AxisCoordinates('x', "X", X, null),
        YLabels is not null ? new AxisCoordinates('y', "YLabels", null, YLabels) : new AxisCoordinates('y', "Y", Y, null),
    ];

    /// <inheritdoc />
    internal override IEnumerable<(string Field, double[] Values)> PlottedNumbers()
    {
        if (XLabels is null) yield return ("X", X);
        if (YLabels is null) yield return ("Y", Y);
        yield return ("Z", Z.Cast<double>().ToArray());
    }

    /// <inheritdoc />
    internal override void CheckShape(string who)
    {
        int rows = Z.GetLength(0), cols = Z.GetLength(1);
        int nx = XLabels?.Length ?? X.Length, ny = YLabels?.Length ?? Y.Length;
        if (rows == 0 || cols == 0) throw new ArgumentException($"{who} has an empty z ({rows}×{cols}). Leave the trace out or give it data.");
        if (nx != cols || ny != rows) throw new ArgumentException($"{who}: z is {rows}×{cols} but x has {nx} and y has {ny} values.");
        if (Categories is { Count: > 0 } cats)
            foreach (double v in Z)
                if (!cats.Any(c => c.Code == v))
                    throw new ArgumentException($"{who}: z holds {v}, which is not one of the categories' codes ({string.Join(", ", cats.Select(c => c.Code))}).");
    }
}

/// <summary>One code of a categorical heat map: its integer value in z, its colour-bar label and its colour (CSS).</summary>
public sealed record HeatmapCategory(int Code, string Label, string Color);
