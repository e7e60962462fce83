namespace Reproduce.LinearProgramming;

/// <summary>Preconditioned conjugate gradients from x₀ = 0 for an SPD system K x = p, with the preconditioner
/// given as M⁻¹ (for the sketch preconditioner M = Q, so M⁻¹ = Q⁻¹; equivalent to CG on the split system
/// Q^{−1/2} K Q^{−1/2} z = Q^{−1/2} p, §2.3 of the brief). Written here rather than using a generic CG because the
/// paper needs both stopping norms: the code's ‖p − Kx‖ ≤ tol‖p‖ and the theory's preconditioned
/// ‖Q^{−1/2}(p − Kx)‖ ≤ tol‖Q^{−1/2}p‖ (rᵀM⁻¹r is available in PCG for free), plus a fixed iteration count t.
/// Kept beside the shared <see cref="Reproduce.LinearAlgebra.ConjugateGradient"/> on purpose: that one stops only on the
/// unpreconditioned Frobenius residual, has no fixed-t mode and records no per-step residual histories (both norms), which
/// the paper's experiments (Table 1's counts, demo-cheb's ζᵗ bound) need; it also works on <see cref="Reproduce.Compute.Matrix"/>
/// right-hand sides, while the IPM's m-vectors stay plain arrays on the CPU fast path.</summary>
public static class PreconditionedConjugateGradient
{
    /// <summary>Solves K x = p. <paramref name="fixedIterations"/> &gt; 0 runs exactly that many steps (theory's t).</summary>
    public static PcgResult Solve(Func<double[], double[]> applyK, double[] p, Func<double[], double[]>? applyMInverse,
        double tolerance, int maxIterations, CgStoppingNorm norm = CgStoppingNorm.Unpreconditioned, int fixedIterations = 0)
    {
        ArgumentNullException.ThrowIfNull(applyK); ArgumentNullException.ThrowIfNull(p);
        if (!(tolerance >= 0)) throw new ArgumentException($"PCG: tolerance is {tolerance}; it must be non-negative.", nameof(tolerance));
        if (maxIterations < 1 && fixedIterations < 1) throw new ArgumentException($"PCG: maxIterations is {maxIterations}; it must be at least 1.", nameof(maxIterations));
        int n = p.Length;
        var x = new double[n];
        var r = (double[])p.Clone();
        var z = applyMInverse is null ? (double[])r.Clone() : applyMInverse(r);
        var d = (double[])z.Clone();
        double rz = Dot(r, z);
        double r0 = Math.Sqrt(Dot(r, r)), pr0 = Math.Sqrt(Math.Max(rz, 0));
        var hist = new List<double> { r0 }; var phist = new List<double> { pr0 };
        int limit = fixedIterations > 0 ? fixedIterations : maxIterations;
        bool Done(double rn, double prn) => fixedIterations <= 0 &&
            (norm == CgStoppingNorm.Unpreconditioned ? rn <= tolerance * r0 : prn <= tolerance * pr0);
        if (r0 == 0) return new PcgResult(x, 0, true, hist, phist);
        int it = 0;
        bool converged = Done(r0, pr0);
        while (!converged && it < limit)
        {
            var kd = applyK(d);
            double dkd = Dot(d, kd);
            if (!(dkd > 0)) break; // breakdown: K not SPD numerically
            double alpha = rz / dkd;
            for (int i = 0; i < n; i++) { x[i] += alpha * d[i]; r[i] -= alpha * kd[i]; }
            z = applyMInverse is null ? (double[])r.Clone() : applyMInverse(r);
            double rzNew = Dot(r, z);
            it++;
            double rn = Math.Sqrt(Dot(r, r)), prn = Math.Sqrt(Math.Max(rzNew, 0));
            hist.Add(rn); phist.Add(prn);
            converged = Done(rn, prn);
            double beta = rzNew / rz; rz = rzNew;
            for (int i = 0; i < n; i++) d[i] = z[i] + beta * d[i];
        }
        if (fixedIterations > 0) converged = true;
        return new PcgResult(x, it, converged, hist, phist);
    }

    internal static double Dot(double[] a, double[] b)
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }
}
