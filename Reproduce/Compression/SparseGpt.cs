using System.Diagnostics;
using Reproduce.Compute;

namespace Reproduce.Compression;

/// <summary>SparseGPT (Frantar &amp; Alistarh 2023; brief §2.5): one OBS column sweep over the upper
/// Cholesky factor U of (H + λI)⁻¹ in blocks of <see cref="BlockSize"/> columns. Unstructured: at each
/// block start, prune the block's entries of smallest saliency w²/U_qq² (the block gets the target
/// fraction). N:M: at each group of M columns, each row prunes its M − N entries of smallest saliency.
/// The pruning error of each column is compensated on the columns to its right.</summary>
public sealed partial class SparseGpt
{
    /// <summary>Columns per lazy-update block (128 as released; also the mask-selection window).</summary>
    public int BlockSize { get; init; } = 128;

    /// <summary>Damping λ = Percdamp·mean(diag H) (0.01 as released).</summary>
    public double Percdamp { get; init; } = 0.01;

    /// <summary>Where the sweep runs: null or the CPU (float64 host loops), or a CUDA device (SparseGpt.Cuda.cs: the
    /// same sweep in float64 on the device; results equal the CPU's up to the rounding of the lazy-update GEMMs and
    /// of the factorization, see there).</summary>
    public Device? Device { get; init; }

    /// <summary>Prunes Ŵ to the target.</summary>
    public CompressionResult Prune(LayerProblem p, SparsityTarget target) => Prune(p, target, p.W);

    /// <summary>Prunes <paramref name="start"/> (a matrix of the layer's shape, e.g. the residual Ŵ − L
    /// inside HASSLE-free) on the layer's H. The result's objective is always measured against Ŵ.</summary>
    public CompressionResult Prune(LayerProblem p, SparsityTarget target, Matrix start)
    {
        ArgumentNullException.ThrowIfNull(p); ArgumentNullException.ThrowIfNull(target);
        if (BlockSize < 1) throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, "block size must be ≥ 1 (128 as released).");
        target.CheckFits(p.Cols);
        if (target.IsPattern && BlockSize % target.M != 0)
            throw new ArgumentException($"block size {BlockSize} is not a multiple of M = {target.M}.");
        var sw = Stopwatch.StartNew();
        var notes = new List<string>();
        if (CompressionCuda.Backend(Device) is { } cuda) return PruneCuda(cuda, p, target, start, sw, notes);
        var u = ObsSweep.UpperCholeskyOfInverse(Damping.Damp(p, Percdamp, notes, "sparsegpt"), Percdamp, "sparsegpt");
        var w = start.ToCpu().AsType(DType.F64).Copy();
        int rows = p.Rows;
        var pruned = new bool[rows * BlockSize];  // mask of the current block, true = prune
        int blockStart = 0;
        ObsSweep.Run(w, u,
            BlockSize,
            (i1, i2) =>
            {
                blockStart = i1;
                Array.Clear(pruned);
                if (target.IsPattern) return;
                int count = i2 - i1;
                var wv = w.Span;
                var score = new double[rows * count];
                for (int c = 0; c < count; c++)
                {
                    double d = u[i1 + c, i1 + c];
                    for (int r = 0; r < rows; r++) { double v = wv[r + (i1 + c) * rows]; score[r + c * rows] = v * v / (d * d); }
                }
                var keep = PruningMask.TopK(score, target.Kept(score.Length));
                for (int k = 0; k < keep.Length; k++) pruned[k] = !keep[k];
            },
            (col, q) =>
            {
                int c = col - blockStart;
                if (target.IsPattern && col % target.M == 0)
                {
                    var wv = w.Span;
                    var score = new double[rows * target.M];
                    for (int k = 0; k < target.M; k++)
                    {
                        double d = u[col + k, col + k];
                        for (int r = 0; r < rows; r++) { double v = wv[r + (col + k) * rows]; score[r + k * rows] = v * v / (d * d); }
                    }
                    var keep = PruningMask.NM(score, rows, target.N, target.M);
                    for (int k = 0; k < keep.Length; k++) pruned[k + c * rows] = !keep[k];
                }
                for (int r = 0; r < rows; r++) if (pruned[r + c * rows]) q[r] = 0;
            });
        return CompressionResult.Of("sparsegpt", p, w, sw.Elapsed, notes);
    }
}
