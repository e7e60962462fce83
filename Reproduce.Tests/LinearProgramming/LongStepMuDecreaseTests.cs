using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>The long-step methods take ᾱ = argmin over [0, α̃] of μ(α) = (x + αΔx)ᵀ(s + αΔs)/n, a quadratic with
/// μ(0) = μ. The minimiser of a quadratic over an interval that contains 0 never raises μ, and it is 0 only when no
/// admissible step lowers μ; so every nonzero step must lower μ strictly, whatever the direction. The interior minimiser
/// −q₁/(2q₂) (clamp inactive) needs q₂ = ΔxᵀΔs large against q₁ = n(σ − 1)μ: feasible directions have ΔxᵀΔs = 0 (also
/// CG's inexact ones, whose residual is orthogonal to Δy), but an infeasible start with a small μ against its residuals
/// (x_j s_j = 1e-4 here) reaches it with exact directions. A step to the other root −q₁/q₂ of μ(α) = μ(0) leaves μ
/// unchanged and fails this test.</summary>
public class LongStepMuDecreaseTests
{
    [Theory]
    [InlineData(0.5)]
    [InlineData(0.9)]
    public void EveryNonzeroLongStepLowersMuStrictly(double sigma)
    {
        const int m = 10, n = 40;
        int steps = 0;
        for (ulong seed = 1; seed <= 4; seed++)
        {
            var rng = new Rng(seed);
            var (lp, _, _, _) = RandomLpGenerator.Feasible(m, n, rng, centred: true);
            // A centred (x_j s_j = 1e-4), infeasible start (y = 0, x not on Ax = b).
            var x = new double[n]; var s = new double[n]; var y = new double[m];
            for (int j = 0; j < n; j++) { x[j] = Math.Exp(rng.Normal()); s[j] = 1e-4 / x[j]; }
            var log = new List<IpmIteration>();
            InteriorPointSolver.Solve(lp, new IpmOptions
            {
                Method = IpmMethod.LongStepInfeasible, Solver = NormalSolverKind.Cholesky,
                Sigma = sigma, Gamma = 0.5, MaxIterations = 60, Seed = seed,
                Start = StartPointKind.Given, InitialPoint = (x, y, s), Progress = log.Add,
            });
            // Each logged μ is that of the iterate after the step. μ is computed to about n·ε ≈ 1e-14 relative, so a real
            // decrease must exceed 1e-12 relative; a step to the other root leaves μ within rounding of its old value.
            // (Exact directions only: an inexact solver can take a step so short that μ falls by less than its rounding.)
            double previous = 1e-4;
            foreach (var h in log)
            {
                if (h.StepPrimal > 0)
                {
                    steps++;
                    Assert.True(h.Mu < previous * (1 - 1e-12),
                        $"σ = {sigma}, seed {seed}, iteration {h.Iteration}: step {h.StepPrimal:G6} took μ from {previous:R} to {h.Mu:R}");
                }
                previous = h.Mu;
            }
        }
        Assert.True(steps >= 40, $"only {steps} nonzero steps were checked");
    }
}
