namespace Reproduce.Sparsifiers;

/// <summary>Deterministic top eigenvalue/singular value of a sparse symmetric B = A∘S (a reconstruction of
/// the "deterministic power method" behind the paper's fast deterministic algorithms; brief §2.6, labelled
/// as such). Since Σᵢ ‖Bᵗeᵢ‖² = tr(B²ᵗ) ≥ λ^{2t} with λ = max|λᵢ(B)| = σ₁(B), the best basis vector satisfies
/// ‖Bᵗeᵢ‖^{1/t} ≥ λ·n^{−1/(2t)}, and always ‖Bᵗeᵢ‖^{1/t} ≤ λ. Running t steps from every eᵢ costs n·t·nnz(B),
/// with no randomness. The reported eigenvalue estimate is the Rayleigh quotient at the best Bᵗeᵢ.</summary>
public static class DeterministicPowerMethod
{
    /// <summary>Result: the certified singular-value bracket and the Rayleigh-quotient estimate.</summary>
    /// <param name="Lower">max_i ‖Bᵗeᵢ‖^{1/t} ≤ σ₁(B) (a certified lower bound).</param>
    /// <param name="Upper">Lower·n^{1/(2t)} ≥ σ₁(B) (a certified upper bound).</param>
    /// <param name="Rayleigh">vᵀBv/vᵀv at v = Bᵗe_best: the eigenvalue estimate.</param>
    /// <param name="BestIndex">The best start index.</param>
    public readonly record struct Estimate(double Lower, double Upper, double Rayleigh, int BestIndex);

    /// <summary>Runs t power steps from every basis vector.</summary>
    public static Estimate Top(Reproduce.Compute.SparseMatrix b, int t)
    {
        ArgumentNullException.ThrowIfNull(b);
        if (b.Rows != b.Cols) throw new ArgumentException($"B must be square, got {b.Rows}×{b.Cols}.", nameof(b));
        if (t < 1) throw new ArgumentOutOfRangeException(nameof(t), t, "The number of power steps t must be at least 1.");
        int n = b.Rows;
        var v = new double[n];
        var w = new double[n];
        double bestLogNorm = double.NegativeInfinity;
        int best = 0;
        for (int i = 0; i < n; i++)
        {
            Array.Clear(v);
            v[i] = 1;
            double logNorm = 0; // log ‖Bᵗeᵢ‖, renormalising each step
            for (int s = 0; s < t; s++)
            {
                Sparsification.Apply(b, v, w);
                double norm = Math.Sqrt(Dot(w, w));
                if (norm == 0) { logNorm = double.NegativeInfinity; break; }
                logNorm += Math.Log(norm);
                for (int k = 0; k < n; k++) v[k] = w[k] / norm;
            }
            if (logNorm > bestLogNorm) { bestLogNorm = logNorm; best = i; }
        }
        // Recompute the best vector and its Rayleigh quotient.
        Array.Clear(v);
        v[best] = 1;
        for (int s = 0; s < t; s++)
        {
            Sparsification.Apply(b, v, w);
            double norm = Math.Sqrt(Dot(w, w));
            if (norm == 0) break;
            for (int k = 0; k < n; k++) v[k] = w[k] / norm;
        }
        Sparsification.Apply(b, v, w);
        double rayleigh = Dot(v, w) / Dot(v, v);
        double lower = double.IsNegativeInfinity(bestLogNorm) ? 0 : Math.Exp(bestLogNorm / t);
        return new Estimate(lower, lower * Math.Pow(n, 1.0 / (2 * t)), rayleigh, best);
    }

    private static double Dot(double[] x, double[] y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += x[i] * y[i];
        return s;
    }
}
