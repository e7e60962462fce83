using System.Numerics.Tensors;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>The bias of <see cref="Linear"/> on the CPU: y[:, n] += b for every column, and
/// ∂b += Σₙ dy[:, n]. As rank-1 GEMMs (b·1ᵀ, dY·1) these are memory-bound calls that a BLAS runs far
/// below its GEMM rate; here they are vectorized column loops over fixed chunks of columns, the
/// chunks' partial sums added in chunk order, so results do not depend on the thread count.</summary>
internal static class HostBias
{
    private const int Chunk = 256;

    public static void Add(Matrix y, Matrix bias)
    {
        if (y.DType == DType.F64) Add<double>(CpuKernels.Data<double>(y), CpuKernels.Data<double>(bias), y.Rows, y.Cols);
        else Add<float>(CpuKernels.Data<float>(y), CpuKernels.Data<float>(bias), y.Rows, y.Cols);
    }

    public static void AccumulateGradient(Matrix dy, Matrix grad)
    {
        if (dy.DType == DType.F64) Grad<double>(CpuKernels.Data<double>(dy), CpuKernels.Data<double>(grad), dy.Rows, dy.Cols);
        else Grad<float>(CpuKernels.Data<float>(dy), CpuKernels.Data<float>(grad), dy.Rows, dy.Cols);
    }

    private static void Add<T>(T[] y, T[] b, int rows, int cols) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        Parallel.For(0, (cols + Chunk - 1) / Chunk, ci =>
        {
            for (int n = ci * Chunk; n < Math.Min(cols, (ci + 1) * Chunk); n++)
            {
                var col = new Span<T>(y, n * rows, rows);
                TensorPrimitives.Add(col, new ReadOnlySpan<T>(b, 0, rows), col);
            }
        });
    }

    private static void Grad<T>(T[] dy, T[] g, int rows, int cols) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int chunks = (cols + Chunk - 1) / Chunk;
        var part = new T[chunks * rows];
        Parallel.For(0, chunks, ci =>
        {
            var acc = new Span<T>(part, ci * rows, rows);
            for (int n = ci * Chunk; n < Math.Min(cols, (ci + 1) * Chunk); n++) TensorPrimitives.Add(acc, new ReadOnlySpan<T>(dy, n * rows, rows), acc);
        });
        var gs = new Span<T>(g, 0, rows);
        for (int ci = 0; ci < chunks; ci++) TensorPrimitives.Add(gs, new ReadOnlySpan<T>(part, ci * rows, rows), gs);
    }
}
