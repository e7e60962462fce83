namespace Reproduce.Figures;

/// <summary>What <see cref="FigureWriter.Write"/> produced: the files written and notes about
/// the ones skipped (e.g. no PNG without Chromium).</summary>
public sealed record FigureFiles(IReadOnlyList<string> Written, IReadOnlyList<string> Notes);
