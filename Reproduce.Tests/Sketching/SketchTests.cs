using Reproduce.Compute;
using Reproduce.Data;
using Reproduce.Sketching;

namespace Reproduce.Tests.Sketching;

public class SketchTests
{
    [Fact]
    public void GaussianMapIsUnbiasedForSquaredNorms()
    {
        // E‖xᵀG‖² = ‖x‖² for G with N(0, 1/t) entries: average over 400 independent G, 5σ band
        // (Var‖xᵀG‖² = 2‖x‖⁴/t).
        var x = Matrix.Build(1, 20, (_, j) => Math.Sin(j + 1));
        double norm2 = Ops.Dot(x, x);
        int t = 8, reps = 400;
        double mean = 0;
        for (int r = 0; r < reps; r++)
        {
            var y = new HashedGaussianMap(20, t, (ulong)r + 1).Apply(x);
            mean += Ops.Dot(y, y) / reps;
        }
        double sd = Math.Sqrt(2.0 / t) * norm2 / Math.Sqrt(reps);
        Assert.InRange(mean, norm2 - 5 * sd, norm2 + 5 * sd);
    }

    [Fact]
    public void JlDistortionOfPairwiseDistancesIsWithinBound()
    {
        // 30 points in R^200; t = 400. With probability ≥ 1 − 2·C(30,2)·exp(−t ε²/8) ≈ 1 − 2·10⁻⁵
        // every squared distance is preserved within ε = 0.5 (Dasgupta–Gupta form of JL).
        var p = new Rng(3).NormalMatrix(30, 200);
        var y = new HashedGaussianMap(200, 400, 77).Apply(p);
        double worst = 0;
        for (int i = 0; i < 30; i++)
            for (int k = i + 1; k < 30; k++)
            {
                double d0 = 0, d1 = 0;
                for (int j = 0; j < 200; j++) d0 += Math.Pow(p[i, j] - p[k, j], 2);
                for (int j = 0; j < 400; j++) d1 += Math.Pow(y[i, j] - y[k, j], 2);
                worst = Math.Max(worst, Math.Abs(d1 / d0 - 1));
            }
        Assert.True(worst < 0.5, $"worst distortion {worst}");
        Assert.True(worst > 0, "a random map must distort something");
    }

    [Fact]
    public void CountSketchIsUnbiasedForInnerProducts()
    {
        var rng = new Rng(6);
        // Non-zero-mean data: with every sign +1 the estimate gains (ΣxΣz − ⟨x,z⟩)/s in expectation
        // (colliding rows add instead of cancelling), which zero-mean data would hide.
        var x = Ops.MapInPlace(UnaryOp.AddScalar, rng.NormalMatrix(50, 1), 2);
        var z = Ops.MapInPlace(UnaryOp.AddScalar, rng.NormalMatrix(50, 1), 1);
        double exact = Ops.Dot(x, z), mean = 0, sq = 0;
        int reps = 2000;
        for (int r = 0; r < reps; r++)
        {
            var s = new HashedCountSketch(10, 50, (ulong)r);
            double v = Ops.Dot(s.Apply(x), s.Apply(z));
            mean += v / reps; sq += v * v / reps;
        }
        double sd = Math.Sqrt(Math.Max(sq - mean * mean, 0) / reps);
        Assert.InRange(mean, exact - 5 * sd, exact + 5 * sd);
    }

    [Fact]
    public void CountSketchSignsAreBalancedAndBucketsUniform()
    {
        // σ(i) is a fair sign and h(i) uniform over the s buckets: counts over 20 000 rows lie
        // within 5 binomial standard deviations of their means.
        const int n = 20_000, s = 8;
        var sk = new HashedCountSketch(s, n, 12345);
        int plus = Enumerable.Range(0, n).Count(i => sk.Sign(i) > 0);
        Assert.InRange(plus, n / 2 - 5 * Math.Sqrt(n / 4.0), n / 2 + 5 * Math.Sqrt(n / 4.0));
        var perBucket = new int[s];
        for (int i = 0; i < n; i++) perBucket[sk.Bucket(i)]++;
        double sd = Math.Sqrt(n * (1.0 / s) * (1 - 1.0 / s));
        Assert.All(perBucket, c => Assert.InRange(c, n / s - 5 * sd, n / s + 5 * sd));
        Assert.All(Enumerable.Range(0, n), i => Assert.True(Math.Abs(sk.Sign(i)) == 1));
    }

    [Fact]
    public void CountSketchOfLabelsEqualsSketchOfIndicator()
    {
        var s = new HashedCountSketch(7, 40, 3);
        var labels = Enumerable.Range(0, 40).Select(i => i % 5).ToArray();
        Assert.Equal(s.Apply(KMeans.Indicator(labels, 5)).ToArray(), s.ApplyToLabels(labels, 5).ToArray());
    }

    [Fact]
    public void CountSketchOfADeviceMatrixStaysOnThatDevice()
    {
        var s = new HashedCountSketch(7, 40, 3);
        var a = new Rng(5).NormalMatrix(40, 3);
        using var onDevice = a.To(Reproduce.Tests.Compute.Simulated.HostAccelerator.Shared);
        using var sa = s.Apply(onDevice);
        Assert.Same(onDevice.Device, sa.Device);
        Assert.Equal(s.Apply(a).ToArray(), sa.ToArray());
    }

    [Fact]
    public void OrthogonalFullDimensionalSketchGivesIdenticalAssignments()
    {
        // Brief §4: with t ≥ d and G orthogonal, k-means on AG equals k-means on A from the same seeds
        // (distances are preserved exactly up to rounding).
        var ds = GaussianMixture.Generate(300, 6, 3, 3, new Rng(12));
        var (q, _) = Ops.Qr(new Rng(13).NormalMatrix(6, 6));
        var y = Ops.MatMul(ds.Points, q);
        var onA = new LloydKMeans(3).Fit(ds.Points, new Rng(14));
        var onY = new LloydKMeans(3).Fit(y, new Rng(14));
        Assert.Equal(onA.Labels, onY.Labels);
        Assert.Equal(onA.Cost, onY.Cost, 8);
    }

    [Fact]
    public void SketchedKMeansWithLargeTMatchesExactCost()
    {
        var ds = GaussianMixture.Generate(500, 30, 4, 2, new Rng(15));
        var exact = new LloydKMeans(4).Fit(ds.Points, new Rng(16).Fork("lloyd"));
        var sk = new SketchedKMeans(4, 64).Fit(ds.Points, new Rng(16));
        double ratio = sk.CostOn(ds.Points) / exact.Cost;
        Assert.InRange(ratio, 1 - 1e-9, 1.05);
    }
}
