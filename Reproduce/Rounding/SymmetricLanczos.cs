using Reproduce.Compute;

namespace Reproduce.Rounding;

/// <summary>Symmetric Lanczos with full reorthogonalisation for the extreme eigenvalues of an
/// implicit symmetric operator x ↦ Mx (Golub and Van Loan §10.1). After k steps the Ritz values of
/// the k×k tridiagonal matrix bracket the spectrum from inside; k = n gives the exact spectrum.
/// Used for σ_min of tall matrices (operator AᵀA) and for the sparsifier certificate ‖𝟏 − S‖₂.</summary>
public static class SymmetricLanczos
{
    /// <summary>The smallest and largest Ritz values after min(steps, n) steps from a random start
    /// drawn from <paramref name="rng"/>. <paramref name="apply"/>(x, y) must write y = Mx.</summary>
    public static (double Min, double Max) ExtremeEigenvalues(Action<double[], double[]> apply, int n, int steps, Rng rng)
    {
        var ritz = RitzValues(apply, n, steps, rng);
        return (ritz[0], ritz[^1]);
    }

    /// <summary>All Ritz values (ascending) after min(steps, n) steps (fewer if the Krylov space
    /// becomes invariant).</summary>
    public static double[] RitzValues(Action<double[], double[]> apply, int n, int steps, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(rng);
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "Operator dimension must be at least 1.");
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Lanczos needs at least one step.");
        int k = Math.Min(steps, n);
        var basis = new List<double[]>(k);
        var alpha = new List<double>(k);
        var beta = new List<double>(k);
        var q = new double[n];
        for (int i = 0; i < n; i++) q[i] = rng.Normal();
        Normalize(q);
        var w = new double[n];
        for (int j = 0; j < k; j++)
        {
            basis.Add(q);
            apply(q, w);
            double a = Dot(q, w);
            alpha.Add(a);
            // Full reorthogonalisation, two passes of classical Gram–Schmidt.
            for (int pass = 0; pass < 2; pass++)
                foreach (var v in basis)
                {
                    double c = Dot(v, w);
                    for (int i = 0; i < n; i++) w[i] -= c * v[i];
                }
            double b = Math.Sqrt(Dot(w, w));
            if (j == k - 1) break;
            double scale = Math.Abs(a);
            foreach (var bb in beta) scale = Math.Max(scale, bb);
            if (b <= 1e-13 * Math.Max(scale, 1e-300)) break;
            beta.Add(b);
            var next = new double[n];
            for (int i = 0; i < n; i++) next[i] = w[i] / b;
            q = next;
        }
        int m = alpha.Count;
        var t = Matrix.Zeros(m, m);
        for (int i = 0; i < m; i++)
        {
            t[i, i] = alpha[i];
            if (i + 1 < m) { t[i, i + 1] = beta[i]; t[i + 1, i] = beta[i]; }
        }
        var (values, _) = Ops.SymmetricEigen(t);
        var result = new double[m];
        for (int i = 0; i < m; i++) result[i] = values[i];
        Array.Sort(result);
        return result;
    }

    private static double Dot(double[] x, double[] y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }

    private static void Normalize(double[] x)
    {
        double norm = Math.Sqrt(Dot(x, x));
        for (int i = 0; i < x.Length; i++) x[i] /= norm;
    }
}
