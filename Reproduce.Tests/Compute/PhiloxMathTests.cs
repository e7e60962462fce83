using Reproduce.Compute;

namespace Reproduce.Tests.Compute;

/// <summary><see cref="PhiloxMath"/>'s own ln, sin and cos (IEEE basic operations only, so CPU and
/// GPU agree bit for bit) against the library functions, its coefficients against their formulas,
/// and the AVX2 fill against the scalar code, bit for bit.</summary>
public class PhiloxMathTests
{
    private static double Ulp(double x) => Math.BitIncrement(Math.Abs(x)) - Math.Abs(x);

    [Fact]
    public void CoefficientsAreTheirFormulasRoundedToDouble()
    {
        Assert.Equal(PhiloxMath.Ln2, Math.Log(2));
        Assert.Equal(PhiloxMath.Sqrt2, Math.Sqrt(2));
        Assert.Equal(PhiloxMath.TwoPow53Inv, Math.ScaleB(1.0, -53));
        double[] q = [PhiloxMath.Q0, PhiloxMath.Q1, PhiloxMath.Q2, PhiloxMath.Q3, PhiloxMath.Q4, PhiloxMath.Q5, PhiloxMath.Q6, PhiloxMath.Q7, PhiloxMath.Q8, PhiloxMath.Q9];
        for (int i = 0; i < q.Length; i++) Assert.Equal(1.0 / (2 * i + 3), q[i]);
        double[] s = [PhiloxMath.S0, PhiloxMath.S1, PhiloxMath.S2, PhiloxMath.S3, PhiloxMath.S4, PhiloxMath.S5, PhiloxMath.S6, PhiloxMath.S7, PhiloxMath.S8];
        double[] c = [PhiloxMath.C0, PhiloxMath.C1, PhiloxMath.C2, PhiloxMath.C3, PhiloxMath.C4, PhiloxMath.C5, PhiloxMath.C6, PhiloxMath.C7, PhiloxMath.C8];
        // (2π)ⁿ/n! recomputed in double (a few roundings): equal to ~1e-15 relative. The exact
        // values were computed in rational arithmetic (π by Machin's formula) and rounded once.
        double term = 1; // (2π)ⁿ/n!
        for (int n = 0; n <= 17; n++)
        {
            if (n > 0) term *= 2 * Math.PI / n;
            double expected = (n / 2 % 2 == 0 ? 1 : -1) * term;
            double actual = n % 2 == 0 ? c[n / 2] : s[n / 2];
            Assert.True(Math.Abs(actual - expected) <= 1e-14 * Math.Abs(expected), $"coefficient of degree {n}: {actual:R} vs {expected:R}");
        }
    }

    [Fact]
    public void LogIsWithinTwoUlpOfMathLogOnTheWholeDomain()
    {
        var rng = new Rng(1);
        var inputs = new List<double> { 1.0, Math.ScaleB(1.0, -52), 0.5, Math.Sqrt(0.5), Math.BitDecrement(1.0), PhiloxMath.Sqrt2 / 2, Math.BitDecrement(PhiloxMath.Sqrt2) / 2 };
        for (int i = 0; i < 200_000; i++) inputs.Add(PhiloxMath.U1(rng.NextUInt64()));                  // the inputs Box–Muller sees
        for (int i = 0; i < 50_000; i++) inputs.Add(Math.ScaleB(1 + rng.Uniform(), -1 - rng.NextInt(52))); // every binade
        double worst = 0;
        foreach (double u in inputs)
        {
            double ours = PhiloxMath.Log(u), lib = Math.Log(u);
            if (u == 1) { Assert.Equal(0.0, ours); continue; }
            worst = Math.Max(worst, Math.Abs(ours - lib) / Ulp(lib));
        }
        Assert.True(worst <= 2, $"worst error {worst:F2} ulp");
    }

