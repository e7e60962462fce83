using Reproduce.Compute;
using Reproduce.Stability;

namespace Reproduce.Tests.Stability;

/// <summary>Oracles for the threshold formulas on both sides of each threshold, at non-integer
/// batch sizes, and for the simulators' divergence bookkeeping (review: mutation survivors).</summary>
public class ThresholdOracleTests
{
    [Theory]
    [InlineData(2.0, 3.0, 10, 4)]
    [InlineData(0.7, 1.5, 50, 1)]
    [InlineData(5.0, 8.0, 20, 19)]
    public void Theorem1StepSizeIsTheClosedFormAndSitsOnTheDivergenceCondition(double lambda, double sigma, int n, int b)
    {
        double eta1 = StabilityThreshold.Theorem1StepSize(lambda, sigma, n, b);
        // Closed form η₁ = σ·√(B/(n − B))/λ₁ (brief §2.3), written independently.
        Assert.Equal(sigma / lambda / Math.Sqrt((double)n / b - 1), eta1, 12);
        // Both sides: the condition (η/σ)²(n/B − 1)λ² ≥ 1 holds just above η₁ and fails just below.
        Assert.True(StabilityThreshold.Theorem1PredictsDivergence(lambda, sigma, eta1 * (1 + 1e-9), n, b));
        Assert.False(StabilityThreshold.Theorem1PredictsDivergence(lambda, sigma, eta1 * (1 - 1e-9), n, b));
    }

    [Fact]
    public void Theorem1AgainstTheExactThresholdOfTheTheorem2Construction()
    {
        // On the Theorem-2 family (σ samples, Bernoulli sampling) the exact threshold is
        // η* = 2σ/(λ(σ + n/B − 1)) (brief §2.6), so with x = √(n/B − 1), η*/η₁ = 2x/(σ + x²) ≤ 1/√σ,
        // with equality (Theorem 1 tight) at σ = 1, B = n/2. Both sides are checked: η₁ ≥ η* always
        // (Theorem 1 is sufficient for divergence) and the ratio is the closed form, which an
        // inflated or deflated η₁ breaks.
        const int n = 40;
        foreach (int sigma in new[] { 1, 4, 10 })
            foreach (int b in new[] { 1, 2, 5, 10, 20, 39 })
            {
                var family = HessianFamily.Theorem2Construction(n, 1.0, sigma);
                double eta1 = StabilityThreshold.Theorem1StepSize(family, b);
                double exact = StabilityThreshold.CriticalStepSize(family, b, SamplingModel.Bernoulli);
                double x = Math.Sqrt((double)n / b - 1);
                Assert.True(eta1 >= exact * (1 - 1e-9), $"σ={sigma}, B={b}: η₁ = {eta1} < η* = {exact}");
                Assert.Equal(2 * x / (sigma + x * x), exact / eta1, 8);
            }
        var tight = HessianFamily.Theorem2Construction(n, 1.0, 1);
        Assert.Equal(1, StabilityThreshold.CriticalStepSize(tight, n / 2, SamplingModel.Bernoulli) / StabilityThreshold.Theorem1StepSize(tight, n / 2), 8);
    }

    [Theory]
    [InlineData(100, 5, 0.5)]
    [InlineData(100, 20, 0.8)]
    [InlineData(37, 3, 0.3)]
    public void Figure1BoundariesSolveTheOneStepFactorEqualsOneAtRealB(int n, int sigma, double eta)
    {
        const double lambda = 2;
        double el = eta * lambda;
        // One-step mean-square factors along e₁ (brief §2.6–2.7) as functions of a real B.
        double Bern(double b) => (1 - el) * (1 - el) + el * el * (n / b - 1) / sigma;
        double Fixed(double b) => (1 - el) * (1 - el) + el * el * (n - sigma) * (n - b) / (sigma * b * (n - 1));
        double Thm1(double b) => (eta / sigma) * (eta / sigma) * (n / b - 1) * lambda * lambda;
        double bB = Figure1Boundary.Bernoulli(n, sigma, eta), bF = Figure1Boundary.FixedSize(n, sigma, eta), b1 = Figure1Boundary.Theorem1(n, sigma, eta);
        Assert.Equal(1, Bern(bB), 10);
        Assert.Equal(1, Fixed(bF), 10);
        Assert.Equal(1, Thm1(b1), 10);
        // Both sides of each boundary (diverge below, stable above).
        Assert.True(Fixed(bF * 0.99) > 1 && Fixed(bF * 1.01) < 1);
        Assert.True(Bern(bB * 0.99) > 1 && Bern(bB * 1.01) < 1);
    }

    [Fact]
    public void LinearizedSgdStopsAtTheFirstStepThatCrossesTheFactorAndReportsItsGrowth()
    {
        var family = StabilityTestFamilies.Random(11, 3, 8);
        foreach (double etaScale in new[] { 0.5, 3.0 })
        {
            double eta = etaScale / family.Sharpness;
            var w0 = new double[] { 1, -0.5, 0.25 };
            var w = (double[])w0.Clone();
            var sim = new LinearizedSgd(family, eta, 2, SamplingModel.WithReplacement);
            var run = sim.Run(w, new Rng(5), 300, divergenceFactor: 50);
            // Replay with the same stream, one step at a time.
            var replay = (double[])w0.Clone();
            var sampler = new BatchSampler(family.N, 2, SamplingModel.WithReplacement);
            var rng = new Rng(5);
            double n0 = w0.Sum(v => v * v);
            int stop = -1;
            double ratio = 1;
            for (int t = 1; t <= 300; t++)
            {
                sim.Step(replay, sampler.Next(rng));
                ratio = replay.Sum(v => v * v) / n0;
                if (ratio >= 50) { stop = t; break; }
            }
            Assert.Equal(stop > 0, run.Diverged);
            Assert.Equal(stop > 0 ? stop : 300, run.Steps);
            Assert.Equal(ratio, run.GrowthRatio, 1e-12 * Math.Max(1, ratio));
        }
    }

