using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Logistic;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Logistic;

/// <summary>The Munteanu et al. optimum t = min_{‖β‖₁=1} ‖(Uβ)⁻‖₁ three ways: enumeration of the 2^d orthant LPs, a dense
/// scan of the ℓ1 circle (d = 2), and CBC on the Big-M MIP; and the mip-exact figure's claims.</summary>
public class MunteanuExactTests
{
    [Fact]
    public void EnumerationMatchesADenseScanOfTheL1CircleInTwoDimensions()
    {
        var z = SyntheticLogistic.Generate(30, 2, new Rng(31)).Z();
        var (t, beta) = MunteanuBruteForce.Solve(z);
        Assert.Equal(1, beta.Sum(Math.Abs), 6);
        // β(τ) walks the ℓ1 circle's four edges; f(β) = ‖(Zβ)⁻‖₁ is Lipschitz with constant max_j ‖Z_j‖₁ in ℓ1, so the
        // scan's minimum is within L·(edge step) above t and never below it.
        const int steps = 40_000;
        double lip = Enumerable.Range(0, 2).Max(j => Enumerable.Range(0, 30).Sum(i => Math.Abs(z[i, j])));
        double scan = double.PositiveInfinity;
        foreach (var (sa, sb) in new[] { (1, 1), (1, -1), (-1, 1), (-1, -1) })
            for (int k = 0; k <= steps; k++)
            {
                double tau = (double)k / steps, b0 = sa * (1 - tau), b1 = sb * tau, neg = 0;
                for (int i = 0; i < 30; i++) neg += Math.Max(-(z[i, 0] * b0 + z[i, 1] * b1), 0);
                scan = Math.Min(scan, neg);
            }
        Assert.InRange(scan, t - 1e-9, t + lip * 2.0 / steps + 1e-9);
    }

    [Fact]
    public void EnumerationRejectsTooManyColumns()
    {
        var ex = Assert.Throws<ArgumentException>(() => MunteanuBruteForce.Solve(Matrix.Zeros(20, 11)));
        Assert.Contains("d = 11", ex.Message);
        Assert.Contains("MunteanuMip", ex.Message);
    }

    [RequiresFact(Part.Cbc)]
    public void CbcProvenOptimumEqualsEnumeration()
    {
        foreach (var (n, d) in new[] { (24, 3), (40, 4) })
        {
            var z = SyntheticLogistic.Generate(n, d, new Rng((ulong)(32 + d))).Z();
            var mip = MunteanuMip.Solve(z, 20);
            Assert.True(mip.Optimal, mip.Status + " " + mip.Message);
            var (t, _) = MunteanuBruteForce.Solve(z);
            Assert.True(Math.Abs(mip.Incumbent - t) <= 1e-6 * (1 + t), $"{n}×{d}: CBC t = {mip.Incumbent}, enumeration t = {t}");
        }
    }

    [RequiresFact(Part.Cbc)]
    public void MipExactSmokeClaimsHoldAndTheVerdictIsComputed()
    {
        var r = LogisticExperiments.MipExact(new RunContext(Scale.Smoke));
        Assert.True(r.AllPass, string.Join("\n", r.Claims.Where(c => !c.Pass)));
        Assert.Contains(r.Claims, c => c.Name.StartsWith("instances where CBC proved", StringComparison.Ordinal));
        Assert.NotNull(r.Verdict);
        Assert.Equal(9, r.Data.RowCount);
    }
}
