using Reproduce.Compute;

namespace Reproduce.Tests.Compute;

/// <summary>The front door <see cref="Ops.RandomNormal"/> / <see cref="Ops.RandomUniform"/> /
/// <see cref="Ops.RandomRademacher"/>: stream semantics (exactly one <see cref="Rng.NextUInt64"/>),
/// bad input, and the statistics of 10⁶ draws. Statistical thresholds are ≈5 standard errors (the
/// Kolmogorov–Smirnov bound 2.7/√n is the p ≈ 10⁻⁶ point), so a correct generator fails with
/// probability ≈ 10⁻⁶ per check while a broken one (wrong scale, correlated pairs, a bad bit) fails
/// clearly; one test shows that a 2 % scale error is caught.</summary>
public class RandomFillTests
{
    private const int Side = 1000; // 10⁶ draws
    private const int N = Side * Side;
    private static readonly double KsBound = 2.7 / Math.Sqrt(N);

    private static Matrix Draw(RandomKind kind, Rng rng, DType dt = DType.F64, int rows = Side, int cols = Side) => kind switch
    {
        RandomKind.Normal => Ops.RandomNormal(rows, cols, rng, dtype: dt),
        RandomKind.Uniform => Ops.RandomUniform(rows, cols, rng, dtype: dt),
        _ => Ops.RandomRademacher(rows, cols, rng, dtype: dt),
    };

    // ---------------- stream semantics ----------------

    [Fact]
    public void EachCallConsumesExactlyOneDrawOfTheCallersStream()
    {
        foreach (var kind in Enum.GetValues<RandomKind>())
            foreach (var dt in new[] { DType.F64, DType.F32 })
                foreach (var (m, n) in new[] { (0, 0), (3, 0), (5, 7), (64, 65) })
                {
                    var rng = new Rng(9); var twin = new Rng(9);
                    rng.Normal(); twin.Normal(); // leaves a cached spare normal in both: it must survive
                    Draw(kind, rng, dt, m, n);
                    twin.NextUInt64();
                    Assert.Equal(twin.Normal(), rng.Normal());
                    Assert.Equal(twin.NextUInt64(), rng.NextUInt64());
                }
    }

    [Fact]
    public void TheKeyIsTheCallersNextDrawAndEntriesAreStreamElementsInColumnMajorOrder()
    {
        foreach (var kind in Enum.GetValues<RandomKind>())
        {
            ulong key = new Rng(21).NextUInt64();
            var m = Draw(kind, new Rng(21), DType.F64, 13, 9);
            Assert.Equal(Device.Cpu, m.Device);
            for (int j = 0; j < 9; j++)
                for (int i = 0; i < 13; i++)
                    Assert.Equal(Philox.Value(kind, key, j * 13L + i), m[i, j]);
            var f = Draw(kind, new Rng(21), DType.F32, 13, 9);
            Assert.Equal(DType.F32, f.DType);
            for (int k = 0; k < 13 * 9; k++) Assert.Equal(Philox.ValueF32(kind, key, k), f.SpanF32[k]);
        }
    }

    [Fact]
    public void ConsecutiveCallsDrawIndependentMatricesAndSeedsReproduce()
    {
        var rng = new Rng(4);
        var a = Ops.RandomNormal(50, 40, rng);
        var b = Ops.RandomNormal(50, 40, rng);
        Assert.False(Backends.BitEqual(a, b));
        Assert.True(Backends.BitEqual(a, Ops.RandomNormal(50, 40, new Rng(4))));
        Assert.InRange(Ops.Dot(a, b) / 2000, -5 / Math.Sqrt(2000), 5 / Math.Sqrt(2000));
    }

    [Fact]
    public void FillRandomInPlaceEqualsTheAllocatingCall()
    {
        foreach (var kind in Enum.GetValues<RandomKind>())
        {
            var target = Matrix.Zeros(31, 17, DType.F32);
            var rng = new Rng(8);
            Assert.Same(target, Ops.FillRandom(target, kind, rng));
            Assert.True(Backends.BitEqual(Draw(kind, new Rng(8), DType.F32, 31, 17), target));
            var twin = new Rng(8); twin.NextUInt64();
            Assert.Equal(twin.NextUInt64(), rng.NextUInt64());
        }
    }

