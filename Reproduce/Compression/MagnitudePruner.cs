using System.Diagnostics;
using Reproduce.Compute;

namespace Reproduce.Compression;

/// <summary>Magnitude pruning: keep the largest |Ŵ_ij| (global top-k over the matrix, or N:M per row);
/// kept weights are not changed. The baseline every exact-H method must beat on the objective.</summary>
public static class MagnitudePruner
{
    /// <summary>Prunes Ŵ to the target.</summary>
    public static CompressionResult Prune(LayerProblem p, SparsityTarget target)
    {
        ArgumentNullException.ThrowIfNull(p); ArgumentNullException.ThrowIfNull(target);
        target.CheckFits(p.Cols);
        var sw = Stopwatch.StartNew();
        var w = p.W.Span;
        var score = new double[w.Length];
        for (int i = 0; i < w.Length; i++) score[i] = Math.Abs(w[i]);
        var result = Apply(p.W, PruningMask.Select(score, p.Rows, target));
        return CompressionResult.Of("magnitude", p, result, sw.Elapsed, []);
    }

    /// <summary>W with the entries outside the mask set to zero.</summary>
    public static Matrix Apply(Matrix w, bool[] mask)
    {
        var r = w.Copy();
        var s = r.Span;
        for (int i = 0; i < s.Length; i++) if (!mask[i]) s[i] = 0;
        return r;
    }
}
