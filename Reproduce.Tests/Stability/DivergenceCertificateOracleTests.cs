using Reproduce.Stability;

namespace Reproduce.Tests.Stability;

/// <summary>The divergence certificates against their definitions recomputed here: the union bound
/// F^{−θ*₁} + (n − σ)·F^{−θ*_private} with both exponents solved independently from the per-axis count laws, and the
/// majority flag as "more than half of the r runs", summed term by term.</summary>
public class DivergenceCertificateOracleTests
{
    private static double Choose(int n, int k)
    {
        double c = 1;
        for (int i = 1; i <= k; i++) c = c * (n - k + i) / i;
        return c;
    }

    /// <summary>θ* = sup{θ ≥ 0 : E|1 − s·c|^{2θ} ≤ 1} for c ~ Binomial(B, q) (B draws with replacement, q = marked/n),
    /// by bisection on the moment itself; NaN when θ* is 0, ∞ or beyond 60 (cells the comparison skips).</summary>
    private static double Exponent(int batch, double q, double s)
    {
        double Moment(double theta)
        {
            double e = 0;
            for (int c = 0; c <= batch; c++) e += Choose(batch, c) * Math.Pow(q, c) * Math.Pow(1 - q, batch - c) * Math.Pow(Math.Abs(1 - s * c), 2 * theta);
            return e;
        }
        double lo = 1e-6, hi = 60;
        if (Moment(lo) > 1 || Moment(hi) <= 1) return double.NaN;
        for (int it = 0; it < 200; it++) { double mid = 0.5 * (lo + hi); if (Moment(mid) <= 1) lo = mid; else hi = mid; }
        return lo;
    }

    [Fact]
    public void RunDivergesBoundIsTheUnionBoundOverTheSharedAxisAndEveryPrivateAxis()
    {
        const int n = 100;
        const double eta = 0.5, factor = 1000;
        int decisive = 0;
        foreach (int sigma in new[] { 1, 2, 3, 5, 8 })
            for (int batch = 10; batch <= 60; batch += 2)
            {
                var family = new AxisAlignedFamily(n, sigma);
                double s = eta * family.M / batch;
                double thetaShared = Exponent(batch, (double)sigma / n, s), thetaPrivate = Exponent(batch, 1.0 / n, s);
                if (double.IsNaN(thetaShared) || double.IsNaN(thetaPrivate)) continue;
                double shared = Math.Pow(factor, -thetaShared), perPrivate = Math.Pow(factor, -thetaPrivate);
                double expected = shared + (n - sigma) * perPrivate;
                if (expected >= 1) continue; // clamped to 1: nothing to compare
                double bound = DivergenceCertificate.RunDivergesBound(family, eta, batch, SamplingModel.WithReplacement, factor);
                // Both exponents are bisected to ~1e-12; F^{−θ} then moves by ln(1000)·1e-12 relative.
                Assert.True(Math.Abs(bound - expected) <= 1e-8 * expected,
                    $"σ = {sigma}, B = {batch}: bound {bound:R}, expected F^−θ₁ + (n − σ)F^−θp = {shared:R} + {n - sigma}·{perPrivate:R} = {expected:R}");
                if ((n - sigma - 1) * perPrivate > 1e-6 * expected) decisive++;
            }
        // The comparison must include cells where the private axes carry weight, or the count n − σ would go unseen.
        Assert.True(decisive >= 3, $"only {decisive} cells with a non-negligible private-axis term");
    }

    [Theory]
    [InlineData(10, 0.3)]
    [InlineData(11, 0.3)]
    [InlineData(4, 0.05)]
    [InlineData(5, 0.45)]
    public void FlaggedBoundIsTheTailOfMoreThanHalfTheRuns(int repeats, double p)
    {
        // The cell is flagged divergent when more than half of its r runs diverge: j > r/2, i.e. j ≥ ⌊r/2⌋ + 1.
        double expected = 0;
        for (int j = 0; j <= repeats; j++)
            if (2 * j > repeats) expected += Choose(repeats, j) * Math.Pow(p, j) * Math.Pow(1 - p, repeats - j);
        double bound = DivergenceCertificate.FlaggedBound(p, repeats);
        Assert.True(Math.Abs(bound - expected) <= 1e-12 * expected,
            $"r = {repeats}, p = {p}: FlaggedBound {bound:R}, P(more than half diverge) = {expected:R}");
        // The stays-bounded side: not flagged ⇔ at least r − ⌊r/2⌋ runs stay bounded (its complement is "more than half diverge").
        double missed = 0;
        for (int j = 0; j <= repeats; j++)
            if (2 * (repeats - j) <= repeats) missed += Choose(repeats, j) * Math.Pow(p, j) * Math.Pow(1 - p, repeats - j);
        Assert.True(Math.Abs(DivergenceCertificate.MissedBound(p, repeats) - missed) <= 1e-12 * missed,
            $"r = {repeats}, p = {p}: MissedBound {DivergenceCertificate.MissedBound(p, repeats):R}, expected {missed:R}");
    }
}
