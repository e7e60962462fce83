using Reproduce.Compute;
using Reproduce.Data;
using Reproduce.Sketching;

namespace Reproduce.Tests.Sketching;

public class KMeansTests
{
    private static Matrix Tiny(int n, int d, ulong seed) => GaussianMixture.Generate(n, d, 3, 2, new Rng(seed)).Points;

    [Fact]
    public void KMeansPlusPlusSeedingPicksTheSecondCentreProportionalToSquaredDistance()
    {
        // Points 0, 1, 2, 10 on a line, k = 2: the first centre is uniform, the second ∝ D². The exact
        // probability that 10 is a seed is (100/105 + 81/83 + 64/69 + 1)/4 ≈ 0.964 (uniform seeding: 7/16).
        var a = Matrix.FromColumnMajor(4, 1, [0.0, 1.0, 2.0, 10.0]);
        double exact = (100.0 / 105 + 81.0 / 83 + 64.0 / 69 + 1) / 4;
        var lloyd = new LloydKMeans(2);
        var rng = new Rng(11);
        const int trials = 4000;
        int hits = 0;
        for (int t = 0; t < trials; t++)
        {
            var c = lloyd.Seed(a, rng);
            if (c[0, 0] == 10.0 || c[1, 0] == 10.0) hits++;
        }
        // Binomial count: 5 standard deviations of the frequency.
        double tol = 5 * Math.Sqrt(exact * (1 - exact) / trials);
        Assert.InRange(hits / (double)trials, exact - tol, exact + tol);
    }

    [Fact]
    public void RandomOrderReservoirTakesAFarOutlierByItsSensitivityWeight()
    {
        // With coreset size m = k = 2 and a refit after every point, the final centres are the two
        // reservoir rows. The last of 200 points lies at 1000, the others in [0, 1]: its sensitivity
        // weight w = D²/mean + 1 is about 10^7, so its key u^(1/w) exceeds every reservoir key with
        // probability 1 − O(10^−5) (weighted reservoir sampling, Efraimidis–Spirakis). With the weight
        // ignored it would enter with probability about m/n = 1 %; with the replacement test
        // inverted, never.
        const int n = 200;
        for (ulong seed = 0; seed < 20; seed++)
        {
            var rng = new Rng(500 + seed);
            var a = Matrix.Build(n, 1, (i, _) => i == n - 1 ? 1000.0 : rng.Uniform());
            var r = new RandomOrderKMeans(2, 2, 1).Run(a, Enumerable.Range(0, n).ToArray(), new Rng(seed));
            Assert.True(Math.Abs(r.Centres[0, 0] - 1000) < 1e-9 || Math.Abs(r.Centres[1, 0] - 1000) < 1e-9,
                $"seed {seed}: centres {r.Centres[0, 0]}, {r.Centres[1, 0]} do not include the outlier");
        }
    }

    [Fact]
    public void AssignMatchesBruteForceDistances()
    {
        var a = Tiny(40, 6, 1);
        var c = new Rng(2).NormalMatrix(4, 6);
        var (labels, d2) = KMeans.Assign(a, c);
        for (int i = 0; i < 40; i++)
        {
            var dist = Enumerable.Range(0, 4).Select(k => Enumerable.Range(0, 6).Sum(j => Math.Pow(a[i, j] - c[k, j], 2))).ToArray();
            Assert.Equal(Array.IndexOf(dist, dist.Min()), labels[i]);
            Assert.Equal(dist.Min(), d2[i], 9);
        }
    }

    [Fact]
    public void CentroidsAreClusterMeansAndCostIdentityHolds()
    {
        var a = Tiny(30, 5, 3);
        var labels = Enumerable.Range(0, 30).Select(i => i % 4).ToArray();
        var v = KMeans.Centroids(a, labels, 4, out var counts);
        for (int c = 0; c < 4; c++)
            for (int j = 0; j < 5; j++)
                Assert.Equal(Enumerable.Range(0, 30).Where(i => labels[i] == c).Average(i => a[i, j]), v[c, j], 12);
        Assert.Equal(30, counts.Sum());
        // Σᵢ‖aᵢ − v_{a(i)}‖² = ‖A − UV‖_F² with U the one-hot codes.
        var u = KMeans.Indicator(labels, 4);
        Assert.Equal(SparseCoder.Cost(a, u, v), KMeans.Cost(a, labels, v), 9);
        // V = U^†A: the least-squares dictionary of one-hot codes is the centroid matrix.
        var ls = DictionaryUpdate.LeastSquares(u, a);
        for (int c = 0; c < 4; c++) for (int j = 0; j < 5; j++) Assert.Equal(v[c, j], ls[c, j], 10);
    }

