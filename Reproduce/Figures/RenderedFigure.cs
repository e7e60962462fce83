namespace Reproduce.Figures;

/// <summary>One figure rendered by <see cref="ChromiumRenderer"/>: the marks of each trace, the PNG
/// (when asked for), or the error plotly.js raised; <paramref name="LayoutProblems"/> lists what a
/// reader could not read (a title cut at the edge, an axis title over another subplot, tick labels over each other).</summary>
public sealed record RenderedFigure(IReadOnlyList<RenderedTrace> Traces, byte[]? Png, string? Error, IReadOnlyList<string> LayoutProblems);
