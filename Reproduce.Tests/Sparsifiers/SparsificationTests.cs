using Reproduce.Compute;
using Reproduce.Sparsifiers;

namespace Reproduce.Tests.Sparsifiers;

public class SparsificationTests
{
    private static Matrix Dense(SymmetricTestMatrix a) => Matrix.Build(a.N, a.N, a.Entry);

    [Fact]
    public void ImplicitOperatorsEqualDenseCounterparts()
    {
        var rng = new Rng(1);
        int n = 300;
        var s = SamplingMatrix.FromRegularGraph(RandomRegularGraph.Generate(n, 10, rng));
        SymmetricTestMatrix[] families =
        [
            new SignRankOneMatrix(n, rng), new GramTestMatrix(n, 20, rng), DenseTestMatrix.Rbf(n, rng),
            BlockSignMatrix.Standard(n, rng), new AdversarialMatrix(s), DenseTestMatrix.Wigner(n, rng),
        ];
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = rng.Normal();
        foreach (var a in families)
        {
            var y = new double[n];
            a.Apply(x, y);
            var yd = Ops.MatVec(Dense(a), Matrix.Vector(x));
            for (int i = 0; i < n; i++) Assert.Equal(yd[i], y[i], 1e-9 * (1 + Math.Abs(yd[i])));
        }
        var adv = new AdversarialMatrix(s);
        Assert.Equal(-1, adv.Entry(0, s.Csr.ColIdx[s.Csr.RowPtr[0]]));
    }

    [Fact]
    public void CholeskyCertificateProvesTheNormFromAboveAndRejectsAValueBelowIt()
    {
        // Oracle: the dense eigensolver's ‖𝟏 − S‖₂. Just above it the inertia test must prove the bound; just below it
        // one of τI ∓ (𝟏 − S) has a negative eigenvalue, so the factorisation must fail (a test that only tried values
        // far above the norm could not tell a correct test from one that always answers yes).
        var rng = new Rng(7);
        foreach (var s in new[] { SamplingMatrix.FromRegularGraph(RandomRegularGraph.Generate(200, 6, rng)), SamplingMatrix.Bernoulli(200, 6, rng) })
        {
            double norm = SpectralNorm.Dense(s.DenseCertificateMatrix());
            Assert.True(SpectralNorm.IsCertifiedUpperBound(s, norm * (1 + 1e-6)), $"{s.Name}: {norm}·(1 + 1e-6) not proven");
            Assert.False(SpectralNorm.IsCertifiedUpperBound(s, norm * (1 - 1e-3)), $"{s.Name}: {norm}·(1 − 1e-3) proven, but it is below the norm");
        }
        Assert.Throws<ArgumentOutOfRangeException>(() => SpectralNorm.IsCertifiedUpperBound(SamplingMatrix.Bernoulli(10, 2, rng), 0));
    }

    [Fact]
    public void RankOneSignAttainsTheBoundAndPsdFamiliesObeyIt()
    {
        var rng = new Rng(2);
        int n = 500;
        foreach (var s in new[] { SamplingMatrix.FromRegularGraph(RandomRegularGraph.Generate(n, 8, rng)), SamplingMatrix.Bernoulli(n, 8, rng) })
        {
            double cert = SpectralNorm.Dense(s.DenseCertificateMatrix());
            var sign = new SignRankOneMatrix(n, rng);
            double signErr = Sparsification.ErrorNorm(sign, s, new Rng(3), steps: 300);
            Assert.Equal(cert, signErr, 1e-6 * cert);
            foreach (SymmetricTestMatrix a in new SymmetricTestMatrix[] { new GramTestMatrix(n, 20, rng), DenseTestMatrix.Rbf(n, rng), BlockSignMatrix.Standard(n, rng) })
            {
                var b = Sparsification.Sparsify(a, s);
                var e = Ops.Sub(Dense(a), b.ToDense());
                double exact = SpectralNorm.Dense(e);
                Assert.True(exact <= a.MaxDiagonal() * cert * (1 + 1e-8), $"{a.Name}: {exact} > {cert}");
                Assert.Equal(exact, Sparsification.ErrorNorm(a, b, new Rng(4), steps: 300), 1e-5 * exact);
            }
        }
    }

    [Fact]
    public void AdversarialNonPsdErrorIsOfOrderN()
    {
        var rng = new Rng(5);
        int n = 400, d = 16;
        var s = SamplingMatrix.FromRegularGraph(RandomRegularGraph.Generate(n, d, rng));
        double err = Sparsification.ErrorNorm(new AdversarialMatrix(s), s, new Rng(6));
        Assert.True(err >= 2 * n - 2 * d - 1e-6, $"{err} < 2n − 2d");
    }

    [Fact]
    public void WeylBandAndDeterministicPowerMethodBounds()
    {
        var rng = new Rng(7);
        int n = 400;
        var s = SamplingMatrix.FromRegularGraph(RandomRegularGraph.Generate(n, 16, rng));
        var a = BlockSignMatrix.Standard(n, rng);
        var b = Sparsification.Sparsify(a, s);
        var ea = Ops.SymmetricEigen(Dense(a)).Values.ToArray();
        var eb = Ops.SymmetricEigen(b.ToDense()).Values.ToArray();
        double err = SpectralNorm.Dense(Ops.Sub(Dense(a), b.ToDense()));
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(ea[i] - eb[i]) <= err + 1e-8);
        double sigma1 = Math.Max(Math.Abs(eb[0]), Math.Abs(eb[^1]));
        var est = DeterministicPowerMethod.Top(b, 12);
        Assert.InRange(sigma1, est.Lower - 1e-9, est.Upper + 1e-9);
        Assert.True(est.Rayleigh <= eb[^1] + 1e-9);
        // Block sizes are the eigenvalues of the generator.
        var sizes = a.BlockSizes.OrderBy(x => x).ToArray();
        for (int k = 0; k < sizes.Length; k++) Assert.Equal(sizes[k], ea[n - sizes.Length + k], 1e-8);
        Assert.Equal(0, ea[n - sizes.Length - 1], 1e-8);
    }

    [Fact]
    public void BlockRecoveryWithAnExpanderFindsLargeBlocks()
    {
        var rng = new Rng(8);
        int n = 1000;
        var a = BlockSignMatrix.Standard(n, rng);
        var g = RandomRegularGraph.Generate(n, 60, rng);
        // Keep components of at least εn/2 rows: a block of εn rows sees about ε·d = 6 expander
        // neighbours per row, so it may lose a few rows but not its bulk.
        var r = BlockRecovery.Recover(a, g, 50);
        Assert.Equal(n + n * 60 / 2, r.EntriesRead);
        Assert.True(r.Blocks.Count >= a.BlockSizes.Count(sz => sz >= 100));
        foreach (var (rows, signs) in r.Blocks)
            for (int k = 1; k < rows.Length; k++) Assert.Equal(a.Entry(rows[0], rows[k]), signs[0] * signs[k]);
        double err = BlockRecovery.Error(a, r, new Rng(9));
        Assert.True(err < 0.1 * n, $"error {err}");
        // Reading too little (d = 2) cannot recover anything large.
        var poor = BlockRecovery.Recover(a, RandomRegularGraph.Generate(n, 2, rng), 50);
        Assert.True(BlockRecovery.Error(a, poor, new Rng(9)) >= 0.1 * n);
    }
}
