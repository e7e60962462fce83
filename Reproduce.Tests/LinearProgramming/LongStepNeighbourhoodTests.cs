using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>Invariant of the long-step path-following methods (Algorithms 2 and 3 of the sketch-preconditioned IPM
/// paper; Wright 1997, ch. 5): every iterate lies in the wide neighbourhood N₋∞(γ) = {(x, s) &gt; 0 : x_j s_j ≥ (1 − γ)μ
/// for every j}, μ = xᵀs/n. The check is read from the iterates themselves (min_j x_j s_j and μ of each logged iterate),
/// not from the solver's step-length test, so a wrong bound in that test (γμ for (1 − γ)μ, say) is seen.</summary>
public class LongStepNeighbourhoodTests
{
    // γ = 0.5 makes (1 − γ)μ and γμ the same number; the small γ (the wide neighbourhood the theory allows) and 0.3
    // separate the two. Both starts lie in N(γ): the all-ones start and the centred feasible point have x_j s_j = μ = 1.
    [Theory]
    [InlineData(IpmMethod.LongStepInfeasible, NormalSolverKind.Cholesky, 0.1)]
    [InlineData(IpmMethod.LongStepInfeasible, NormalSolverKind.Cholesky, 0.3)]
    [InlineData(IpmMethod.LongStepInfeasible, NormalSolverKind.SketchPcg, 0.1)]
    [InlineData(IpmMethod.LongStepFeasible, NormalSolverKind.Cholesky, 0.1)]
    [InlineData(IpmMethod.LongStepFeasible, NormalSolverKind.Cholesky, 0.3)]
    public void EveryLongStepIterateStaysInTheWideNeighbourhood(IpmMethod method, NormalSolverKind solver, double gamma)
    {
        for (ulong seed = 1; seed <= 4; seed++)
        {
            var (lp, x0, y0, s0) = RandomLpGenerator.Feasible(10, 40, new Rng(seed), centred: true);
            var log = new List<IpmIteration>();
            var o = new IpmOptions
            {
                Method = method, Solver = solver, Gamma = gamma, MaxIterations = 500, Seed = seed, InnerTolerance = 1e-8,
                Start = method == IpmMethod.LongStepFeasible ? StartPointKind.Given : StartPointKind.Ones,
                InitialPoint = method == IpmMethod.LongStepFeasible ? (x0, y0, s0) : null,
                Progress = log.Add,
            };
            var r = InteriorPointSolver.Solve(lp, o);
            Assert.True(r.Status == LpStatus.Optimal, $"seed {seed}: {r.Status} ({r.Message})");
            Assert.NotEmpty(log);
            // Relative slack 1e-9: x_j s_j and μ are each computed to about n·ε ≈ 1e-14 relative; far below the gap
            // between (1 − γ)μ and any wrong bound.
            foreach (var h in log)
                Assert.True(h.MinComplementarity >= (1 - gamma) * h.Mu * (1 - 1e-9),
                    $"seed {seed}, iteration {h.Iteration}: min x_j s_j = {h.MinComplementarity:G6} < (1 − γ)μ = {(1 - gamma) * h.Mu:G6} (γ = {gamma})");
        }
    }
}
