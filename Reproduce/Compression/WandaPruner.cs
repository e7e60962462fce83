using System.Diagnostics;

namespace Reproduce.Compression;

/// <summary>Wanda (pruning by weights and activations): score |Ŵ_ij|·‖X_j‖ with ‖X_j‖ = √H_jj, compared
/// within each output row (unstructured: the same fraction per row, as in Wanda) or within each N:M group.
/// Uses only the diagonal of H, and kept weights are not updated.</summary>
public static class WandaPruner
{
    /// <summary>Prunes Ŵ to the target.</summary>
    public static CompressionResult Prune(LayerProblem p, SparsityTarget target)
    {
        ArgumentNullException.ThrowIfNull(p); ArgumentNullException.ThrowIfNull(target);
        target.CheckFits(p.Cols);
        var sw = Stopwatch.StartNew();
        var w = p.W.Span;
        var score = new double[w.Length];
        for (int j = 0; j < p.Cols; j++)
        {
            double norm = Math.Sqrt(Math.Max(p.H[j, j], 0));
            for (int i = 0; i < p.Rows; i++) score[i + j * p.Rows] = Math.Abs(w[i + j * p.Rows]) * norm;
        }
        var mask = target.IsPattern
            ? PruningMask.NM(score, p.Rows, target.N, target.M)
            : PruningMask.TopKPerRow(score, p.Rows, (int)target.Kept(p.Cols));
        return CompressionResult.Of("wanda", p, MagnitudePruner.Apply(p.W, mask), sw.Elapsed, []);
    }
}
