using Reproduce.Compute;
using Reproduce.Rounding;

namespace Reproduce.Tests.Rounding;

public class FloatFormatTests
{
    public static TheoryData<string> Formats => new() { "bfloat16", "float16", "fp8-e4m3", "fp8-e5m2" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryCodeRoundTripsForFp8AndSampledForWideFormats(string name)
    {
        var f = FloatFormat.Parse(name);
        int step = f.TotalBits == 8 ? 1 : 7; // all 256 fp8 codes; every 7th 16-bit code
        int checkedCodes = 0;
        for (int code = 0; code < f.CodeCount; code += step)
        {
            double v = f.Decode(code);
            if (f.IsNaNCode(code)) { Assert.True(double.IsNaN(v)); continue; }
            Assert.Equal(code, f.Encode(v));
            Assert.Equal(code, f.EncodeNearest(v));
            Assert.Equal(BitConverter.DoubleToInt64Bits(v), BitConverter.DoubleToInt64Bits(f.Nearest(v)));
            Assert.Equal(v, f.Stochastic(v, 0.999999));
            checkedCodes++;
        }
        Assert.True(checkedCodes > 200);
    }

    [Fact]
    public void Fp8ConstantsMatchOcpSpecification()
    {
        var e4 = FloatFormat.E4M3;
        Assert.Equal(448.0, e4.MaxFinite);
        Assert.Equal(0x7E, e4.Encode(448));
        Assert.Equal(Math.ScaleB(1, -9), e4.MinSubnormal);
        Assert.Equal(Math.ScaleB(1, -6), e4.MinNormal);
        Assert.True(e4.IsNaNCode(0x7F) && e4.IsNaNCode(0xFF));
        Assert.Equal(2, Enumerable.Range(0, 256).Count(e4.IsNaNCode));
        Assert.Equal(256.0, e4.Decode(0x78)); // S.1111.000 is a normal number in E4M3
        var e5 = FloatFormat.E5M2;
        Assert.Equal(57344.0, e5.MaxFinite);
        Assert.Equal(0x7B, e5.Encode(57344));
        Assert.Equal(double.PositiveInfinity, e5.Decode(0x7C));
        Assert.Equal(double.NegativeInfinity, e5.Decode(0xFC));
        Assert.Equal(6, Enumerable.Range(0, 256).Count(e5.IsNaNCode));
        Assert.Equal(Math.ScaleB(1, -16), e5.MinSubnormal);
        Assert.Equal(0x3F80, FloatFormat.BFloat16.Encode(1.0));
        Assert.Equal(65504.0, FloatFormat.Float16.MaxFinite);
    }

    [Fact]
    public void Fp8OverflowRules()
    {
        var e4 = FloatFormat.E4M3;
        Assert.Equal(448.0, e4.Nearest(464)); // tie between 448 (odd? no: index 14, even) and 480 → 448
        Assert.True(double.IsNaN(e4.Nearest(465))); // rounds past max: no infinity, NaN
        Assert.Equal(-448.0, e4.WithOverflow(OverflowPolicy.Saturate).Nearest(-1e6));
        Assert.True(double.IsNaN(e4.Nearest(double.PositiveInfinity)));
        var e5 = FloatFormat.E5M2;
        Assert.Equal(57344.0, e5.Nearest(61439));
        Assert.Equal(double.PositiveInfinity, e5.Nearest(61440)); // tie with 65536 (even) → overflow
        Assert.Equal(57344.0, e5.WithOverflow(OverflowPolicy.Saturate).Nearest(1e9));
        Assert.Equal(double.NegativeInfinity, e5.Stochastic(-60000, 0.0));
        Assert.Equal(-57344.0, e5.Stochastic(-60000, 0.999));
    }

    [Fact]
    public void Float16NearestMatchesSystemHalfOnExhaustiveFloatSweepAndRandomDoubles()
    {
        var f = FloatFormat.Float16;
        // Every float32 whose upper 20 bits vary, low bits from a fixed pattern set: covers all
        // binades, subnormals, ties and overflow.
        uint[] lows = [0x000, 0x001, 0x7FF, 0x800, 0x801, 0xFFF, 0x1000, 0x1FFF];
        int compared = 0;
        for (uint hi = 0; hi < (1u << 20); hi += 1)
            foreach (uint low in lows)
            {
                uint bits = (hi << 12) | (low & 0xFFF);
                float x = BitConverter.UInt32BitsToSingle(bits);
                if (float.IsNaN(x)) continue;
                double expected = (double)(Half)x;
                double actual = f.Nearest(x);
                if (BitConverter.DoubleToInt64Bits(expected) != BitConverter.DoubleToInt64Bits(actual))
                    Assert.Fail($"x = {x:R} (bits {bits:X8}): System.Half {expected:R}, ours {actual:R}");
                compared++;
            }
        var rng = new Rng(5);
        for (int i = 0; i < 200_000; i++)
        {
            double x = Math.ScaleB(rng.Uniform(-2, 2), rng.NextInt(40) - 28);
            Assert.Equal((double)(Half)x, f.Nearest(x));
            Assert.Equal(BitConverter.HalfToUInt16Bits((Half)x), f.EncodeNearest(x));
        }
        Assert.True(compared > 8_000_000);
    }

    [Fact]
    public void BFloat16NearestMatchesFloatBitRounding()
    {
        // Independent oracle: round-to-nearest-even on the float32 bit pattern.
        var rng = new Rng(11);
        var f = FloatFormat.BFloat16;
        for (int i = 0; i < 1_000_000; i++)
        {
            uint bits = (uint)rng.NextUInt64();
            float x = BitConverter.UInt32BitsToSingle(bits);
            if (!float.IsFinite(x)) continue;
            uint rounded = (bits + 0x7FFFu + ((bits >> 16) & 1)) & 0xFFFF0000u;
            double expected = BitConverter.UInt32BitsToSingle(rounded);
            Assert.Equal(expected, f.Nearest(x));
        }
    }

    [Fact]
    public void StochasticLandsOnNeighboursAndIsUnbiased()
    {
        var rng = new Rng(3);
        foreach (var f in FloatFormat.All)
        {
            foreach (double x in new[] { 0.3, -0.3, 1.7e-3, -2.5e-5, 3.14159, 100.3 })
            {
                if (Math.Abs(x) > f.MaxFinite || Math.Abs(x) < f.MinSubnormal) continue;
                var (lo, hi) = f.Bracket(x);
                Assert.True(lo < x && x < hi, $"{f.Name}: bracket of {x}");
                Assert.Equal(lo, f.Nearest(lo));
                Assert.Equal(hi, f.Nearest(hi));
                const int draws = 400_000;
                double sum = 0, sumSq = 0;
                for (int i = 0; i < draws; i++)
                {
                    double y = f.Stochastic(x, rng.Uniform());
                    Assert.True(y == lo || y == hi, $"{f.Name}: SR({x}) = {y} not in {{{lo}, {hi}}}");
                    sum += y; sumSq += (y - x) * (y - x);
                }
                double mean = sum / draws;
                double variance = f.StochasticVariance(x);
                Assert.Equal((hi - x) * (x - lo), variance, 1e-12);
                // 5σ confidence interval for the mean; fails for a biased rounding.
                double halfWidth = 5 * Math.Sqrt(variance / draws);
                Assert.True(Math.Abs(mean - x) <= halfWidth, $"{f.Name}: mean {mean:R} vs {x:R} ± {halfWidth:G3}");
                double empiricalVar = sumSq / draws - (mean - x) * (mean - x);
                double pi = (x - lo) / (hi - lo);
                double tol = 5 / Math.Sqrt(draws * pi * (1 - pi));
                Assert.InRange(empiricalVar / variance, 1 - tol, 1 + tol);
            }
        }
    }

    [Fact]
    public void BFloat16BitTrickHasExactlyTheGenericUpProbability()
    {
        // Exhaustive over all 65536 random words: the count of round-ups / 2^16 must equal the
        // generic up-probability (|x| − lo)/(hi − lo) exactly, for both signs and many binades.
        var rng = new Rng(17);
        var f = FloatFormat.BFloat16;
        for (int t = 0; t < 60; t++)
        {
            float x = (float)Math.ScaleB(rng.Uniform(-2, 2), rng.NextInt(200) - 130);
            var (lo, hi) = f.Bracket(x);
            if (lo == hi) continue;
            int up = 0;
            for (int r = 0; r < 65536; r++)
            {
                double y = BFloat16StochasticRounding.Round(x, (ushort)r);
                Assert.True(y == lo || y == hi);
                if (Math.Abs(y) == Math.Max(Math.Abs(lo), Math.Abs(hi))) up++;
            }
            double pUp = (Math.Abs((double)x) - Math.Min(Math.Abs(lo), Math.Abs(hi))) / (hi - lo);
            Assert.Equal(pUp, up / 65536.0, 15);
            // And the generic routine with u = (r + 0.5)/2^16 takes the same decisions.
            int genericUp = 0;
            for (int r = 0; r < 65536; r++)
                if (Math.Abs(f.Stochastic(x, (r + 0.5) / 65536)) == Math.Max(Math.Abs(lo), Math.Abs(hi))) genericUp++;
            Assert.Equal(up, genericUp);
        }
    }

    [Fact]
    public void UnsupportedFormatNameIsAClearError()
    {
        var e = Assert.Throws<ArgumentException>(() => FloatFormat.Parse("fp4"));
        Assert.Contains("fp4", e.Message);
        Assert.Contains("bfloat16", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => FloatFormat.E4M3.Encode(0.3));
        Assert.Throws<ArgumentOutOfRangeException>(() => FloatFormat.E4M3.Decode(256));
    }
}
