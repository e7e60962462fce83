using System.Diagnostics;
using Reproduce.Compute;

namespace Reproduce.Compression;

/// <summary>GPTQ-style error-compensating quantization (Frantar et al. 2023; the brief's "one
/// error-compensating method"): the OBS column sweep of SparseGPT with "prune" replaced by "round to the
/// grid", so each column's rounding error is compensated on the columns to its right through the upper
/// Cholesky factor of (H + λI)⁻¹. Group scales are set from the current (already compensated) weights when
/// the sweep reaches the group's first column, as GPTQ does; per-channel scales are set up front.</summary>
public sealed class Gptq
{
    /// <summary>Damping fraction of mean(diag H) (0.01 as released).</summary>
    public double Percdamp { get; init; } = 0.01;

    /// <summary>Columns per lazy-update block (128 as released).</summary>
    public int BlockSize { get; init; } = 128;

    /// <summary>Quantizes Ŵ.</summary>
    public CompressionResult Quantize(LayerProblem p, QuantFormat format)
    {
        ArgumentNullException.ThrowIfNull(p); ArgumentNullException.ThrowIfNull(format);
        format.CheckFits(p.Cols);
        if (BlockSize < 1) throw new ArgumentOutOfRangeException(nameof(BlockSize), BlockSize, "block size must be ≥ 1 (128 as released).");
        var sw = Stopwatch.StartNew();
        var notes = new List<string>();
        var u = ObsSweep.UpperCholeskyOfInverse(Damping.Damp(p, Percdamp, notes, "gptq"), Percdamp, "gptq");
        var w = p.W.Copy();
        var scales = RtnQuantizer.Scales(w, format);
        bool grouped = format.GroupSize > 0;
        ObsSweep.Run(w, u, BlockSize, (_, _) => { },
            (col, q) =>
            {
                if (grouped && col % format.GroupSize == 0)
                    RtnQuantizer.Scales(w, format, col, col + format.GroupSize, scales);
                int g = RtnQuantizer.GroupOf(format, col);
                for (int r = 0; r < q.Length; r++) q[r] = format.Round(q[r], scales[r, g]);
            });
        return CompressionResult.Of($"gptq {format}", p, w, sw.Elapsed, notes) with { Scales = scales };
    }
}
