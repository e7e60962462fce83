using Reproduce.Compute;

namespace Reproduce.Tests.Compute;

/// <summary>Statistical sanity of <see cref="Rng"/>: moments within ≈5 standard errors (so a correct
/// generator fails with probability ≈ 1e-6 per check, while a wrong distribution fails clearly).</summary>
public class RngTests
{
    private const int N = 200_000;

    [Fact]
    public void UniformHasMeanHalfAndVarianceOneTwelfth()
    {
        var r = new Rng(1);
        double s = 0, s2 = 0;
        for (int i = 0; i < N; i++) { double u = r.Uniform(); Assert.InRange(u, 0, 1 - 1e-17); s += u; s2 += u * u; }
        double mean = s / N, var = s2 / N - mean * mean;
        Assert.InRange(mean, 0.5 - 5 * Math.Sqrt(1.0 / 12 / N), 0.5 + 5 * Math.Sqrt(1.0 / 12 / N));
        Assert.InRange(var, 1.0 / 12 - 0.002, 1.0 / 12 + 0.002);
    }

    [Fact]
    public void NormalHasStandardMoments()
    {
        var r = new Rng(2);
        double s = 0, s2 = 0, s4 = 0;
        for (int i = 0; i < N; i++) { double z = r.Normal(); s += z; s2 += z * z; s4 += z * z * z * z; }
        Assert.InRange(s / N, -5 / Math.Sqrt(N), 5 / Math.Sqrt(N));
        Assert.InRange(s2 / N, 1 - 5 * Math.Sqrt(2.0 / N), 1 + 5 * Math.Sqrt(2.0 / N));
        Assert.InRange(s4 / N, 3 - 5 * Math.Sqrt(96.0 / N), 3 + 5 * Math.Sqrt(96.0 / N)); // Var(z⁴) = 105 − 9 = 96
    }

    [Fact]
    public void DiscreteDrawsHaveTheRightFrequencies()
    {
        var r = new Rng(3);
        int plus = 0, bern = 0;
        var counts = new int[7];
        double expSum = 0;
        for (int i = 0; i < N; i++)
        {
            if (r.Rademacher() > 0) plus++;
            if (r.Bernoulli(0.3)) bern++;
            counts[r.NextInt(7)]++;
            expSum += r.Exponential(2.0);
        }
        Assert.InRange(plus, N / 2 - 5 * Math.Sqrt(N / 4.0), N / 2 + 5 * Math.Sqrt(N / 4.0));
        Assert.InRange(bern, 0.3 * N - 5 * Math.Sqrt(0.21 * N), 0.3 * N + 5 * Math.Sqrt(0.21 * N));
        foreach (var c in counts) Assert.InRange(c, N / 7.0 - 5 * Math.Sqrt(N / 7.0), N / 7.0 + 5 * Math.Sqrt(N / 7.0));
        Assert.InRange(expSum / N, 0.5 - 5 * 0.5 / Math.Sqrt(N), 0.5 + 5 * 0.5 / Math.Sqrt(N));
    }

    [Fact]
    public void PermutationsAreUniformAndValid()
    {
        var r = new Rng(4);
        var firstCounts = new int[5];
        const int T = 50_000;
        for (int t = 0; t < T; t++)
        {
            var p = r.Permutation(5);
            Assert.Equal([0, 1, 2, 3, 4], p.Order().ToArray());
            firstCounts[p[0]]++;
        }
        foreach (var c in firstCounts) Assert.InRange(c, T / 5.0 - 5 * Math.Sqrt(T * 0.16), T / 5.0 + 5 * Math.Sqrt(T * 0.16));
    }

    [Fact]
    public void SamplingWithoutReplacementIsDistinctAndUniform()
    {
        var r = new Rng(5);
        var counts = new int[20];
        const int T = 20_000;
        for (int t = 0; t < T; t++)
        {
            var s = r.SampleWithoutReplacement(20, 6);
            Assert.Equal(6, s.Distinct().Count());
            foreach (var i in s) counts[i]++;
        }
        double p = 6.0 / 20, expect = T * p, sd = Math.Sqrt(T * p * (1 - p));
        foreach (var c in counts) Assert.InRange(c, expect - 5 * sd, expect + 5 * sd);
        Assert.Throws<ArgumentOutOfRangeException>(() => r.SampleWithoutReplacement(3, 4));
    }

    [Fact]
    public void WeightedSamplingFollowsTheWeights()
    {
        var r = new Rng(6);
        double[] w = [1, 0, 3, 6];
        var draws = r.SampleWithReplacement(w, N);
        var counts = new int[4];
        foreach (var d in draws) counts[d]++;
        Assert.Equal(0, counts[1]);
        for (int i = 0; i < 4; i++)
        {
            double p = w[i] / 10, sd = Math.Sqrt(N * p * (1 - p));
            Assert.InRange(counts[i], N * p - 5 * sd - 1e-9, N * p + 5 * sd + 1e-9);
        }
        Assert.Throws<ArgumentException>(() => r.SampleWithReplacement([0.0, 0.0], 3));
        Assert.Throws<ArgumentException>(() => r.SampleWithReplacement([1.0, double.NaN], 3));
    }

    [Fact]
    public void ForksAreReproducibleAndUncorrelated()
    {
        var root = new Rng(7);
        var a = root.Fork("a"); var b = root.Fork("b");
        Assert.Equal(new Rng(7).Fork("a").NextUInt64(), new Rng(7).Fork("a").NextUInt64());
        Assert.NotEqual(new Rng(7).Fork("a").NextUInt64(), new Rng(7).Fork("b").NextUInt64());
        Assert.NotEqual(new Rng(7).Fork(0).NextUInt64(), new Rng(7).Fork(1).NextUInt64());
        double sab = 0;
        for (int i = 0; i < N; i++) sab += a.Normal() * b.Normal();
        Assert.InRange(sab / N, -5 / Math.Sqrt(N), 5 / Math.Sqrt(N));
    }
}