    [Theory]
    [InlineData(SamplingModel.Bernoulli)]
    [InlineData(SamplingModel.WithoutReplacement)]
    public void AxisAlignedSgdDetectsDivergenceAtTheSameStepAsTheDenseSimulator(SamplingModel model)
    {
        var axis = new AxisAlignedFamily(30, 3);
        var dense = HessianFamily.Figure1(30, 3);
        int diverged = 0;
        foreach (int b in new[] { 2, 5, 9 })
            foreach (double eta in new[] { 0.35, 0.6, 0.9 })
            {
                var w0 = new double[axis.D];
                new Rng(3).FillUniform(w0);
                var w1 = (double[])w0.Clone();
                var w2 = (double[])w0.Clone();
                var r1 = new AxisAlignedSgd(axis, eta, b, model).Run(w1, new Rng(17), 500, divergenceFactor: 1000);
                var r2 = new LinearizedSgd(dense, eta, b, model).Run(w2, new Rng(17), 500, divergenceFactor: 1000);
                Assert.Equal(r2.Diverged, r1.Diverged);
                Assert.Equal(r2.Steps, r1.Steps);
                Assert.Equal(r2.GrowthRatio, r1.GrowthRatio, 1e-9 * r2.GrowthRatio);
                if (r1.Diverged) diverged++;
            }
        Assert.InRange(diverged, 1, 8); // both outcomes occur, so the comparison means something
    }

    [Fact]
    public void MulayoffPseudoInverseAgreesAtDeficientRank()
    {
        // Hessians living in a 2-dimensional subspace of ℝ⁴: C = ½(H⊗I + I⊗H) is singular, so
        // Mulayoff's formula needs the pseudo-inverse; the exact operator on Sym(range H) is the oracle.
        var inner = StabilityTestFamilies.Random(21, 2, 6);
        var (q, _) = Ops.Qr(new Rng(22).NormalMatrix(4, 4));
        var p = Matrix.Build(4, 2, (i, j) => q[i, j]);
        var family = HessianFamily.FromMatrices(inner.Hessians.Select(h =>
        {
            var r = Ops.MatMul(p, Ops.MatMul(h, p, transB: true));
            return Matrix.Build(4, 4, (a, b) => 0.5 * (r[a, b] + r[b, a]));
        }));
        foreach (int b in new[] { 1, 3, 5 })
        {
            double exact = StabilityThreshold.CriticalStepSize(family, b, SamplingModel.WithoutReplacement);
            Assert.Equal(1, StabilityThreshold.MulayoffStepSize(family, b) / exact, 7);
            Assert.Equal(1, StabilityThreshold.CriticalStepSize(inner, b, SamplingModel.WithoutReplacement) / exact, 8);
        }
    }

    [Fact]
    public void ThresholdAndCoherenceInputsAreChecked()
    {
        Assert.Contains("sharpness", Assert.Throws<ArgumentOutOfRangeException>(() => StabilityThreshold.Theorem1StepSize(0, 1, 6, 2)).Message);
        Assert.Contains("sigma", Assert.Throws<ArgumentOutOfRangeException>(() => StabilityThreshold.Theorem1StepSize(1, double.NaN, 6, 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => StabilityThreshold.Theorem1PredictsDivergence(-1, 1, 0.1, 6, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => StabilityThreshold.Theorem1PredictsDivergence(1, 0, 0.1, 6, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => StabilityThreshold.Theorem1PredictsDivergence(1, 1, 0.1, 6, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StabilityThreshold.Theorem2SharpnessBound(0, 6, 2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => StabilityThreshold.Theorem2SharpnessBound(0.1, 6, 7, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => StabilityThreshold.Theorem2SharpnessBound(0.1, 6, 2, double.PositiveInfinity));
        Assert.Throws<ArgumentNullException>(() => StabilityThreshold.Theorem1StepSize(null!, 2));
        Assert.Throws<ArgumentNullException>(() => StabilityThreshold.MulayoffStepSize(null!, 2));
        Assert.Throws<ArgumentNullException>(() => StabilityThreshold.BisectStepSize(null!, 2, SamplingModel.Bernoulli));
        Assert.Throws<ArgumentNullException>(() => Coherence.Sigma(null!));
        Assert.Throws<ArgumentNullException>(() => Coherence.CoherenceMatrix(null!));
        Assert.Throws<ArgumentNullException>(() => Coherence.LeastSquaresSigma(null!));
        var zero = HessianFamily.FromMatrices([Matrix.Zeros(2, 2), Matrix.Zeros(2, 2)]);
        Assert.Contains("undefined", Assert.Throws<ArgumentException>(() => Coherence.Sigma(zero)).Message);
        Assert.Contains("zero", Assert.Throws<ArgumentException>(() => Coherence.LeastSquaresSigma(Matrix.Zeros(3, 2))).Message);
        var nan = Matrix.FromArray(new double[,] { { 1, double.NaN }, { 0, 1 } });
        Assert.Throws<ArgumentException>(() => Coherence.LeastSquaresSigma(nan));
    }
}
