using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

public class IpmDualStepTests
{
    /// <summary>The infeasible primal–dual Newton direction satisfies Aᵀ Δy + Δs = −r_d exactly (r_d = Aᵀy + s − c), so a
    /// step (y, s) += α_d (Δy, Δs) scales the dual residual by exactly (1 − α_d): ‖r_d⁺‖ = (1 − α_d)‖r_d‖. Moving y with the
    /// primal step α_p instead leaves an extra (α_p − α_d) AᵀΔy. Mehrotra takes separate primal and dual step lengths,
    /// the all-ones start (y = 0, s = 1) is far from dual feasible, and with a direct (Cholesky) solve the identity holds to rounding, checked at every iteration against the logged
    /// residual norms. Tolerance 1e-8 relative to the previous residual (plus 1e-10 absolute): a few Cholesky solves on a
    /// 15×60 well-conditioned system lose far fewer digits; it is loosened only near convergence, where ‖r_d‖ is itself at
    /// rounding level.</summary>
    [Fact]
    public void DualResidualShrinksByOneMinusDualStep()
    {
        var (lp, _, _, _) = RandomLpGenerator.Feasible(15, 60, new Rng(5));
        var r = InteriorPointSolver.Solve(lp, new IpmOptions { Method = IpmMethod.Mehrotra, Solver = NormalSolverKind.Cholesky, Start = StartPointKind.Ones, MaxIterations = 200 });
        Assert.Equal(LpStatus.Optimal, r.Status);
        var h = r.History;
        Assert.True(h.Count >= 3, $"test design: only {h.Count} iterations");
        int differing = 0;
        for (int k = 1; k < h.Count; k++)
        {
            double before = h[k - 1].DualResidual, expected = (1 - h[k].StepDual) * before;
            Assert.True(Math.Abs(h[k].DualResidual - expected) <= 1e-8 * before + 1e-10,
                $"iteration {h[k].Iteration}: ‖r_d‖ = {h[k].DualResidual:G10}, (1 − α_d)·previous = {expected:G10} (α_p {h[k].StepPrimal:G6}, α_d {h[k].StepDual:G6})");
            if (Math.Abs(h[k].StepPrimal - h[k].StepDual) > 0.01 && before > 1e-6) differing++;
        }
        // The check only separates the two step lengths where they differ while the residual is still sizeable.
        Assert.True(differing >= 1, "test design: no iteration with α_p ≠ α_d and a sizeable dual residual");
    }
}
