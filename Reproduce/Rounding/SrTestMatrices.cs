using Reproduce.Compute;

namespace Reproduce.Rounding;

/// <summary>The test matrices of Dexter et al. (arXiv 2403.12278) Section 5, rebuilt from the
/// official code as described in the brief (§2.3–2.4).</summary>
public static class SrTestMatrices
{
    /// <summary>§5.1/§5.3 generator: G = randn(n, d), m = max|G_ij|, replace the smallest singular
    /// value σ_d of G by σ_target·m and divide by m, so σ_min(A) = σ_target exactly and entries are
    /// about in [−1, 1]; redrawn until every entry is in [−1, 1]. Instead of a full SVD it uses the
    /// equivalent rank-one update A = (G − (σ_d − σ_target·m)·u_d v_dᵀ)/m with (σ_d², v_d) the
    /// smallest eigenpair of GᵀG and u_d = Gv_d/σ_d (identical in exact arithmetic, and cheap
    /// for d = 1000).</summary>
    public static Matrix WithSmallestSingularValue(int n, int d, double sigmaTarget, Rng rng, int maxRedraws = 100)
    {
        CheckShape(n, d);
        ArgumentNullException.ThrowIfNull(rng);
        if (!(sigmaTarget >= 0) || double.IsInfinity(sigmaTarget))
            throw new ArgumentOutOfRangeException(nameof(sigmaTarget), sigmaTarget, "σ_target must be finite and ≥ 0 (the paper uses 0 and 1e-2).");
        for (int attempt = 0; attempt < maxRedraws; attempt++)
        {
            var g = rng.NormalMatrix(n, d);
            double m = 0;
            foreach (double x in g.Span) m = Math.Max(m, Math.Abs(x));
            using var gram = Ops.Gram(g);
            var (values, vectors) = Ops.SymmetricEigen(gram);
            double sigmaD = Math.Sqrt(Math.Max(values[0], 0));
            var v = new double[d];
            for (int j = 0; j < d; j++) v[j] = vectors[j, 0];
            using var vm = Matrix.FromColumnMajor(d, 1, v);
            using var gv = Ops.MatVec(g, vm);
            double coef = (sigmaD - sigmaTarget * m) / sigmaD;
            var a = g.Span;
            var gvs = gv.Span;
            bool inside = true;
            for (int j = 0; j < d; j++)
                for (int i = 0; i < n; i++)
                {
                    double value = (a[j * n + i] - coef * gvs[i] * v[j]) / m;
                    a[j * n + i] = value;
                    if (Math.Abs(value) > 1) inside = false;
                }
            if (inside) return g;
            g.Dispose();
        }
        throw new InvalidOperationException($"No draw with all entries in [-1, 1] after {maxRedraws} attempts (n = {n}, d = {d}).");
    }

    /// <summary>§5.2 base matrix: randn(n, d)/max|·| (full rank, entries in [−1, 1]).</summary>
    public static Matrix NormalizedGaussian(int n, int d, Rng rng)
    {
        CheckShape(n, d);
        ArgumentNullException.ThrowIfNull(rng);
        var g = rng.NormalMatrix(n, d);
        double m = 0;
        foreach (double x in g.Span) m = Math.Max(m, Math.Abs(x));
        var s = g.Span;
        for (int i = 0; i < s.Length; i++) s[i] /= m;
        return g;
    }

    /// <summary>§5.2 high-variance matrix A^h: a ↦ sign(a)(⌊|a|·10^p⌋ + 0.5)·10^−p (every entry at a
    /// grid midpoint, SR variance ¼·10^−2p), then column 2 := column 1 (rank deficient). This is the
    /// numerical form of the code's digit surgery.</summary>
    public static Matrix HighVariance(Matrix a, int p) => Surgery(a, p, _ => 0.5);

    /// <summary>§5.2 low-variance matrix A^l: fraction 0.11 or 0.99 (probability ½ each) relative to
    /// the grid, SR variance 0.0979 or 0.0099 × 10^−2p; column 2 := column 1.</summary>
    public static Matrix LowVariance(Matrix a, int p, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return Surgery(a, p, _ => rng.Uniform() < 0.5 ? 0.11 : 0.99);
    }

    private static Matrix Surgery(Matrix a, int p, Func<int, double> fraction)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Cols < 2) throw new ArgumentException($"§5.2 matrices copy column 1 into column 2, so d ≥ 2 is needed (got d = {a.Cols}).", nameof(a));
        if (p < 1 || p > 12) throw new ArgumentOutOfRangeException(nameof(p), p, "Digits p must be in 1..12.");
        double scale = Math.Pow(10, p);
        var host = a.ToCpu();
        var s = host.Span;
        for (int i = 0; i < s.Length; i++)
        {
            double x = s[i];
            s[i] = Math.CopySign((Math.Floor(Math.Abs(x) * scale) + fraction(i)) / scale, x == 0 ? 1 : x);
        }
        host.Column(0).CopyTo(host.Column(1));
        return host;
    }

    /// <summary>Throws unless 1 ≤ d &lt; n.</summary>
    public static void CheckShape(int n, int d)
    {
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, "d must be at least 1.");
        if (n <= d) throw new ArgumentException($"A tall matrix needs n > d, got n = {n}, d = {d}; use more rows or fewer columns.", nameof(n));
    }
}
