using Reproduce.Compute;
using Reproduce.Stability;

namespace Reproduce.Tests.Stability;

public class CoherenceTests
{
    [Fact]
    public void SigmaIsAtLeastOneOnRandomFamilies()
    {
        for (ulong s = 1; s <= 20; s++)
            Assert.True(Coherence.Sigma(StabilityTestFamilies.Random(s, 4, 7)) >= 1 - 1e-12);
    }

    [Fact]
    public void IdenticalRankOneHessiansGiveSigmaN()
    {
        var u = Matrix.Vector([1.0, 2.0, -1.0]);
        var h = Ops.MatMul(u, u, transB: true);
        var family = HessianFamily.FromMatrices(Enumerable.Repeat(h, 6));
        Assert.Equal(6, Coherence.Sigma(family), 10);
    }

    [Fact]
    public void OrthogonalEqualNormRankOneHessiansGiveSigmaOne()
    {
        var (q, _) = Ops.Qr(new Rng(3).NormalMatrix(5, 5));
        var hs = Enumerable.Range(0, 5).Select(i =>
        {
            var col = Matrix.Vector(q.Column(i));
            return Ops.Scale(Ops.MatMul(col, col, transB: true), 2.5);
        });
        // Symmetrise the rounding of the outer products.
        var family = HessianFamily.FromMatrices(hs.Select(h => Matrix.Build(5, 5, (a, b) => 0.5 * (h[a, b] + h[b, a]))));
        // √tr(HᵢHⱼ) turns rounding-level traces (~1e-16) into ~1e-8 off-diagonal entries.
        Assert.Equal(1, Coherence.Sigma(family), 6);
    }

    [Fact]
    public void LeastSquaresClosedFormEqualsGenericComputation()
    {
        var x = new Rng(11).NormalMatrix(9, 4);
        double generic = Coherence.Sigma(HessianFamily.LeastSquares(x));
        double closed = Coherence.LeastSquaresSigma(x);
        Assert.Equal(closed, generic, 9);
        // S = |XXᵀ| entrywise.
        var s = Coherence.CoherenceMatrix(HessianFamily.LeastSquares(x));
        var g = Ops.Gram(x, outer: true);
        Assert.True(StabilityTestFamilies.MaxAbsDiff(s, Ops.Map(UnaryOp.Abs, g)) < 1e-9);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(20)]
    public void ConstructionsHaveExactSharpnessAndCoherence(int sigma)
    {
        var fig1 = HessianFamily.Figure1(20, sigma);
        Assert.Equal(2, fig1.Sharpness, 10);
        Assert.Equal(sigma, Coherence.Sigma(fig1), 9);
        var thm2 = HessianFamily.Theorem2Construction(20, 0.7, sigma, d: 2);
        Assert.Equal(0.7, thm2.Sharpness, 10);
        Assert.Equal(sigma, Coherence.Sigma(thm2), 9);
    }
}
