using Reproduce.Compute;
using Reproduce.Logistic;

namespace Reproduce.Tests.Logistic;

/// <summary>Oracles for the coreset sampling probabilities and the μ upper certificate on a tiny Z (n = 7, d = 2), with
/// the leverage scores and the projection onto null(Zᵀ) computed here from the 2×2 Gram matrix in closed form.</summary>
public class CoresetProbabilityTests
{
    private static readonly double[,] Rows =
    {
        { 1.0, 0.2 }, { -0.5, 1.3 }, { 2.0, -0.7 }, { 0.3, 0.3 }, { -1.1, -0.4 }, { 0.6, -1.2 }, { -0.2, 0.9 },
    };

    private static Matrix Z() => Matrix.Build(Rows.GetLength(0), 2, (i, j) => Rows[i, j]);

    /// <summary>(ZᵀZ)⁻¹ by the 2×2 adjugate formula.</summary>
    private static double[,] GramInverse()
    {
        double a = 0, b = 0, c = 0;
        for (int i = 0; i < Rows.GetLength(0); i++) { a += Rows[i, 0] * Rows[i, 0]; b += Rows[i, 0] * Rows[i, 1]; c += Rows[i, 1] * Rows[i, 1]; }
        double det = a * c - b * b;
        return new[,] { { c / det, -b / det }, { -b / det, a / det } };
    }

    [Fact]
    public void SensitivityWeightsAreOneOverMTimesSqrtLeveragePlusOneOverNNormalised()
    {
        int n = Rows.GetLength(0);
        var g = GramInverse();
        var score = new double[n];
        for (int i = 0; i < n; i++)
        {
            double x = Rows[i, 0], y = Rows[i, 1];
            double lev = x * (g[0, 0] * x + g[0, 1] * y) + y * (g[1, 0] * x + g[1, 1] * y);
            Assert.InRange(lev, 0.01, 0.99); // setup: inside (0, 1) √ℓ and ℓ differ by more than 1 %, so a score of ℓ + 1/n shows
            score[i] = Math.Sqrt(lev) + 1.0 / n; // pᵢ ∝ √ℓᵢ + 1/n (Munteanu & Omlor's √-leverage variant, brief §2.4)
        }
        double total = score.Sum();
        const int m = 400;
        var coreset = CoresetSampler.Sensitivity(Z(), m, new Rng(3));
        Assert.Equal(m, coreset.Indices.Length);
        // The solver's ridge (1e-12 relative) and the Cholesky rounding move pᵢ by far less than the 1e-9 allowed.
        for (int k = 0; k < m; k++)
        {
            int i = coreset.Indices[k];
            double expected = 1 / (m * score[i] / total);
            Assert.True(Math.Abs(coreset.Weights[k] - expected) <= 1e-9 * expected,
                $"draw {k} (row {i}): weight {coreset.Weights[k]:R}, expected 1/(m·pᵢ) = {expected:R}");
        }
        // Every row is drawn, so every probability is checked: pᵢ ≥ (1/n)/(Σ√ℓ + 1) ≥ (1/7)/(√(nd) + 1) > 0.03, so a
        // row is missed in 400 draws with probability below 0.97⁴⁰⁰ < 1e-5 (and the seed is fixed).
        Assert.Equal(n, coreset.Indices.Distinct().Count());
    }

    /// <summary>λ − Z(ZᵀZ)⁻¹Zᵀλ.</summary>
    private static double[] Project(double[] lambda, double[,] g)
    {
        int n = lambda.Length;
        double zt0 = 0, zt1 = 0;
        for (int i = 0; i < n; i++) { zt0 += Rows[i, 0] * lambda[i]; zt1 += Rows[i, 1] * lambda[i]; }
        double c0 = g[0, 0] * zt0 + g[0, 1] * zt1, c1 = g[1, 0] * zt0 + g[1, 1] * zt1;
        var r = new double[n];
        for (int i = 0; i < n; i++) r[i] = lambda[i] - (Rows[i, 0] * c0 + Rows[i, 1] * c1);
        return r;
    }

    [Fact]
    public void UpperCertificateProjectsLambdaOntoTheNullSpaceOfZTransposed()
    {
        int n = Rows.GetLength(0);
        var g = GramInverse();
        // λ₀: the projection of a positive vector, positive for this Z (checked), so λ₀ > 0 lies in null(Zᵀ); then
        // λ = λ₀ + Z·v has Zᵀλ ≠ 0. The certificate is valid only for the projected λ' (μ ≤ max λ'/min λ' needs
        // Zᵀλ' = 0), which must come back as λ₀.
        var lambda0 = new double[n];
        for (int i = 0; i < n; i++) lambda0[i] = 1 + 0.2 * i;
        lambda0 = Project(lambda0, g);
        Assert.True(lambda0.All(v => v > 0), "test setup: the projected λ₀ must be positive so that the certificate is finite");
        var lambda = new double[n];
        for (int i = 0; i < n; i++) lambda[i] = lambda0[i] + 0.3 * Rows[i, 0] - 0.2 * Rows[i, 1];
        var projected = Project(lambda, g);
        double expectedUpper = projected.Max() / projected.Min();

        // Tolerance 1e-11: entries of order 1, a Householder QR of a 7×2 matrix, rounding of a few ε·n.
        var (upper, l) = MuCertificates.Upper(MuCertificates.OrthonormalBasis(Z()), lambda);
        for (int i = 0; i < n; i++)
            Assert.True(Math.Abs(l[i] - projected[i]) <= 1e-11, $"λ'[{i}] = {l[i]:R}, expected λ − Z(ZᵀZ)⁻¹Zᵀλ = {projected[i]:R}");
        for (int j = 0; j < 2; j++)
        {
            double r = 0;
            for (int i = 0; i < n; i++) r += Rows[i, j] * l[i];
            Assert.True(Math.Abs(r) <= 1e-11 * n, $"(Zᵀλ')[{j}] = {r:R}: the returned λ' is not in null(Zᵀ)");
        }
        Assert.True(Math.Abs(upper - expectedUpper) <= 1e-11 * expectedUpper, $"upper {upper:R}, expected {expectedUpper:R}");
        // And it is a valid bound: at least the exact μ (sign-pattern enumeration / LAD).
        Assert.True(upper >= Mu.Lad(Z()).Value * (1 - 1e-9), $"upper {upper:R} below the exact μ");
    }
}
