using Reproduce.Compute;

namespace Reproduce.Logistic;

/// <summary>Weighted (optionally ℓ2-regularised) logistic regression min_β Σ wᵢ softplus(−(Zβ)ᵢ) + λ/2‖β‖² by Newton's
/// method with backtracking (Armijo) line search (Boyd &amp; Vandenberghe §9.5). The Hessian Zᵀ diag(wᵢσᵢ(1−σᵢ)) Z + λI is
/// formed through <see cref="Ops"/>. On separable data without ℓ2 the minimum is not attained: the solver stops at the
/// iteration cap and says so.</summary>
public static class LogisticRegression
{
    /// <summary>Result: β, loss, iterations, gradient norm, whether the Newton decrement fell below tolerance.</summary>
    public sealed record Fit(double[] Beta, double Loss, int Iterations, double GradientNorm, bool Converged);

    /// <summary>Fits β on Z = D_y X with weights (null = ones).</summary>
    public static Fit Solve(Matrix z, double[]? weights = null, double l2 = 0, double tolerance = 1e-15, int maxIterations = 100)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (weights is not null && weights.Length != z.Rows) throw new ArgumentException($"LogisticRegression: {weights.Length} weights for {z.Rows} rows.", nameof(weights));
        if (weights is not null && weights.Any(w => !(w >= 0) || !double.IsFinite(w))) throw new ArgumentException("LogisticRegression: weights must be finite and non-negative.", nameof(weights));
        if (!(l2 >= 0)) throw new ArgumentException($"LogisticRegression: l2 = {l2}; it must be ≥ 0.", nameof(l2));
        int n = z.Rows, d = z.Cols;
        var beta = new double[d];
        double f = LogisticLoss.Value(z, beta, weights, l2);
        int it = 0; bool conv = false; double gn = double.NaN;
        for (; it < maxIterations; it++)
        {
            var zb = Linalg.MatVec(z, beta);
            var h = new double[n]; var r = new double[n];
            for (int i = 0; i < n; i++)
            {
                double w = weights?[i] ?? 1, p = LogisticLoss.Sigmoid(-zb[i]);
                r[i] = -w * p; h[i] = w * p * (1 - p);
            }
            var g = Linalg.MatVec(z, r, trans: true);
            for (int j = 0; j < d; j++) g[j] += l2 * beta[j];
            gn = Linalg.Norm(g);
            var hm = Linalg.WeightedGram(z, h);
            for (int j = 0; j < d; j++) hm[j, j] += l2;
            var step = Linalg.SolveSpd(hm, g);
            double dec = Linalg.Dot(g, step);
            if (dec / 2 <= tolerance * Math.Max(1, Math.Abs(f))) { conv = true; break; }
            double t = 1;
            double[] nb = beta; double nf = f;
            for (int k = 0; k < 60; k++)
            {
                nb = beta.Select((b, j) => b - t * step[j]).ToArray();
                nf = LogisticLoss.Value(z, nb, weights, l2);
                if (nf <= f - 0.25 * t * dec) break;
                t *= 0.5;
            }
            if (!(nf < f)) { conv = dec <= 1e-6 * Math.Max(1, f); break; }
            beta = nb; f = nf;
        }
        return new Fit(beta, f, it, gn, conv);
    }
}
