namespace Reproduce.Figures;

/// <summary>One figure rendered by <see cref="ChromiumRenderer"/>: the marks of each trace, the PNG
/// (when asked for), or the error plotly.js raised.</summary>
public sealed record RenderedFigure(IReadOnlyList<RenderedTrace> Traces, byte[]? Png, string? Error);