    [Fact]
    public void AColumnBlockDrawnWithAnOffsetEqualsThoseColumnsOfTheWholeMatrix()
    {
        const int m = 37, n = 20, j0 = 7, j1 = 15;
        foreach (var kind in Enum.GetValues<RandomKind>())
        {
            var whole = Ops.FillRandom(Matrix.Zeros(m, n), kind, 1234UL);
            var block = Ops.FillRandom(Matrix.Zeros(m, j1 - j0), kind, 1234UL, first: (long)j0 * m);
            Assert.True(Backends.BitEqual(Ops.GatherColumns(whole, Enumerable.Range(j0, j1 - j0).ToArray()), block), kind.ToString());
        }
    }

    // ---------------- bad input ----------------

    [Fact]
    public void BadInputIsRejectedWithTheArgumentAndValueAndDoesNotAdvanceTheStream()
    {
        var rng = new Rng(3); var twin = new Rng(3);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.RandomNormal(-1, 3, rng));
        Assert.Equal("rows", e.ParamName);
        Assert.Contains("RandomNormal: rows must be ≥ 0, got -1", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.RandomUniform(2, -5, rng));
        Assert.Equal("cols", e.ParamName);
        Assert.Contains("got -5", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.RandomRademacher(2, 2, rng, dtype: (DType)7));
        Assert.Equal("dtype", e.ParamName);
        Assert.Contains("use DType.F64 or DType.F32", e.Message);
        Assert.Throws<ArgumentNullException>(() => Ops.RandomNormal(2, 2, null!));
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.FillRandom(Matrix.Zeros(2, 2), (RandomKind)5, rng));
        Assert.Equal("kind", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.FillRandom(Matrix.Zeros(2, 2), RandomKind.Normal, 1UL, first: -4));
        Assert.Equal("first", e.ParamName);
        Assert.Equal(twin.NextUInt64(), rng.NextUInt64());
    }

    // ---------------- statistics of 10⁶ draws ----------------

    private static double Phi(double x) => 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(-x / Math.Sqrt(2));

    /// <summary>Kolmogorov–Smirnov distance between the sample's empirical CDF and <paramref name="cdf"/>.</summary>
    private static double Ks(double[] sample, Func<double, double> cdf)
    {
        var s = (double[])sample.Clone();
        Array.Sort(s);
        double d = 0, n = s.Length;
        for (int i = 0; i < s.Length; i++)
        {
            double f = cdf(s[i]);
            d = Math.Max(d, Math.Max((i + 1) / n - f, f - i / n));
        }
        return d;
    }

    /// <summary>Mean of x[i]·x[i + lag] (stepping by <paramref name="step"/>) and the number of products.</summary>
    private static (double Mean, int Count) LagProduct(double[] x, int lag, int step = 1, Func<double, double>? f = null)
    {
        f ??= v => v;
        double s = 0; int c = 0;
        for (int i = 0; i + lag < x.Length; i += step) { s += f(x[i]) * f(x[i + lag]); c++; }
        return (s / c, c);
    }

    [Fact]
    public void NormalsHaveStandardMomentsAndPassKolmogorovSmirnov()
    {
        var z = Ops.RandomNormal(Side, Side, new Rng(20241)).ToArray();
        double mean = z.Average();
        double m2 = z.Select(v => v * v).Average(), m4 = z.Select(v => v * v * v * v).Average();
        Assert.InRange(mean, -5 / Math.Sqrt(N), 5 / Math.Sqrt(N));
        Assert.InRange(m2, 1 - 5 * Math.Sqrt(2.0 / N), 1 + 5 * Math.Sqrt(2.0 / N));
        Assert.InRange(m4, 3 - 5 * Math.Sqrt(96.0 / N), 3 + 5 * Math.Sqrt(96.0 / N));
        Assert.All(z, v => Assert.True(double.IsFinite(v) && Math.Abs(v) < 8.6));
        double d = Ks(z, Phi);
        Assert.True(d < KsBound, $"KS distance {d:G3} ≥ {KsBound:G3}");
        // Power: the same test rejects a sample whose scale is 2 % off.
        double dBroken = Ks(z.Select(v => 1.02 * v).ToArray(), Phi);
        Assert.True(dBroken > KsBound, $"KS distance of a 2 %-mis-scaled sample {dBroken:G3} should exceed {KsBound:G3}");
    }

    [Fact]
    public void NormalsAreUncorrelatedAcrossNeighboursBoxMullerPairsAndColumns()
    {
        var z = Ops.RandomNormal(Side, Side, new Rng(77)).ToArray();
        // Adjacent elements, even/odd partners of one Box–Muller block (lag 1 at even i), the element
        // beside it in the next block (lag 1 at odd i), and the same row of the next column (lag Side).
        foreach (var (lag, step, start) in new[] { (1, 1, 0), (1, 2, 0), (1, 2, 1), (2, 1, 0), (Side, 1, 0) })
        {
            var (c, count) = LagProduct(z[start..], lag, step);
            Assert.True(Math.Abs(c) < 5 / Math.Sqrt(count), $"E[z_k z_k+{lag}] (step {step}, from {start}) = {c:G3}");
        }
        // Squares of Box–Muller partners: z₀² z₁² = r⁴ cos²θ sin²θ has mean 1 and variance 8 when θ is
        // uniform and independent of r (a shared or skewed angle breaks this).
        var (sq, pairs) = LagProduct(z, 1, 2, v => v * v);
        Assert.True(Math.Abs(sq - 1) < 5 * Math.Sqrt(8.0 / pairs), $"E[z₀² z₁²] = {sq:G4}, expected 1");
    }

    [Fact]
    public void UniformsAreUniformOnTheHalfOpenUnitIntervalInBothPrecisions()
    {
        foreach (var dt in new[] { DType.F64, DType.F32 })
        {
            var u = Ops.RandomUniform(Side, Side, new Rng(5), dtype: dt).ToArray();
            Assert.All(u, v => Assert.True(v >= 0 && v < 1, $"{dt} uniform {v} outside [0, 1)"));
            double mean = u.Average(), var = u.Select(v => (v - 0.5) * (v - 0.5)).Average();
            Assert.InRange(mean, 0.5 - 5 * Math.Sqrt(1.0 / 12 / N), 0.5 + 5 * Math.Sqrt(1.0 / 12 / N));
            Assert.InRange(var, 1.0 / 12 - 5 * Math.Sqrt(1.0 / 180 / N), 1.0 / 12 + 5 * Math.Sqrt(1.0 / 180 / N)); // Var((u−½)²) = 1/180
            double d = Ks(u, x => Math.Clamp(x, 0, 1));
            Assert.True(d < KsBound, $"{dt} uniform KS distance {d:G3} ≥ {KsBound:G3}");
            var (c, count) = LagProduct(u.Select(v => v - 0.5).ToArray(), 1);
            Assert.True(Math.Abs(c) < 5 * (1.0 / 12) / Math.Sqrt(count), $"{dt} adjacent uniforms correlate: {c:G3}");
        }
    }

    [Fact]
    public void RademacherSignsAreFairIndependentAndBalancedInEveryBitPosition()
    {
        var x = Ops.RandomRademacher(Side, Side, new Rng(6)).ToArray();
        Assert.All(x, v => Assert.True(v == 1 || v == -1));
        double mean = x.Average();
        Assert.InRange(mean, -5 / Math.Sqrt(N), 5 / Math.Sqrt(N));
        foreach (int lag in new[] { 1, 63, 64, 127, 128, Side })
        {
            var (c, count) = LagProduct(x, lag);
            Assert.True(Math.Abs(c) < 5 / Math.Sqrt(count), $"E[x_k x_k+{lag}] = {c:G3}");
        }
        // Each of the 128 bit positions of a Philox block (k mod 128) must be a fair coin.
        var plus = new int[128];
        for (int k = 0; k < x.Length; k++) if (x[k] > 0) plus[k % 128]++;
        double per = x.Length / 128.0, sd = Math.Sqrt(per / 4);
        for (int c = 0; c < 128; c++) Assert.True(Math.Abs(plus[c] - per / 2) < 5 * sd, $"bit position {c}: {plus[c]} of {per} positive");
    }
}
