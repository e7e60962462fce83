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
        if (Y.Length != X.Length) throw new ArgumentException($"BarTrace '{Name}': {X.Length} categories but {Y.Length} heights.");
        o["x"] = Strings(X);
        o["y"] = Numbers(Y);
        if (ErrorY is not null) o["error_y"] = ErrorBars(ErrorY, null);
        if (Color is not null) o["marker"] = new JsonObject { ["color"] = Color };
    }
}
