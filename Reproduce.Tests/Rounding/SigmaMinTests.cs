using Reproduce.Compute;
using Reproduce.Rounding;

namespace Reproduce.Tests.Rounding;

public class SigmaMinTests
{
    [Fact]
    public void GramEigenLanczosAndSvdAgree()
    {
        var a = new Rng(4).NormalMatrix(400, 30);
        double svd = SigmaMin.BySvd(a);
        Assert.Equal(svd, SigmaMin.ByGramEigen(a), svd * 1e-9);
        var (lo, hi) = SigmaMin.ByLanczos(a, 30, new Rng(1));
        Assert.Equal(svd, lo, svd * 1e-6);
        var (_, s, _) = Ops.Svd(a);
        Assert.Equal(s[0], hi, s[0] * 1e-9);
    }

    [Fact]
    public void StreamingGramMatchesDenseSvdAndStackingKeepsSingularValues()
    {
        var rng = new Rng(8);
        var a = SrTestMatrices.WithSmallestSingularValue(1000, 20, 1e-2, rng);
        // Stacking [A; A; A]/√3 with round-to-nearest onto a very fine binary grid ≈ A's spectrum.
        var fine = FixedPointGrid.Binary(52);
        var stacked = StackedRounding.Run(a, 3, fine, RoundingMode.Nearest, 1);
        double svd = SigmaMin.BySvd(a);
        Assert.Equal(1e-2, svd, 1e-12);
        Assert.Equal(svd, stacked.SigmaMin, svd * 1e-6);
        var dense = StackedRounding.Run(a, 1, fine, RoundingMode.Nearest, 1);
        Assert.Equal(svd, dense.SigmaMin, svd * 1e-6);
    }

    [Fact]
    public void GeneratorHitsTargetAndStaysInUnitBox()
    {
        var rng = new Rng(9);
        var a = SrTestMatrices.WithSmallestSingularValue(2000, 10, 0, rng);
        Assert.True(SigmaMin.BySvd(a) < 1e-12);
        Assert.All(a.ToArray(), x => Assert.InRange(x, -1, 1));
        var b = SrTestMatrices.WithSmallestSingularValue(2000, 10, 1e-2, rng);
        Assert.Equal(1e-2, SigmaMin.BySvd(b), 1e-12);
    }

    [Fact]
    public void HighAndLowVarianceSurgery()
    {
        var rng = new Rng(10);
        var a = SrTestMatrices.NormalizedGaussian(500, 5, rng);
        const int p = 3;
        var grid = FixedPointGrid.Decimal(p);
        var h = SrTestMatrices.HighVariance(a, p);
        var l = SrTestMatrices.LowVariance(a, p, rng);
        for (int i = 0; i < 500; i++)
        {
            Assert.Equal(h[i, 0], h[i, 1]);
            Assert.Equal(l[i, 0], l[i, 1]);
            for (int j = 0; j < 5; j++)
            {
                Assert.Equal(0.5, grid.Fraction(Math.Abs(h[i, j])), 1e-8);
                double f = grid.Fraction(Math.Abs(l[i, j]));
                Assert.True(Math.Abs(f - 0.11) < 1e-8 || Math.Abs(f - 0.99) < 1e-8, $"fraction {f}");
            }
        }
        // All π = ½ and 𝓡 = ½·10^−p ⇒ ν = 1 exactly.
        var res = StackedRounding.Run(h, 1, grid, RoundingMode.Stochastic, 5);
        Assert.Equal(0.5e-3, res.R, 1e-9);
        Assert.Equal(1.0, res.Nu, 1e-6);
    }

    [Fact]
    public void RankDeficientMatrixIsRegularisedToTheVarianceScale()
    {
        // Oracle from the issue: σ_min(Ã) ≥ √v within tolerance for a rank-deficient input.
        var rng = new Rng(12);
        var a = SrTestMatrices.WithSmallestSingularValue(10_000, 10, 0, rng);
        var res = StackedRounding.Run(a, 1, FixedPointGrid.Decimal(3), RoundingMode.Stochastic, 77);
        Assert.InRange(res.SigmaMin / res.SqrtV, 0.9, 1.1);
        Assert.InRange(res.Nu, 0.15, 0.18);
        // Deterministic rounding of an exactly duplicated column keeps it duplicated.
        var dup = SrTestMatrices.HighVariance(SrTestMatrices.NormalizedGaussian(2000, 4, rng), 2);
        var rn = StackedRounding.Run(dup, 1, FixedPointGrid.Decimal(2), RoundingMode.Nearest, 0);
        Assert.True(rn.SigmaMin < 1e-6, $"RN σ_min = {rn.SigmaMin}");
    }

    [Fact]
    public void BadShapesAreRejected()
    {
        var wide = new Rng(1).NormalMatrix(5, 5);
        var e = Assert.Throws<ArgumentException>(() => SigmaMin.ByGramEigen(wide));
        Assert.Contains("n > d", e.Message);
        Assert.Throws<ArgumentException>(() => SrTestMatrices.WithSmallestSingularValue(10, 10, 0, new Rng(1)));
    }
}
