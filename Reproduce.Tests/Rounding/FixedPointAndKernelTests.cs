using Reproduce.Compute;
using Reproduce.Rounding;

namespace Reproduce.Tests.Rounding;

public class FixedPointAndKernelTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    public void DecimalStochasticRoundingIsUnbiasedWithTheCodeVariance(int p)
    {
        var grid = FixedPointGrid.Decimal(p);
        var rng = new Rng((ulong)p);
        foreach (double x in new[] { 0.123456789, -0.987654321, 0.5 + 0.37e-5 })
        {
            double pi = grid.Fraction(x);
            double h = Math.Pow(10, -p);
            Assert.Equal(h * h * pi * (1 - pi), grid.StochasticVariance(x), 1e-20);
            var (lo, hi) = grid.Bracket(x);
            const int draws = 1_000_000;
            double sum = 0, sumSq = 0;
            for (int i = 0; i < draws; i++)
            {
                double y = grid.Stochastic(x, rng.Uniform());
                Assert.True(y == lo || y == hi);
                sum += y; sumSq += (y - x) * (y - x);
            }
            double mean = sum / draws, variance = grid.StochasticVariance(x);
            Assert.True(Math.Abs(mean - x) <= 5 * Math.Sqrt(variance / draws), $"p={p}, x={x}: mean {mean:R}");
            // The empirical variance is a Bernoulli count in disguise: relative sd ≈ 1/√(draws·π(1−π)).
            double tol = 5 / Math.Sqrt(draws * pi * (1 - pi));
            Assert.InRange((sumSq / draws - (mean - x) * (mean - x)) / variance, 1 - tol, 1 + tol);
        }
    }

    [Fact]
    public void GridPointsNeverMoveAndNearestTiesToEven()
    {
        var grid = FixedPointGrid.Decimal(2);
        var rng = new Rng(1);
        for (int k = -300; k <= 300; k++)
        {
            double x = k / 100.0;
            for (int t = 0; t < 20; t++) Assert.Equal(x, grid.Stochastic(x, rng.Uniform()));
            Assert.Equal(0, grid.StochasticVariance(x));
            Assert.Equal(x, grid.Nearest(x));
        }
        var b = FixedPointGrid.Binary(2);
        Assert.Equal(0.5, b.Nearest(0.625)); // 2.5 quarters → 2 (even)
        Assert.Equal(1.0, b.Nearest(0.875)); // 3.5 quarters → 4 (even)
        Assert.Throws<ArgumentOutOfRangeException>(() => FixedPointGrid.Decimal(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => grid.Nearest(double.NaN));
    }

    [Fact]
    public void ValuesBeyondTheResolvableGridAreRejectedAtTwoToThe52()
    {
        // Above |x|/h = 2^52 float64 has no fractional part left, so "between two grid points" is
        // meaningless; the grid must refuse instead of returning x unrounded. Both sides of the limit:
        var grid = FixedPointGrid.Decimal(15);
        double inside = Math.ScaleB(1.0, 52) * 0.99 * grid.Spacing, outside = Math.ScaleB(1.0, 52) * 1.01 * grid.Spacing;
        Assert.True(double.IsFinite(grid.Nearest(inside)));
        Assert.True(double.IsFinite(grid.Stochastic(-inside, 0.5)));
        foreach (var f in new Func<double, double>[] { grid.Nearest, x => grid.Stochastic(x, 0.5), grid.Fraction, grid.StochasticVariance })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => f(outside));
            Assert.Contains("2^52", e.Message);
            Assert.Throws<ArgumentOutOfRangeException>(() => f(-outside));
        }
    }

    [Fact]
    public void KernelIsDeterministicPerKeyAndMatchesScalarRounding()
    {
        var a = new Rng(2).NormalMatrix(50, 7);
        var grid = FloatFormat.E5M2;
        var r1 = RoundingKernel.Round(a, grid, RoundingMode.Stochastic, 99UL);
        var r2 = RoundingKernel.Round(a, grid, RoundingMode.Stochastic, 99UL);
        var r3 = RoundingKernel.Round(a, grid, RoundingMode.Stochastic, 100UL);
        Assert.Equal(r1.ToArray(), r2.ToArray());
        Assert.NotEqual(r1.ToArray(), r3.ToArray());
        for (int i = 0; i < 50; i++)
            for (int j = 0; j < 7; j++)
            {
                Assert.Equal(grid.Stochastic(a[i, j], CounterUniform.Uniform(99UL, j * 50 + i)), r1[i, j]);
                var (lo, hi) = grid.Bracket(a[i, j]);
                Assert.True(r1[i, j] == lo || r1[i, j] == hi);
            }
        var nearest = RoundingKernel.Round(a, grid, RoundingMode.Nearest, 0UL);
        Assert.Equal(grid.Nearest(a[3, 4]), nearest[3, 4]);
    }

    [Fact]
    public void CounterUniformsLookUniform()
    {
        const int n = 200_000, bins = 20;
        var counts = new int[bins];
        for (int i = 0; i < n; i++) counts[(int)(CounterUniform.Uniform(7, i) * bins)]++;
        double chi2 = counts.Sum(c => (c - n / (double)bins) * (c - n / (double)bins) / (n / (double)bins));
        Assert.True(chi2 < 50, $"chi² = {chi2} with 19 degrees of freedom");
    }

    [Fact]
    public void CounterUniformBitsAreTheSplitMix64ReferenceStream()
    {
        // A GPU kernel must mirror the uniforms bit for bit, so the stream itself is pinned, not only its
        // histogram: Bits(0, i) is output i + 1 of the reference SplitMix64 (Vigna, splitmix64.c) seeded
        // with 0, values computed by an independent Python implementation of that reference.
        Assert.Equal(0xE220A8397B1DCDAFUL, CounterUniform.Bits(0, 0));
        Assert.Equal(0x6E789E6AA1B965F4UL, CounterUniform.Bits(0, 1));
        Assert.Equal(0x06C45D188009454FUL, CounterUniform.Bits(0, 2));
        Assert.Equal(0xCA062AC77CC7C3EFUL, CounterUniform.Bits(1234567, 1000));
        // Uniform keeps the top 53 bits: u = (bits >> 11)·2^−53.
        Assert.Equal((0xCA062AC77CC7C3EFUL >> 11) * Math.ScaleB(1.0, -53), CounterUniform.Uniform(1234567, 1000));
    }

    [Fact]
    public void ParallelChunkedKernelEqualsSequentialElementRule()
    {
        int n = 3 * RoundingKernel.ChunkSize + 17;
        var rng = new Rng(21);
        var src = new double[n];
        for (int i = 0; i < n; i++) src[i] = rng.Uniform(-1, 1);
        var dst = new double[n];
        var grid = FloatFormat.BFloat16;
        RoundingKernel.RoundElements(src, dst, grid, RoundingMode.Stochastic, 5UL, 1000);
        for (int i = 0; i < n; i += 97) Assert.Equal(grid.Stochastic(src[i], CounterUniform.Uniform(5UL, 1000 + i)), dst[i]);
        Assert.Equal(grid.Stochastic(src[n - 1], CounterUniform.Uniform(5UL, 1000 + n - 1)), dst[n - 1]);
    }
}
