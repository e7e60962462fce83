using Reproduce.Compute;
using Reproduce.Stability;

namespace Reproduce.Tests.Stability;

public class SecondMomentTests
{
    public static TheoryData<SamplingModel> Models => [SamplingModel.Bernoulli, SamplingModel.WithoutReplacement, SamplingModel.WithReplacement];

    /// <summary>All batches with their probabilities, enumerated by brute force.</summary>
    private static IEnumerable<(int[] Batch, double Prob)> Batches(int n, int b, SamplingModel model)
    {
        switch (model)
        {
            case SamplingModel.Bernoulli:
                double p = (double)b / n;
                for (int mask = 0; mask < 1 << n; mask++)
                {
                    var idx = Enumerable.Range(0, n).Where(i => (mask >> i & 1) == 1).ToArray();
                    yield return (idx, Math.Pow(p, idx.Length) * Math.Pow(1 - p, n - idx.Length));
                }
                break;
            case SamplingModel.WithoutReplacement:
                var subsets = Enumerable.Range(0, 1 << n).Where(m => System.Numerics.BitOperations.PopCount((uint)m) == b).ToArray();
                foreach (int mask in subsets)
                    yield return (Enumerable.Range(0, n).Where(i => (mask >> i & 1) == 1).ToArray(), 1.0 / subsets.Length);
                break;
            default:
                int total = (int)Math.Pow(n, b);
                for (int code = 0; code < total; code++)
                {
                    var idx = new int[b];
                    for (int k = 0, c = code; k < b; k++, c /= n) idx[k] = c % n;
                    yield return (idx, 1.0 / total);
                }
                break;
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void MapEqualsBruteForceExpectationOverBatches(SamplingModel model)
    {
        var family = StabilityTestFamilies.Random(21, 3, 5);
        const double eta = 0.7;
        const int b = 2;
        var m = StabilityTestFamilies.RandomSymmetric(new Rng(4), 3);
        var expected = Matrix.Zeros(3, 3);
        foreach (var (batch, prob) in Batches(5, b, model))
        {
            var j = Matrix.Identity(3);
            foreach (int i in batch) Ops.Axpy(-eta / b, family.Hessians[i], j);
            Ops.Axpy(prob, Ops.MatMul(j, Ops.MatMul(m, j)), expected);
        }
        var actual = new SecondMomentMap(family, eta, b, model).Apply(m);
        Assert.True(StabilityTestFamilies.MaxAbsDiff(expected, actual) < 1e-12 * (1 + Ops.Norm(expected)));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void ExactSpectralRadiusEqualsIndependentGrowthRate(SamplingModel model)
    {
        for (ulong s = 30; s < 34; s++)
        {
            var family = StabilityTestFamilies.Random(s, 4, 8);
            if (SecondMomentOperator.For(family).Rank < 4) continue; // growth rate would see flat directions
            double eta = 1.3 / family.Sharpness;
            double exact = SecondMomentOperator.For(family).SpectralRadius(eta, 3, model);
            double power = new SecondMomentMap(family, eta, 3, model).GrowthRate(3000);
            Assert.Equal(exact, power, 6);
        }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void OneDimensionalCaseMatchesSampleMeanVariance(SamplingModel model)
    {
        double[] h = [0.5, 1.0, 2.0, 4.0, 0.0, 1.5];
        int n = h.Length, b = 2;
        const double eta = 0.3;
        var family = HessianFamily.FromMatrices(h.Select(v => Matrix.FromArray(new double[,] { { v } })));
        double mean = h.Average(), meanSq = h.Average(v => v * v), variance = meanSq - mean * mean;
        double expected = (1 - eta * mean) * (1 - eta * mean) + eta * eta * model switch
        {
            SamplingModel.Bernoulli => (n - b) / ((double)b * n) * meanSq,
            SamplingModel.WithoutReplacement => (n - b) / ((double)b * (n - 1)) * variance,
            _ => variance / b,
        };
        Assert.Equal(expected, SecondMomentOperator.For(family).SpectralRadius(eta, b, model), 12);
        Assert.Equal(expected, new SecondMomentMap(family, eta, b, model).Apply(Matrix.Identity(1))[0, 0], 12);
    }

    [Fact]
    public void FullBatchIsGradientDescent()
    {
        var family = StabilityTestFamilies.Random(8, 4, 6);
        var op = SecondMomentOperator.For(family);
        var mu = Ops.SymmetricEigen(family.Mean).Values.ToArray();
        foreach (double eta in new[] { 0.2, 0.9, 1.7, 2.5 })
        {
            double rho = op.SpectralRadius(eta / family.Sharpness, 6, SamplingModel.WithoutReplacement);
            Assert.Equal(mu.Max(v => Math.Pow(1 - eta / family.Sharpness * v, 2)), rho, 10);
            Assert.Equal(eta < 2, rho <= 1);
        }
        Assert.Equal(2 / family.Sharpness, op.CriticalStepSize(6, SamplingModel.WithoutReplacement), 9);
    }

    [Theory]
    [InlineData(10, 3, 2, 0.5)]
    [InlineData(20, 5, 4, 0.8)]
    [InlineData(100, 40, 2, 0.5)]
    [InlineData(30, 1, 7, 1.2)]
    public void Theorem2ConstructionMatchesClosedFormsAndBoundary(int n, int sigma, int b, double eta)
    {
        foreach (double lambda in new[] { 0.3, 0.9, 1.4, 2.2 })
        {
            var op = SecondMomentOperator.For(HessianFamily.Theorem2Construction(n, lambda, sigma));
            double el = eta * lambda;
            double bern = (1 - el) * (1 - el) + el * el * ((double)n / b - 1) / sigma;
            double fixedSize = (1 - el) * (1 - el) + el * el * (n - sigma) * (n - b) / (sigma * (double)b * (n - 1));
            Assert.Equal(bern, op.SpectralRadius(eta, b, SamplingModel.Bernoulli), 10);
            Assert.Equal(fixedSize, op.SpectralRadius(eta, b, SamplingModel.WithoutReplacement), 10);
            bool stable = lambda < StabilityThreshold.Theorem2SharpnessBound(eta, n, b, sigma);
            Assert.Equal(stable, op.SpectralRadius(eta, b, SamplingModel.Bernoulli) < 1);
        }
        // At the bound itself ρ = 1 to the reference precision.
        double atBound = StabilityThreshold.Theorem2SharpnessBound(eta, n, b, sigma);
        var edge = SecondMomentOperator.For(HessianFamily.Theorem2Construction(n, atBound, sigma));
        Assert.Equal(1, edge.SpectralRadius(eta, b, SamplingModel.Bernoulli), 10);
    }

    [Fact]
    public void RandomFamiliesJustAboveTheorem1ThresholdAreNeverStable()
    {
        var rng = new Rng(99);
        for (int f = 0; f < 60; f++)
        {
            int d = 3 + rng.NextInt(3), n = 4 + rng.NextInt(9);
            var family = RandomPsdFamily.Generate(rng.Fork(f), d, n);
            int b = 1 + rng.NextInt(n - 1);
            double eta = 1.0001 * StabilityThreshold.Theorem1StepSize(family, b);
            double rho = SecondMomentOperator.For(family).SpectralRadius(eta, b, SamplingModel.Bernoulli);
            Assert.True(rho > 1, $"family {f}: ρ = {rho} at 1.0001·η₁");
            Assert.True(StabilityThreshold.CriticalStepSize(family, b, SamplingModel.Bernoulli) <= eta);
        }
    }

    [Fact]
    public void CriticalStepSizeAgreesWithBisectionAndMulayoff()
    {
        for (ulong s = 40; s < 44; s++)
        {
            var family = StabilityTestFamilies.Random(s, 4, 9);
            foreach (int b in new[] { 1, 3, 8 })
            {
                double exact = StabilityThreshold.CriticalStepSize(family, b, SamplingModel.WithoutReplacement);
                double bisect = StabilityThreshold.BisectStepSize(family, b, SamplingModel.WithoutReplacement);
                double mulayoff = StabilityThreshold.MulayoffStepSize(family, b);
                Assert.Equal(1, bisect / exact, 8);
                Assert.Equal(1, mulayoff / exact, 8);
                double bern = StabilityThreshold.CriticalStepSize(family, b, SamplingModel.Bernoulli);
                Assert.Equal(1, StabilityThreshold.BisectStepSize(family, b, SamplingModel.Bernoulli) / bern, 8);
            }
        }
    }

    [Fact]
    public void DiagonalFastPathEqualsDensePathOnRotatedFamily()
    {
        var diag = HessianFamily.Figure1(12, 4);
        var rotated = StabilityTestFamilies.Rotated(diag, 5);
        var fast = SecondMomentOperator.For(diag);
        var dense = SecondMomentOperator.For(rotated);
        Assert.True(fast.IsDiagonal);
        Assert.False(dense.IsDiagonal);
        Assert.Equal(fast.Rank, dense.Rank);
        foreach (var model in new[] { SamplingModel.Bernoulli, SamplingModel.WithoutReplacement, SamplingModel.WithReplacement })
            foreach (int b in new[] { 1, 3, 6 })
            {
                Assert.Equal(fast.SpectralRadius(0.6, b, model), dense.SpectralRadius(0.6, b, model), 9);
                Assert.Equal(1, fast.CriticalStepSize(b, model) / dense.CriticalStepSize(b, model), 9);
            }
        var axis = SecondMomentOperator.For(new AxisAlignedFamily(12, 4));
        Assert.Equal(fast.SpectralRadius(0.5, 2, SamplingModel.WithoutReplacement), axis.SpectralRadius(0.5, 2, SamplingModel.WithoutReplacement), 12);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.8)]
    public void Figure1OperatorMatchesClosedFormBoundaries(double eta)
    {
        const int n = 100;
        foreach (int sigma in new[] { 1, 2, 5, 10, 20, 40, 77 })
        {
            var op = SecondMomentOperator.For(new AxisAlignedFamily(n, sigma));
            foreach (int b in new[] { 1, 2, 3, 5, 10, 20, 40, 60, 99 })
            {
                Assert.Equal(b < Figure1Boundary.FixedSize(n, sigma, eta), op.SpectralRadius(eta, b, SamplingModel.WithoutReplacement) > 1);
                Assert.Equal(b < Figure1Boundary.Bernoulli(n, sigma, eta), op.SpectralRadius(eta, b, SamplingModel.Bernoulli) > 1);
                Assert.Equal(b <= Figure1Boundary.Theorem1(n, sigma, eta), StabilityThreshold.Theorem1PredictsDivergence(2, sigma, eta, n, b));
            }
        }
    }
}
