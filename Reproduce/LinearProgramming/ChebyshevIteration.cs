namespace Reproduce.LinearProgramming;

/// <summary>Chebyshev iteration (Gutknecht &amp; Röllin 2002, Alg. 1) for an SPD system B z = g whose spectrum lies in
/// [λmin, λmax]; no inner products. Used on the split sketch-preconditioned system
/// Q^{−1/2} A D² Aᵀ Q^{−1/2} z = Q^{−1/2} p with the interval [(1+ζ/2)⁻¹, (1−ζ/2)⁻¹] of Lemma 2, or a measured one.</summary>
public static class ChebyshevIteration
{
    /// <summary>Runs Chebyshev from z₀ = 0 until ‖g − B z‖ ≤ tol‖g‖ (checked every step from the recurrence's residual) or the
    /// iteration cap (or exactly <paramref name="fixedIterations"/> steps when positive).</summary>
    public static PcgResult Solve(Func<double[], double[]> applyB, double[] g, double lambdaMin, double lambdaMax,
        double tolerance, int maxIterations, int fixedIterations = 0, Func<double[], double>? stopMeasure = null)
    {
        ArgumentNullException.ThrowIfNull(applyB); ArgumentNullException.ThrowIfNull(g);
        if (!(lambdaMin > 0 && lambdaMax >= lambdaMin)) throw new ArgumentException($"Chebyshev: the eigenvalue interval [{lambdaMin}, {lambdaMax}] must satisfy 0 < λmin ≤ λmax.", nameof(lambdaMin));
        int n = g.Length;
        double theta = (lambdaMax + lambdaMin) / 2, delta = (lambdaMax - lambdaMin) / 2;
        var z = new double[n];
        var r = (double[])g.Clone();
        double g0 = Math.Sqrt(PreconditionedConjugateGradient.Dot(g, g));
        var hist = new List<double> { g0 };
        var uhist = new List<double> { stopMeasure?.Invoke(r) ?? g0 };
        if (g0 == 0) return new PcgResult(z, 0, true, uhist, hist);
        var d = new double[n];
        for (int i = 0; i < n; i++) d[i] = r[i] / theta;
        double sigma1 = delta > 0 ? theta / delta : double.PositiveInfinity;
        double rho = delta > 0 ? 1 / sigma1 : 0;
        int limit = fixedIterations > 0 ? fixedIterations : maxIterations;
        int it = 0; bool converged = false;
        while (it < limit)
        {
            var bd = applyB(d);
            for (int i = 0; i < n; i++) { z[i] += d[i]; r[i] -= bd[i]; }
            it++;
            double rn = Math.Sqrt(PreconditionedConjugateGradient.Dot(r, r));
            hist.Add(rn);
            double um = stopMeasure?.Invoke(r) ?? rn;
            uhist.Add(um);
            double r0 = uhist[0];
            if (fixedIterations <= 0 && um <= tolerance * r0) { converged = true; break; }
            if (delta == 0) { for (int i = 0; i < n; i++) d[i] = r[i] / theta; continue; }
            double rhoNew = 1 / (2 * sigma1 - rho);
            for (int i = 0; i < n; i++) d[i] = rhoNew * rho * d[i] + 2 * rhoNew / delta * r[i];
            rho = rhoNew;
        }
        if (fixedIterations > 0) converged = true;
        return new PcgResult(z, it, converged, uhist, hist);
    }
}
