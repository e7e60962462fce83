using Reproduce.Compute;

namespace Reproduce.Rounding;

/// <summary>Rounds the row-stacked matrix A_k = [A; A; …; A]/√k (k copies, same singular values as
/// A; Dexter et al. §5, brief §2.3) copy by copy, each copy with independent uniforms, and
/// accumulates ÃᵀÃ block by block (<see cref="GramAccumulator"/>), so Ã is never stored: memory is one
/// n×d block plus d×d. σ_min(Ã) = √λ_min(ÃᵀÃ).</summary>
public static class StackedRounding
{
    /// <summary>Rounds A_k onto <paramref name="grid"/> and returns σ_min, σ_max, v, 𝓡.
    /// Element (copy c, linear index i) uses uniform u(key, c·n·d + i).</summary>
    public static StackedRoundingResult Run(Matrix a, int copies, RoundingGrid grid, RoundingMode mode, ulong key, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(grid);
        if (copies < 1) throw new ArgumentOutOfRangeException(nameof(copies), copies, "The number of stacked copies k must be at least 1.");
        SrTestMatrices.CheckShape((int)Math.Min(int.MaxValue, (long)a.Rows * copies), a.Cols);
        int n = a.Rows, d = a.Cols;
        using var host = a.ToCpu();
        var block = host.Copy();
        if (copies > 1)
        {
            double s = 1 / Math.Sqrt(copies);
            var span = block.Span;
            for (int i = 0; i < span.Length; i++) span[i] *= s;
        }
        // Per-column SR variance sums: every copy has the same entries, so k times one copy.
        double v = double.PositiveInfinity;
        var bs = block.Span;
        for (int j = 0; j < d; j++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += grid.StochasticVariance(bs[j * n + i]);
            v = Math.Min(v, sum * copies);
        }
        double r = 0;
        var rounded = Matrix.Zeros(n, d);
        using var gram = new GramAccumulator(d, device);
        for (int c = 0; c < copies; c++)
        {
            RoundingKernel.RoundElements(block.Span, rounded.Span, grid, mode, key, (long)c * n * d);
            var rs = rounded.Span;
            bs = block.Span;
            for (int i = 0; i < rs.Length; i++) r = Math.Max(r, Math.Abs(rs[i] - bs[i]));
            if (device is null || device.Kind == DeviceKind.Cpu) gram.Add(rounded);
            else
            {
                using var onDevice = rounded.To(device);
                gram.Add(onDevice);
            }
        }
        var (lo, hi) = gram.SingularValueExtremes();
        return new StackedRoundingResult((long)n * copies, d, lo, hi, v, r);
    }
}
