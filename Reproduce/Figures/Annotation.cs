using System.Text.Json.Nodes;

namespace Reproduce.Figures;

/// <summary>Text placed on the figure, in data coordinates of the given axes or in paper coordinates (0..1).</summary>
public sealed record Annotation(string Text, double X, double Y, string XRef = "paper", string YRef = "paper", bool ShowArrow = false)
{
    internal JsonObject ToJson() => new()
    {
        ["text"] = Text, ["x"] = X, ["y"] = Y, ["xref"] = XRef, ["yref"] = YRef, ["showarrow"] = ShowArrow,
    };
}

/// <summary>A straight line segment (e.g. a theoretical bound), Plotly layout shape of type "line".
/// Coordinates are in data units of <see cref="XRef"/>/<see cref="YRef"/>; "paper" spans 0..1.</summary>
public sealed record LineShape(double X0, double Y0, double X1, double Y1, string XRef = "x", string YRef = "y", string Color = "black", string Dash = "dash")
{
    internal JsonObject ToJson() => new()
    {
        ["type"] = "line", ["x0"] = X0, ["y0"] = Y0, ["x1"] = X1, ["y1"] = Y1, ["xref"] = XRef, ["yref"] = YRef,
        ["line"] = new JsonObject { ["color"] = Color, ["dash"] = Dash, ["width"] = 1.5 },
    };
}
