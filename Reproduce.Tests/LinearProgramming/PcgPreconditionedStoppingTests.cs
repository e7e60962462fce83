using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

public class PcgPreconditionedStoppingTests
{
    /// <summary>With M⁻¹ = c·I and c = 2⁻¹⁴ (a power of two, so every scaling by c is exact in floating point), PCG's
    /// iterates are bit-for-bit those of plain CG, while its preconditioned residual √(rᵀM⁻¹r) = 2⁻⁷‖r‖ is 128 times smaller
    /// than ‖r‖. The preconditioned stopping test ‖r‖_{M⁻¹} ≤ tol·‖r₀‖_{M⁻¹} therefore stops at the first CG step with
    /// ‖r_j‖ ≤ tol‖r₀‖, found here by an independent plain CG written in the test. Comparing against the unpreconditioned
    /// ‖r₀‖ would stop about when ‖r_j‖ ≤ 128·tol‖r₀‖, several steps early on this spectrum.</summary>
    [Fact]
    public void PreconditionedNormStopsAtThePlainCgIteration()
    {
        const int n = 60; const double tol = 1e-8, c = 1.0 / 16384;
        var lambda = new double[n]; var p = new double[n];
        for (int i = 0; i < n; i++) { lambda[i] = Math.Pow(1000, i / (n - 1.0)); p[i] = 1 + 0.5 * Math.Sin(i); }
        double[] K(double[] v) { var r = new double[n]; for (int i = 0; i < n; i++) r[i] = lambda[i] * v[i]; return r; }
        double[] MInv(double[] v) { var r = new double[n]; for (int i = 0; i < n; i++) r[i] = c * v[i]; return r; }

        int expected = PlainCgStep(K, p, tol, out var history);
        Assert.True(expected > 3 && expected < 200, $"test design: CG needs {expected} steps");
        // The mutant's early stop must fall on a different step, else the test could not tell them apart.
        int early = history.FindIndex(rn => rn * Math.Sqrt(c) <= tol * history[0]);
        Assert.True(early < expected, $"test design: the wrong-norm stop ({early}) must precede the right one ({expected})");

        var res = PreconditionedConjugateGradient.Solve(K, p, MInv, tol, 500, CgStoppingNorm.Preconditioned);
        Assert.True(res.Converged);
        Assert.Equal(expected, res.Iterations);
    }

    /// <summary>Plain CG from x₀ = 0 (Hestenes–Stiefel), same update order as PCG with M = I; returns the first step j with
    /// ‖r_j‖ ≤ tol‖r₀‖ and the residual norms up to it.</summary>
    private static int PlainCgStep(Func<double[], double[]> k, double[] p, double tol, out List<double> history)
    {
        int n = p.Length;
        var r = (double[])p.Clone(); var d = (double[])p.Clone();
        double rr = Dot(r, r), r0 = Math.Sqrt(rr);
        history = [r0];
        for (int j = 1; j <= 500; j++)
        {
            var kd = k(d);
            double alpha = rr / Dot(d, kd);
            for (int i = 0; i < n; i++) r[i] -= alpha * kd[i];
            double rrNew = Dot(r, r);
            history.Add(Math.Sqrt(rrNew));
            if (Math.Sqrt(rrNew) <= tol * r0) return j;
            double beta = rrNew / rr; rr = rrNew;
            for (int i = 0; i < n; i++) d[i] = r[i] + beta * d[i];
        }
        throw new InvalidOperationException("plain CG did not converge in 500 steps");
    }

    private static double Dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }
}
