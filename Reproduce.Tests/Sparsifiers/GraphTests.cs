using Reproduce.Compute;
using Reproduce.Sparsifiers;

namespace Reproduce.Tests.Sparsifiers;

public class GraphTests
{
    private static double[] DenseSpectrum(RegularGraph g)
    {
        var m = Matrix.Zeros(g.N, g.N);
        for (int v = 0; v < g.N; v++)
            foreach (int u in g.NeighborsOf(v)) m[v, u] += 1;
        var (values, _) = Ops.SymmetricEigen(m);
        return values.ToArray();
    }

    [Theory]
    [InlineData(17, 13)]
    [InlineData(29, 13)]
    public void LpsGraphIsRegularSymmetricAndRamanujan(int p, int q)
    {
        var g = LpsGraph.Build(p, q);
        Assert.Equal(LpsGraph.VertexCount(q), g.N);
        Assert.Equal(1092, g.N);
        Assert.Equal(p + 1, g.Degree);
        Assert.True(g.IsSymmetric());
        Assert.Equal(p + 1, LpsGraph.QuaternionSolutions(p).Count);
        var ev = DenseSpectrum(g); // ascending
        Assert.Equal(p + 1, ev[^1], 1e-8);
        double nontrivial = Math.Max(Math.Abs(ev[0]), Math.Abs(ev[^2]));
        Assert.True(nontrivial <= 2 * Math.Sqrt(p) + 1e-9, $"λ = {nontrivial} > 2√p = {2 * Math.Sqrt(p)}");
        Assert.True(ev[^2] < p + 1 - 1e-6, "connected: λ₂ < d");
        // Certificate by Lanczos equals the dense value (n/d)·max nontrivial |λ|.
        var s = SamplingMatrix.FromRegularGraph(g);
        double cert = SpectralNorm.Certificate(s, new Rng(1), steps: 300);
        Assert.Equal((double)g.N / g.Degree * nontrivial, cert, 1e-6 * cert);
        Assert.Equal(SpectralNorm.Dense(s.DenseCertificateMatrix()), cert, 1e-6 * cert);
    }

    [Fact]
    public void BipartitePairsAreDetectedAndHaveEigenvalueMinusD()
    {
        Assert.True(LpsGraph.IsBipartitePair(5, 13));
        Assert.False(LpsGraph.IsBipartitePair(17, 13));
        var e = Assert.Throws<ArgumentException>(() => LpsGraph.Build(5, 13));
        Assert.Contains("bipartite", e.Message);
        var g = LpsGraph.Build(5, 13, allowBipartite: true);
        Assert.Equal(13 * (13 * 13 - 1), g.N);
        var (lo, hi) = SpectralNorm.Extremes((x, y) => g.Apply(x, y), g.N, 100, new Rng(3));
        Assert.Equal(-6, lo, 1e-8);
        Assert.Equal(6, hi, 1e-8);
        var s = SamplingMatrix.FromRegularGraph(g);
        Assert.Equal(g.N, SpectralNorm.Certificate(s, new Rng(2), steps: 200), 1e-6 * g.N);
    }

    [Theory]
    [InlineData(7, 13)]   // p not ≡ 1 mod 4
    [InlineData(21, 13)]  // p not prime
    [InlineData(17, 15)]  // q not prime
    [InlineData(17, 19)]  // q ≡ 3 mod 4
    [InlineData(13, 13)]  // p = q
    public void InvalidLpsParametersAreClearErrors(int p, int q)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => LpsGraph.Build(p, q));
        Assert.Contains(e.ParamName!, new[] { "p", "q" });
    }

    [Theory]
    [InlineData(1000, 4)]
    [InlineData(500, 64)]
    [InlineData(101, 100)]
    public void RandomRegularGraphsAreSimpleAndRegular(int n, int d)
    {
        var g = RandomRegularGraph.Generate(n, d, new Rng(3));
        Assert.True(g.IsSimple());
        Assert.True(g.IsSymmetric());
        Assert.Equal(n * d, g.Neighbors.Length);
        var g2 = RandomRegularGraph.Generate(n, d, new Rng(3));
        Assert.Equal(g.Neighbors, g2.Neighbors);
        Assert.Throws<ArgumentException>(() => RandomRegularGraph.Generate(101, 3, new Rng(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => RandomRegularGraph.Generate(10, 10, new Rng(1)));
    }

    [Fact]
    public void LanczosMatchesDenseOnBothEndsForRandomRegularAndBernoulli()
    {
        var rng = new Rng(4);
        foreach (var s in new[] { SamplingMatrix.FromRegularGraph(RandomRegularGraph.Generate(600, 8, rng)), SamplingMatrix.Bernoulli(600, 8, rng) })
        {
            var dense = s.DenseCertificateMatrix();
            var (values, _) = Ops.SymmetricEigen(dense);
            var (lo, hi) = SpectralNorm.Extremes((x, y) => s.ApplyCertificateOperator(x, y), s.N, 250, new Rng(5));
            Assert.Equal(values[0], lo, 1e-6 * Math.Abs(values[0]));
            Assert.Equal(values[s.N - 1], hi, 1e-6 * Math.Abs(values[s.N - 1]));
        }
    }

    [Fact]
    public void CirculantCertificateMatchesClosedForm()
    {
        // Circulant graph on Z_n with generators ±1, ±5, ±12: eigenvalues Σ 2cos(2πjs/n).
        int n = 400; int[] gens = [1, 5, 12];
        var nb = new int[n * 6];
        for (int v = 0; v < n; v++)
            for (int k = 0; k < 3; k++) { nb[v * 6 + 2 * k] = (v + gens[k]) % n; nb[v * 6 + 2 * k + 1] = (v - gens[k] + n) % n; }
        var g = new RegularGraph(n, 6, nb, "circulant");
        double lam = 0;
        for (int j = 1; j < n; j++) lam = Math.Max(lam, Math.Abs(gens.Sum(s => 2 * Math.Cos(2 * Math.PI * j * s / n))));
        double cert = SpectralNorm.Certificate(SamplingMatrix.FromRegularGraph(g), new Rng(6), steps: 400);
        Assert.Equal(n / 6.0 * lam, cert, 1e-6 * cert);
    }
}
