using Reproduce.Compute;
using Reproduce.Stability;

namespace Reproduce.Tests.Stability;

public class SimulationTests
{
    public static TheoryData<SamplingModel> Models => [SamplingModel.Bernoulli, SamplingModel.WithoutReplacement, SamplingModel.WithReplacement];

    [Theory]
    [MemberData(nameof(Models))]
    public void AxisAlignedStepEqualsDenseStep(SamplingModel model)
    {
        var axis = new AxisAlignedFamily(15, 4);
        var dense = HessianFamily.Figure1(15, 4);
        foreach (int b in new[] { 1, 3, 7 })
        {
            var w0 = new double[axis.D];
            new Rng(1).FillUniform(w0);
            var w1 = (double[])w0.Clone();
            var w2 = (double[])w0.Clone();
            var r1 = new AxisAlignedSgd(axis, 0.3, b, model).Run(w1, new Rng(77), 40, double.PositiveInfinity);
            var r2 = new LinearizedSgd(dense, 0.3, b, model).Run(w2, new Rng(77), 40, double.PositiveInfinity);
            for (int k = 0; k < w1.Length; k++) Assert.Equal(w2[k], w1[k], 1e-9 * (1 + Math.Abs(w2[k])));
            Assert.Equal(r2.GrowthRatio, r1.GrowthRatio, 1e-9 * r2.GrowthRatio);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void MonteCarloMeanSquareMatchesRecursion(SamplingModel model)
    {
        var family = StabilityTestFamilies.Random(12, 2, 4);
        double eta = 1.1 / family.Sharpness;
        const int b = 2, steps = 6, runs = 40000;
        var expected = new SecondMomentMap(family, eta, b, model).TraceTrajectory(Matrix.Identity(2), steps);
        var sim = new LinearizedSgd(family, eta, b, model);
        var sampler = new BatchSampler(family.N, b, model);
        var sum = new double[steps + 1];
        var sumSq = new double[steps + 1];
        var rng = new Rng(2024);
        var w = new double[2];
        for (int r = 0; r < runs; r++)
        {
            rng.FillNormal(w);
            for (int t = 0; t <= steps; t++)
            {
                if (t > 0) sim.Step(w, sampler.Next(rng));
                double v = w[0] * w[0] + w[1] * w[1];
                sum[t] += v;
                sumSq[t] += v * v;
            }
        }
        for (int t = 0; t <= steps; t++)
        {
            double mean = sum[t] / runs, se = Math.Sqrt((sumSq[t] / runs - mean * mean) / runs);
            Assert.True(Math.Abs(mean - expected[t]) < 5 * se, $"t={t}: simulated {mean} ± {se}, recursion {expected[t]}");
        }
    }

    [Fact]
    public void BatchSamplerDrawsUniformSubsets()
    {
        var sampler = new BatchSampler(5, 2, SamplingModel.WithoutReplacement);
        var counts = new Dictionary<(int, int), int>();
        var rng = new Rng(6);
        for (int k = 0; k < 20000; k++)
        {
            var b = sampler.Next(rng);
            Assert.NotEqual(b[0], b[1]);
            var key = (Math.Min(b[0], b[1]), Math.Max(b[0], b[1]));
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
        Assert.Equal(10, counts.Count);
        Assert.All(counts.Values, c => Assert.InRange(c, 2000 - 250, 2000 + 250));
    }

    [Fact]
    public void DivergenceCriterionStopsAtThousandfoldGrowth()
    {
        // σ = 1, B = 1, η = 0.8: every step multiplies a sampled axis by (1 − 0.8·200) → immediate divergence.
        var w = new double[100];
        new Rng(2).FillUniform(w);
        var run = new AxisAlignedSgd(new AxisAlignedFamily(100, 1), 0.8, 1, SamplingModel.WithoutReplacement).Run(w, new Rng(3), 1000);
        Assert.True(run.Diverged);
        Assert.True(run.GrowthRatio >= 1000);
        Assert.True(run.Steps < 1000);
        // Full batch with η·λ = 1: GD converges, never diverges.
        var w2 = new double[51];
        new Rng(2).FillUniform(w2);
        var gd = new AxisAlignedSgd(new AxisAlignedFamily(100, 50), 0.5, 100, SamplingModel.WithoutReplacement).Run(w2, new Rng(3), 1000);
        Assert.False(gd.Diverged);
        Assert.True(gd.GrowthRatio < 1);
    }
}
