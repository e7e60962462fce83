namespace Reproduce.Figures;

/// <summary>What plotly.js placed for one trace in a real browser: <paramref name="Expected"/> marks
/// from the data (points with both coordinates, non-zero bars, heat-map cells), <paramref name="Placed"/>
/// marks found in the rendered SVG with finite pixel positions and sizes, and any problem seen
/// (no line drawn, labels off the category grid, unknown kind).</summary>
public sealed record RenderedTrace(int Index, string Type, string Name, int Expected, int Placed, IReadOnlyList<string> Problems);
