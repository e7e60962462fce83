using System.Text.Json.Nodes;

namespace Reproduce.Figures;

/// <summary>Bars over categories: Plotly "bar". Several bar traces with layout barmode "group" give grouped bars.</summary>
public sealed class BarTrace : Trace
{
    /// <summary>Category labels.</summary>
    public string[] X { get; set; } = [];

    /// <summary>Bar heights.</summary>
    public double[] Y { get; set; } = [];

    /// <summary>Error bars.</summary>
    public double[]? ErrorY { get; set; }

    /// <summary>Bar colour (CSS).</summary>
    public string? Color { get; set; }

    /// <inheritdoc />
    public override string Kind => "bar";

    /// <inheritdoc />
    protected override void Fill(JsonObject o)
    {
        o["x"] = Strings(X);
        o["y"] = Numbers(Y);
        if (ErrorY is not null) o["error_y"] = ErrorBars(ErrorY, null);
        if (Color is not null) o["marker"] = new JsonObject { ["color"] = Color };
    }

    /// <inheritdoc />
    internal override IEnumerable<AxisCoordinates> Coordinates() =>
        [new AxisCoordinates('x', "X", null, X), new AxisCoordinates('y', "Y", Y, null)];

    /// <inheritdoc />
    internal override IEnumerable<(string Field, double[] Values)> PlottedNumbers()
    {
        yield return ("Y", Y);
        if (ErrorY is not null) yield return ("ErrorY", ErrorY);
    }

    /// <inheritdoc />
    internal override void CheckShape(string who)
    {
        if (X.Length == 0 && Y.Length == 0) throw new ArgumentException($"{who} has no bars. Leave the trace out or give it data.");
        if (Y.Length != X.Length) throw new ArgumentException($"{who}: {X.Length} categories but {Y.Length} heights.");
        if (ErrorY is not null && ErrorY.Length != X.Length) throw new ArgumentException($"{who}: ErrorY has {ErrorY.Length} values for {X.Length} bars.");
    }
}
