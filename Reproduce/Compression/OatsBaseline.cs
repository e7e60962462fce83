using System.Diagnostics;
using System.Globalization;
using Reproduce.Compute;

namespace Reproduce.Compression;

/// <summary>OATS-style sparse + low-rank (arXiv 2409.13652, as characterised in the HASSLE-free brief §2.6):
/// H replaced by its diagonal. Robust PCA on M = Ŵ·D, D = diag(‖X_j‖) = diag(√H_jj): alternate
/// L̃ ← T_r(M − S̃) and S̃ ← Proj(M − L̃) (top-k or N:M by magnitude), then S = S̃D⁻¹, L = L̃D⁻¹.</summary>
public sealed class OatsBaseline
{
    /// <summary>Alternating iterations (same budget as HASSLE-free in comparisons).</summary>
    public int Iterations { get; init; } = 80;

    /// <summary>Compresses Ŵ into S + L with the diagonal of H only.</summary>
    public CompressionResult Compress(LayerProblem p, SparsityTarget target, int rank)
    {
        ArgumentNullException.ThrowIfNull(p); ArgumentNullException.ThrowIfNull(target);
        LowRankStep.CheckRank(rank, p.Rows, p.Cols);
        if (Iterations < 1) throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "OATS needs at least one iteration.");
        target.CheckFits(p.Cols);
        var sw = Stopwatch.StartNew();
        var d = new double[p.Cols];
        for (int j = 0; j < p.Cols; j++) d[j] = p.H[j, j] > 0 ? Math.Sqrt(p.H[j, j]) : 1;
        var m = Ops.ScaleColumns(p.W, Matrix.Vector(d));
        var sTilde = Matrix.Zeros(p.Rows, p.Cols);
        var lTilde = Matrix.Zeros(p.Rows, p.Cols);
        var inv = Matrix.Vector(d.Select(x => 1 / x).ToArray());
        var history = new List<double>();
        for (int t = 0; t < Iterations; t++)
        {
            lTilde = rank == 0 ? Matrix.Zeros(p.Rows, p.Cols) : LowRankStep.TruncatedSvd(Ops.Sub(m, sTilde), rank);
            sTilde = Alps.Project(Ops.Sub(m, lTilde), target);
            history.Add(p.RelativeError(Ops.ScaleColumns(Ops.Add(sTilde, lTilde), inv)));
        }
        var s = Ops.ScaleColumns(sTilde, inv);
        var l = Ops.ScaleColumns(lTilde, inv);
        var w = Ops.Add(s, l);
        return CompressionResult.Of("oats-style", p, w, sw.Elapsed,
            [string.Create(CultureInfo.InvariantCulture, $"{Iterations} robust-PCA iterations on Ŵ·diag(‖X_j‖), rank {rank}.")], sparsityOf: s)
            with { Sparse = s, LowRank = l, History = history };
    }
}
