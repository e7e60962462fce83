using Reproduce.Compute;
using Reproduce.Logistic;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Logistic;

public class LossCoresetSketchTests
{
    [Fact]
    public void SoftplusIsStableAndGradientMatchesFiniteDifferences()
    {
        Assert.Equal(1000, LogisticLoss.Softplus(1000), 9);
        Assert.Equal(Math.Exp(-1000), LogisticLoss.Softplus(-1000));
        Assert.Equal(Math.Log(2), LogisticLoss.Softplus(0), 15);
        var z = SyntheticLogistic.Generate(50, 4, new Rng(2)).Z();
        var b = new[] { 0.3, -1.2, 0.5, 2.0 };
        var g = LogisticLoss.Gradient(z, b, null, 0.1);
        for (int j = 0; j < 4; j++)
        {
            var bp = (double[])b.Clone(); bp[j] += 1e-6; var bm = (double[])b.Clone(); bm[j] -= 1e-6;
            double fd = (LogisticLoss.Value(z, bp, null, 0.1) - LogisticLoss.Value(z, bm, null, 0.1)) / 2e-6;
            Assert.Equal(fd, g[j], 5);
        }
    }

    [Fact]
    public void Lemma21ReluGapIsWithinNLog2OverT()
    {
        var z = SyntheticLogistic.Generate(80, 3, new Rng(4)).Z();
        var rng = new Rng(5);
        foreach (var t in new[] { 1.0, 10, 100 })
        {
            var b = new double[3]; rng.FillNormal(b);
            double gap = LogisticLoss.Value(z, b.Select(v => v * t).ToArray()) / t - LogisticLoss.Relu(z, b);
            Assert.InRange(gap, 0, 80 * Math.Log(2) / t + 1e-12);
        }
    }

    [Fact]
    public void NewtonReachesZeroGradientAndWeightsActAsReplication()
    {
        var z = SyntheticLogistic.Generate(300, 5, new Rng(6)).Z();
        var fit = LogisticRegression.Solve(z);
        Assert.True(fit.Converged, $"iterations {fit.Iterations}, gradient {fit.GradientNorm}");
        Assert.True(Linalg_Norm(LogisticLoss.Gradient(z, fit.Beta)) < 1e-6);
        // Weight 2 on every row = the same data twice.
        var w2 = LogisticRegression.Solve(z, Enumerable.Repeat(2.0, 300).ToArray());
        var idx = Enumerable.Range(0, 600).Select(i => i % 300).ToArray();
        var dbl = LogisticRegression.Solve(Ops.GatherRows(z, idx));
        for (int j = 0; j < 5; j++) Assert.Equal(dbl.Beta[j], w2.Beta[j], 8);
    }

    private static double Linalg_Norm(double[] v) => Math.Sqrt(v.Sum(x => x * x));

    [Fact]
    public void LeverageAndLewisWeightsSumToD()
    {
        var z = SyntheticLogistic.Generate(200, 6, new Rng(7)).Z();
        Assert.Equal(6, CoresetSampler.Leverage(z, null).Sum(), 8);
        Assert.Equal(6, CoresetSampler.L1LewisWeights(z, 40).Sum(), 4);
    }

    [Fact]
    public void CoresetLossEstimateIsUnbiasedOnAverage()
    {
        var z = SyntheticLogistic.Generate(400, 4, new Rng(8)).Z();
        var b = new[] { 0.5, -0.2, 0.1, 0.3 };
        double full = LogisticLoss.Value(z, b), acc = 0; int reps = 200;
        for (int r = 0; r < reps; r++)
        {
            var cs = CoresetSampler.Sensitivity(z, 50, new Rng(100 + (ulong)r));
            acc += LogisticLoss.Value(Ops.GatherRows(z, cs.Indices), b, cs.Weights);
        }
        Assert.InRange(acc / reps / full, 0.97, 1.03);
    }

    [Fact]
    public void ForwardErrorBoundHoldsAndSvdIsExactAtFullRank()
    {
        var data = SyntheticLogistic.Generate(300, 8, new Rng(9));
        var b = new[] { 1.0, -2, 0.5, 0, 3, 1, -1, 0.2 };
        foreach (var k in new[] { 1, 4, 7 })
        {
            foreach (var approx in new[] { FeatureSketch.SvdTruncation(data.X, k), FeatureSketch.RandomProjection(data.X, k, new Rng(1)), FeatureSketch.LeverageColumnSelection(data.X, k, new Rng(2)).Approx })
            {
                var (err, bound) = FeatureSketch.ForwardError(data.X, approx, data.Y, b);
                Assert.True(err <= bound, $"k={k}: {err} > {bound}");
            }
        }
        var (e8, _) = FeatureSketch.ForwardError(data.X, FeatureSketch.SvdTruncation(data.X, 8), data.Y, b);
        Assert.True(e8 < 1e-8);
    }

    [Fact]
    public void FastCauchyBasisSpansTheSameRange()
    {
        var z = SyntheticLogistic.Generate(200, 5, new Rng(10)).Z();
        var (u, r) = L1Basis.Compute(z, new Rng(11));
        var back = Ops.MatMul(u, r);
        for (int i = 0; i < 200; i += 17) for (int j = 0; j < 5; j++) Assert.Equal(z[i, j], back[i, j], 8);
        // μ depends only on the range: μ(U) = μ(Z).
        Assert.Equal(Mu.Lad(z).Value, Mu.Lad(u).Value, 6);
    }

    [RequiresFact(Part.Cbc)]
    public void BigMMipWithCbcGivesAValidLowerBoundAndMIndependence()
    {
        var z = SyntheticLogistic.Generate(40, 3, new Rng(12)).Z();
        var m2 = MunteanuMip.Solve(z, 20, 2);
        var m10 = MunteanuMip.Solve(z, 20, 10);
        Assert.True(m2.Optimal, m2.Status + " " + m2.Message);
        Assert.Equal(m10.Incumbent, m2.Incumbent, 6);
        Assert.True(m2.RatioBound <= Mu.Lad(z).Value * (1 + 1e-8));
        Assert.Equal(1, m2.Beta.Sum(Math.Abs), 6);
        // t = min_{‖β‖₁=1} ‖(Zβ)⁻‖₁: brute-force check on random unit-ℓ1 directions.
        var rng = new Rng(13);
        for (int k = 0; k < 200; k++)
        {
            var b = new double[3]; rng.FillNormal(b); double s = b.Sum(Math.Abs);
            var zb = Ops.MatVec(z, Matrix.Vector(b.Select(v => v / s).ToArray())).ToArray();
            Assert.True(zb.Sum(v => Math.Max(-v, 0)) >= m2.Incumbent - 1e-6);
        }
    }
}
