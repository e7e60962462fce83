using Reproduce.Compute;

namespace Reproduce.Rounding;

/// <summary>Elementwise rounding of a <see cref="Matrix"/> onto a <see cref="RoundingGrid"/>
/// (round-to-nearest or stochastic, Dexter et al., arXiv 2403.12278). The element kernel
/// <see cref="RoundElements"/> is a pure function of (value, grid, mode, key, global index) with
/// counter-based uniforms (<see cref="CounterUniform"/>), so a GPU kernel can mirror it bit for bit.
/// Matrices on another device are rounded on the host and sent back until such a kernel exists.</summary>
public static class RoundingKernel
{
    /// <summary>Rounds every entry of <paramref name="a"/> (column-major element i uses uniform
    /// u(key, offset + i)); returns a new float64 matrix on a's device.</summary>
    public static Matrix Round(Matrix a, RoundingGrid grid, RoundingMode mode, ulong key, long offset = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(grid);
        var host = a.Device.Kind == DeviceKind.Cpu && a.DType == DType.F64 ? a : a.ToCpu().AsType(DType.F64);
        var result = Matrix.Zeros(a.Rows, a.Cols, DType.F64);
        RoundElements(host.Span, result.Span, grid, mode, key, offset);
        if (a.Device.Kind == DeviceKind.Cpu) return result;
        var onDevice = result.To(a.Device);
        result.Dispose();
        return onDevice;
    }

    /// <summary>Rounds with a key drawn from <paramref name="rng"/> (ignored for round-to-nearest).</summary>
    public static Matrix Round(Matrix a, RoundingGrid grid, RoundingMode mode, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return Round(a, grid, mode, rng.NextUInt64());
    }

    /// <summary>Elements per parallel chunk; results do not depend on it (uniforms are indexed).</summary>
    public const int ChunkSize = 1 << 16;

    /// <summary>The element kernel: dst[i] = round(src[i]) with uniform u(key, offset + i). Long spans are
    /// split into chunks rounded in parallel; every element's uniform depends only on its index, so the
    /// result is identical for any thread count (and for a GPU kernel mirroring this function).</summary>
    public static void RoundElements(ReadOnlySpan<double> src, Span<double> dst, RoundingGrid grid, RoundingMode mode, ulong key, long offset)
    {
        if (dst.Length != src.Length)
            throw new ArgumentException($"Destination length {dst.Length} differs from source length {src.Length}.", nameof(dst));
        ArgumentNullException.ThrowIfNull(grid);
        if (src.Length <= ChunkSize || Environment.ProcessorCount == 1)
        {
            RoundRange(src, dst, grid, mode, key, offset);
            return;
        }
        var srcArray = src.ToArray();
        var dstArray = new double[src.Length];
        int chunks = (src.Length + ChunkSize - 1) / ChunkSize;
        Parallel.For(0, chunks, c =>
        {
            int start = c * ChunkSize, len = Math.Min(ChunkSize, srcArray.Length - start);
            RoundRange(srcArray.AsSpan(start, len), dstArray.AsSpan(start, len), grid, mode, key, offset + start);
        });
        dstArray.CopyTo(dst);
    }

    private static void RoundRange(ReadOnlySpan<double> src, Span<double> dst, RoundingGrid grid, RoundingMode mode, ulong key, long offset)
    {
        if (mode == RoundingMode.Nearest)
        {
            for (int i = 0; i < src.Length; i++) dst[i] = grid.Nearest(src[i]);
        }
        else
        {
            for (int i = 0; i < src.Length; i++) dst[i] = grid.Stochastic(src[i], CounterUniform.Uniform(key, offset + i));
        }
    }
}