    [Fact]
    public void SinCosAreWithinTwoUnitsOfTheExactValues()
    {
        // Reference: Taylor series in decimal (28 digits) on the exactly reduced angle. (double.SinCosPi
        // is off by up to 6·2⁻⁵³ near cos = 1, and Math.SinCos(2π·u) carries the rounding of 2π·u.)
        var rng = new Rng(2);
        var js = new List<ulong> { 0, 1, (1UL << 50) - 1, 1UL << 50, (1UL << 50) + 1, 1UL << 51, 3UL << 51, (1UL << 53) - 1, (1UL << 51) + (1UL << 50) };
        for (int i = 0; i < 20_000; i++) js.Add(rng.NextUInt64() >> 11);
        decimal worst = 0;
        foreach (ulong j in js)
        {
            var (s, c) = PhiloxMath.SinCosTurns(j);
            var (rs, rc) = ReferenceSinCosTurns(j);
            // Absolute error in units of 2⁻⁵³ (an ulp of values in [½, 1)): what matters for r·sin, r·cos.
            decimal e = Math.Max(Math.Abs(Exact(s) - rs), Math.Abs(Exact(c) - rc)) * 9007199254740992m;
            worst = Math.Max(worst, e);
        }
        Assert.True(worst <= 2, $"worst error {worst:F2} × 2⁻⁵³");
        Assert.Equal((0.0, 1.0), PhiloxMath.SinCosTurns(0));
        Assert.Equal(1.0, PhiloxMath.SinCosTurns(1UL << 51).Sin);   // a quarter turn
        Assert.Equal(-1.0, PhiloxMath.SinCosTurns(1UL << 52).Cos);  // half a turn
        Assert.Equal(-1.0, PhiloxMath.SinCosTurns(3UL << 51).Sin);  // three quarters
    }

    /// <summary>A double as a decimal to 28 digits (decimal's own conversion keeps only 15 significant digits).</summary>
    private static decimal Exact(double x)
    {
        if (x == 0) return 0;
        long bits = BitConverter.DoubleToInt64Bits(Math.Abs(x));
        int e = (int)(bits >> 52) - 1075;
        decimal m = (bits & 0xFFFFFFFFFFFFFL) | (1L << 52);
        decimal v = m;
        for (; e > 0; e--) v *= 2;
        for (; e < 0; e++) v /= 2; // exact until the 28th decimal place
        return x < 0 ? -v : v;
    }

    private static (decimal Sin, decimal Cos) ReferenceSinCosTurns(ulong j)
    {
        const decimal Pi = 3.1415926535897932384626433833m;
        ulong q = (j + (1UL << 50)) >> 51;                      // exact reduction to [−1/8, 1/8] turn
        decimal a = ((long)j - (long)(q << 51)) / 9007199254740992m;
        decimal x = 2 * Pi * a, x2 = x * x;
        decimal sin = 0, cos = 0, ts = x, tc = 1;
        for (int k = 0; k < 14; k++)
        {
            sin += ts; cos += tc;
            ts = -ts * x2 / ((2 * k + 2) * (2 * k + 3));
            tc = -tc * x2 / ((2 * k + 1) * (2 * k + 2));
        }
        return (q % 4) switch { 0 => (sin, cos), 1 => (cos, -sin), 2 => (-sin, -cos), _ => (-cos, sin) };
    }

    [Fact]
    public void U1CoversTheHalfOpenIntervalEndsExactly()
    {
        Assert.Equal(1.0, PhiloxMath.U1(0));
        Assert.Equal(1.0, PhiloxMath.U1(0xFFF)); // the low 12 bits are not used
        Assert.Equal(Math.ScaleB(1.0, -52), PhiloxMath.U1(ulong.MaxValue));
        var (even, odd) = PhiloxMath.NormalPair(ulong.MaxValue, 0);
        Assert.Equal(Math.Sqrt(2 * 52 * Math.Log(2)), even, 1e-12); // the largest |z|: u1 = 2⁻⁵², angle 0
        Assert.Equal(0.0, odd);
    }

    [Fact]
    public void Avx2FillIsBitIdenticalToTheScalarFill()
    {
        // (Where the processor lacks AVX2/FMA both run the scalar code and this is trivially true.)
        var rng = new Rng(3);
        foreach (var kind in Enum.GetValues<RandomKind>())
            for (int t = 0; t < 40; t++)
            {
                long first = t < 20 ? rng.NextInt(300) : (long)(rng.NextUInt64() >> 2);
                int n = rng.NextInt(200);
                ulong key = rng.NextUInt64();
                var a = new double[n]; var b = new double[n];
                Philox.Fill(kind, key, first, a);
                Philox.FillScalar(kind, key, first, b);
                Assert.Equal(b.Select(BitConverter.DoubleToInt64Bits), a.Select(BitConverter.DoubleToInt64Bits));
                var fa = new float[n]; var fb = new float[n];
                Philox.Fill(kind, key, first, fa);
                Philox.FillScalar(kind, key, first, fb);
                Assert.Equal(fb.Select(BitConverter.SingleToInt32Bits), fa.Select(BitConverter.SingleToInt32Bits));
            }
    }
}