    [Theory]
    [InlineData(8, 2, 11UL)]
    [InlineData(10, 3, 12UL)]
    [InlineData(12, 3, 13UL)]
    public void BruteForceIsTheMinimumOverAllPartitionsAndLloydCannotBeatIt(int n, int k, ulong seed)
    {
        var a = Tiny(n, 3, seed);
        var (labels, cost) = BruteForceKMeans.Solve(a, k);
        // Independent check: random labellings and Lloyd runs never go below the optimum.
        var rng = new Rng(seed + 100);
        for (int trial = 0; trial < 300; trial++)
        {
            var l = Enumerable.Range(0, n).Select(_ => rng.NextInt(k)).ToArray();
            Assert.True(KMeans.CostOfPartition(a, l, k) >= cost - 1e-9);
        }
        var lloyd = new LloydKMeans(k, restarts: 10).Fit(a, new Rng(seed));
        Assert.True(lloyd.Cost >= cost - 1e-9, $"Lloyd {lloyd.Cost} below optimum {cost}");
        // Lloyd started from the optimal centroids does not move.
        var opt = KMeans.Centroids(a, labels, k, out _);
        var still = new LloydKMeans(k).FitFrom(a, opt);
        Assert.Equal(cost, still.Cost, 9);
        Assert.Equal(labels, still.Labels);
    }

    [Fact]
    public void BruteForceMatchesHandComputedOneDimensionalOptimum()
    {
        // Points 0, 1, 10, 11 with k = 2: clusters {0,1}, {10,11}, cost 4·0.25 = 1.
        var a = Matrix.FromColumnMajor(4, 1, new double[] { 0, 1, 10, 11 });
        var (labels, cost) = BruteForceKMeans.Solve(a, 2);
        Assert.Equal(1.0, cost, 12);
        Assert.Equal(labels[0], labels[1]);
        Assert.NotEqual(labels[0], labels[2]);
    }

    [Fact]
    public void LloydRecoversWellSeparatedMixture()
    {
        var ds = GaussianMixture.Generate(600, 10, 4, 8, new Rng(4));
        var res = new LloydKMeans(4).Fit(ds.Points, new Rng(5));
        Assert.Equal(1.0, ClusteringAgreement.AdjustedRandIndex(res.Labels, ds.Labels), 9);
        // Within-cluster noise is N(0, I_10): cost ≈ n·d = 6000.
        Assert.InRange(res.Cost, 5400, 6300);
    }

    [Fact]
    public void LloydStopsAtAFixedPointNotAfterTheFirstImprovement()
    {
        // With tolerance 0 Lloyd stops only when an iteration no longer lowers the cost, so the
        // returned centres are the centroids of the returned labels and each point sits with its
        // nearest centre. Started from k poorly chosen rows, one iteration is not enough.
        var a = GaussianMixture.Generate(300, 4, 5, 1.5, new Rng(31)).Points;
        var init = Ops.GatherRows(a, [0, 1, 2, 3, 4]);
        var res = new LloydKMeans(5, restarts: 1, maxIterations: 500, tolerance: 0).FitFrom(a, init);
        Assert.True(res.Iterations > 2, $"only {res.Iterations} iterations");
        var centroids = KMeans.Centroids(a, res.Labels, 5, out _);
        for (int c = 0; c < 5; c++)
            for (int j = 0; j < 4; j++) Assert.Equal(centroids[c, j], res.Centres[c, j], 9);
        Assert.Equal(KMeans.Assign(a, res.Centres).Labels, res.Labels);
    }

    [Fact]
    public void EmptyClusterTakesTheFarthestPoint()
    {
        // 1-D points {0, 0.1, 0.2, 10}, centres {0.1, 100}: the second cluster is empty after the
        // first assignment; the repair moves its centre to 10, the point farthest from its centre.
        var a = Matrix.FromArray(new double[,] { { 0 }, { 0.1 }, { 0.2 }, { 10 } });
        var init = Matrix.FromArray(new double[,] { { 0.1 }, { 100 } });
        var one = new LloydKMeans(2, restarts: 1, maxIterations: 1, tolerance: 0).FitFrom(a, init);
        Assert.Equal(10, one.Centres[1, 0], 12);
        var full = new LloydKMeans(2, restarts: 1, maxIterations: 50, tolerance: 0).FitFrom(a, init);
        Assert.Equal(0.02, full.Cost, 12);
    }

    [Fact]
    public void SameSeedSameResultBitForBit()
    {
        var a = Tiny(200, 5, 9);
        var r1 = new LloydKMeans(3).Fit(a, new Rng(1));
        var r2 = new LloydKMeans(3).Fit(a, new Rng(1));
        Assert.Equal(r1.Labels, r2.Labels);
        Assert.Equal(r1.Cost, r2.Cost);
    }

    [Fact]
    public void KLargerThanNIsAClearError()
    {
        var a = Tiny(5, 2, 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new LloydKMeans(6).Fit(a, new Rng(1)));
        Assert.Equal("k", e.ParamName);
        Assert.Contains("exceeds the number of points", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => BruteForceKMeans.Solve(a, 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SketchedKMeans(6, 4).Fit(a, new Rng(1)));
    }

    [Fact]
    public void AdjustedRandIndexKnownValues()
    {
        Assert.Equal(1.0, ClusteringAgreement.AdjustedRandIndex([0, 0, 1, 1], [1, 1, 0, 0]), 12);
        // Classic example: ARI of {0,0,1,1} vs {0,0,1,2} is 0.5714285714.
        Assert.Equal(4.0 / 7.0, ClusteringAgreement.AdjustedRandIndex([0, 0, 1, 1], [0, 0, 1, 2]), 9);
    }
}
