using Reproduce.Compute;
using Reproduce.Rounding;

namespace Reproduce.Tests.Rounding;

/// <summary>The stacked matrix A_k = [A; …; A]/√k is rounded copy by copy with independent uniforms
/// (Dexter et al. §5). σ_min(Ã) cannot see a violation: k identical copies R give ÃᵀÃ = k·RᵀR, whose
/// extremes are those of independent copies in distribution. So these tests replay the documented
/// element rule (copy c, element i uses u(key, c·n·d + i)) and compare with the streamed result.</summary>
public class StackedRoundingStreamTests
{
    private const int N = 40, D = 3, K = 4;
    private const ulong Key = 0x5EED;

    // Every entry halfway between grid points of decimal p = 1 after the 1/√k scaling (π ≈ ½),
    // so each copy rounds each entry up or down with probability about ½.
    private static Matrix MidpointMatrix()
    {
        var rng = new Rng(31);
        return Matrix.Build(N, D, (_, _) => (rng.NextInt(19) - 9 + 0.5) / 10 * Math.Sqrt(K));
    }

    private static Matrix[] ReplayCopies(Matrix a, RoundingGrid grid)
    {
        // The same scaling StackedRounding applies (one multiplication by 1/√k per entry).
        var block = a.Copy();
        double s = 1 / Math.Sqrt(K);
        var span = block.Span;
        for (int i = 0; i < span.Length; i++) span[i] *= s;
        var copies = new Matrix[K];
        for (int c = 0; c < K; c++)
        {
            copies[c] = Matrix.Zeros(N, D);
            var src = block.Span;
            var dst = copies[c].Span;
            for (int i = 0; i < src.Length; i++)
                dst[i] = grid.Stochastic(src[i], CounterUniform.Uniform(Key, (long)c * N * D + i));
        }
        return copies;
    }

    [Fact]
    public void StackedCopiesDrawDisjointUniformStreamsAndMatchAnElementByElementReplay()
    {
        var a = MidpointMatrix();
        var grid = FixedPointGrid.Decimal(1);
        var copies = ReplayCopies(a, grid);
        // Precondition of the test: with π ≈ ½ the replayed copies differ (otherwise it could not
        // tell independent streams from a shared one).
        Assert.False(copies[0].Span.SequenceEqual(copies[1].Span), "replayed copies 0 and 1 coincide; choose entries off the grid");
        // Independent route: the full stacked matrix (k·n × d) and its thin SVD.
        var stacked = Matrix.Build(K * N, D, (i, j) => copies[i / N][i % N, j]);
        var (_, s, _) = Ops.Svd(stacked);
        double sMax = s[0], sMin = s[D - 1];
        var r = StackedRounding.Run(a, K, grid, RoundingMode.Stochastic, Key);
        Assert.Equal(sMin, r.SigmaMin, sMin * 1e-9);
        Assert.Equal(sMax, r.SigmaMax, sMax * 1e-9);
        Assert.Equal((long)K * N, r.Rows);
    }

    [Fact]
    public void VarianceSumAndMaxRoundingErrorAreThoseOfTheStackedMatrix()
    {
        var a = MidpointMatrix();
        var grid = FixedPointGrid.Decimal(1);
        var copies = ReplayCopies(a, grid);
        var r = StackedRounding.Run(a, K, grid, RoundingMode.Stochastic, Key);
        // v = min_j Σ_rows of Ã Var SR(ã_ij) over all k·n rows (k copies of the scaled entries).
        double s = 1 / Math.Sqrt(K);
        double v = double.PositiveInfinity;
        for (int j = 0; j < D; j++)
        {
            double sum = 0;
            for (int c = 0; c < K; c++)
                for (int i = 0; i < N; i++) sum += grid.StochasticVariance(a[i, j] * s);
            v = Math.Min(v, sum);
        }
        Assert.Equal(v, r.V, v * 1e-12);
        // 𝓡 = max |SR(ã) − ã| over the stacked matrix, at most one grid step.
        double rmax = 0;
        for (int c = 0; c < K; c++)
            for (int i = 0; i < N; i++)
                for (int j = 0; j < D; j++) rmax = Math.Max(rmax, Math.Abs(copies[c][i, j] - a[i, j] * s));
        Assert.Equal(rmax, r.R, 1e-15);
        Assert.True(r.R <= grid.Spacing);
    }
}
