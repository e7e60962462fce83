using System.Diagnostics;
using Reproduce.Compute;
using Reproduce.Compute.Cuda;

namespace Reproduce.Compression;

/// <summary>SparseGPT on a CUDA device: the host algorithm (<see cref="ObsSweep"/>) step for step, in float64.
/// U is formed as on the host (flip, cuSOLVER Cholesky, triangular solve, flip); per block of columns the
/// unstructured mask is the device top-k of w²/U_qq² (<see cref="CudaBackend.TopKMask"/>, ties to the lower
/// index as <see cref="PruningMask.TopK"/>); the sweep inside a block runs one thread per row (rows are
/// independent given U; N:M groups are chosen by each row as the sweep reaches them), with the host's operations
/// in the host's order; the lazy update after a block is one DGEMM.
///
/// Where results may differ from the CPU path: the Cholesky factor, the triangular inverse and the lazy-update
/// GEMMs are cuSOLVER/cuBLAS's, which sum in another order than LAPACK/BLAS on the host. U and the weights a
/// block starts from therefore agree to a few units of rounding (relative ~n·ε·κ), and a mask can differ only
/// where two saliencies lie that close (a near-tie at the selection threshold or inside an N:M group). The
/// in-block sweep and the scores are bit-identical given the same inputs (checked on the host by
/// CompressionKernelEmulationTests).</summary>
public sealed partial class SparseGpt
{
    private CompressionResult PruneCuda(CudaBackend cb, LayerProblem p, SparsityTarget target, Matrix start, Stopwatch sw, List<string> notes)
    {
        if (target.IsPattern && target.M > CompressionKernelSource.MaxM)
            throw new ArgumentException($"sparsegpt on CUDA: N:M with M = {target.M} > {CompressionKernelSource.MaxM} has no kernel; use the CPU (Device = null).");
        var dev = Device!;
        using var h = p.H.To(dev);
        Matrix u;
        using (var damped = CompressionCuda.Damp(cb, h, p, Percdamp, notes, "sparsegpt"))
            u = CompressionCuda.UpperCholeskyOfInverse(cb, damped, Percdamp, "sparsegpt");
        using var uOwned = u;
        using var w = start.AsType(DType.F64).To(dev);
        int rows = p.Rows, n = p.Cols;
        long blockLen = (long)rows * BlockSize;
        using var err = cb.AllocateBytes(8 * blockLen);
        using var score = target.IsPattern ? null : cb.AllocateBytes(8 * blockLen);
        using var keep = target.IsPattern ? null : cb.AllocateBytes(blockLen);
        for (int i1 = 0; i1 < n; i1 += BlockSize)
        {
            int i2 = Math.Min(i1 + BlockSize, n), count = i2 - i1;
            if (!target.IsPattern)
            {
                long len = (long)rows * count;
                cb.ObsScores(w, u, i1, count, score!);
                cb.TopKMask(score!.Ptr, len, absval: false, target.Kept(len), keep!);
                cb.ObsBlock(w, u, i1, count, keep, 0, 0, err);
            }
            else cb.ObsBlock(w, u, i1, count, null, target.N, target.M, err);
            cb.ObsLazyUpdate(w, u, i1, i2, err);
        }
        return CompressionCuda.Result("sparsegpt", p, h, w, sw, notes, cb);
    }
}
