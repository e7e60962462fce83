using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>Conjugate gradients on a symmetric positive definite K with k distinct eigenvalues reaches the exact solution
/// in at most k steps (the Krylov space has dimension k; Golub and Van Loan §11.3). Steepest descent, or CG with a wrong
/// β, needs about κ·log(1/tol) steps at κ = 10³.</summary>
public class PcgFiniteTerminationTests
{
    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void ConjugateGradientsTerminateInAsManyStepsAsKHasDistinctEigenvalues(ulong seed)
    {
        const int n = 12;
        double[] distinct = [1, 10, 100, 1000];
        var rng = new Rng(seed);
        // K = H diag(λ) H with the Householder reflection H = I − 2vvᵀ/vᵀv (orthogonal, symmetric).
        var v = new double[n]; rng.FillNormal(v);
        double vv = v.Sum(t => t * t);
        var h = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) h[i, j] = (i == j ? 1 : 0) - 2 * v[i] * v[j] / vv;
        var k = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int q = 0; q < n; q++) k[i, j] += h[i, q] * distinct[q % distinct.Length] * h[j, q];
        double[] ApplyK(double[] x) { var y = new double[n]; for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) y[i] += k[i, j] * x[j]; return y; }
        var xTrue = new double[n]; rng.FillNormal(xTrue);
        var p = ApplyK(xTrue);
        var r = PreconditionedConjugateGradient.Solve(ApplyK, p, null, 1e-10, 50);
        // One step beyond the 4 of exact arithmetic: rounding at κ = 10³ can leave the residual just above 1e-10 after 4.
        Assert.True(r.Converged && r.Iterations <= distinct.Length + 1, $"seed {seed}: {r.Iterations} iterations (converged {r.Converged}); exact arithmetic needs {distinct.Length}");
        for (int i = 0; i < n; i++) Assert.True(Math.Abs(r.X[i] - xTrue[i]) <= 1e-6 * (1 + Math.Abs(xTrue[i])), $"x[{i}] = {r.X[i]} vs {xTrue[i]}");
    }
}
