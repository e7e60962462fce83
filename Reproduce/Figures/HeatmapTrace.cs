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
        o["colorscale"] = ColorScale;
        if (ColorBarTitle is not null) o["colorbar"] = new JsonObject { ["title"] = new JsonObject { ["text"] = ColorBarTitle } };
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
    }
}
