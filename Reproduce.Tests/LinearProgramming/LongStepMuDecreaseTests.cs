using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>The long-step methods take ᾱ = argmin over [0, α̃] of μ(α) = (x + αΔx)ᵀ(s + αΔs)/n, a quadratic with
/// μ(0) = μ. Whatever the direction (exact or not), the minimiser of a quadratic over an interval that contains 0
/// never raises μ, and it equals 0 only when no admissible step lowers μ; so every nonzero step must lower μ strictly.
/// The interior minimiser −q₁/(2q₂) (clamp inactive) needs q₂ = ΔxᵀΔs &gt; 0, which exact feasible directions never
/// have (ΔxᵀΔs = 0): inexact CG directions (loose tolerance or a few fixed inner iterations) reach it. A step to the
/// other root −q₁/q₂ of μ(α) = μ(0) leaves μ unchanged and fails here.</summary>
public class LongStepMuDecreaseTests
{
    [Theory]
    [InlineData(IpmMethod.LongStepInfeasible, 1e-2, 0)]
    [InlineData(IpmMethod.LongStepInfeasible, 0.0, 3)]
    [InlineData(IpmMethod.LongStepFeasible, 1e-2, 0)]
    [InlineData(IpmMethod.LongStepFeasible, 0.0, 3)]
    public void EveryNonzeroLongStepLowersMuStrictly(IpmMethod method, double innerTolerance, int fixedInner)
    {
        int steps = 0;
        for (ulong seed = 1; seed <= 4; seed++)
        {
            var (lp, x0, y0, s0) = RandomLpGenerator.Feasible(10, 40, new Rng(seed), centred: true);
            var log = new List<IpmIteration>();
            var o = new IpmOptions
            {
                Method = method, Solver = NormalSolverKind.ConjugateGradient, MaxIterations = 60, Seed = seed,
                InnerTolerance = innerTolerance > 0 ? innerTolerance : 1e-5, FixedInnerIterations = fixedInner,
                Start = method == IpmMethod.LongStepFeasible ? StartPointKind.Given : StartPointKind.Ones,
                InitialPoint = method == IpmMethod.LongStepFeasible ? (x0, y0, s0) : null,
                Progress = log.Add,
            };
            InteriorPointSolver.Solve(lp, o);
            // Each logged μ is that of the iterate after the step. μ(ᾱ) is computed to about n·ε ≈ 1e-14 relative, so a
            // real decrease must exceed 1e-12 relative; a step to the other root leaves μ within rounding of its old value.
            for (int k = 1; k < log.Count; k++)
            {
                if (!(log[k].StepPrimal > 0)) continue;
                steps++;
                Assert.True(log[k].Mu < log[k - 1].Mu * (1 - 1e-12),
                    $"{method}, seed {seed}, iteration {log[k].Iteration}: step {log[k].StepPrimal:G6} took μ from {log[k - 1].Mu:R} to {log[k].Mu:R}");
            }
        }
        Assert.True(steps >= 10, $"only {steps} nonzero steps were checked");
    }
}
