using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>Objective agreement with COIN-OR CLP (skipped with the reason when clp is absent).</summary>
public class ClpOracleTests
{
    [ClpTheory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)]
    public void GeneralFormRandomLpMatchesClp(int seed)
    {
        var p = RandomLpGenerator.GeneralForm(12, 20, new Rng((ulong)seed));
        var clp = ClpSolver.Solve(p);
        Assert.Equal(LpStatus.Optimal, clp.Status);
        var r = InteriorPointSolver.Solve(p);
        Assert.Equal(LpStatus.Optimal, r.Status);
        Assert.True(Math.Abs(r.Objective - clp.Objective) <= 1e-6 * (1 + Math.Abs(clp.Objective)), $"ours {r.Objective}, clp {clp.Objective}");
        // The recovered x satisfies the original bounds and rows.
        for (int j = 0; j < p.ColumnCount; j++) Assert.InRange(r.X[j], p.ColLower[j] - 1e-6, p.ColUpper[j] + 1e-6);
    }

    [ClpTheory]
    [InlineData(IpmMethod.Mehrotra, NormalSolverKind.Cholesky)]
    [InlineData(IpmMethod.Mehrotra, NormalSolverKind.SketchPcg)]
    [InlineData(IpmMethod.LongStepInfeasible, NormalSolverKind.SketchPcg)]
    [InlineData(IpmMethod.MizunoToddYe, NormalSolverKind.SketchPcg)]
    [InlineData(IpmMethod.LongStepInfeasible, NormalSolverKind.SketchChebyshev)]
    public void WideRandomLpMatchesClp(IpmMethod method, NormalSolverKind solver)
    {
        var (lp, _, _, _) = RandomLpGenerator.Feasible(20, 200, new Rng(11));
        var clp = ClpSolver.Solve(lp.ToProblem());
        Assert.Equal(LpStatus.Optimal, clp.Status);
        var r = InteriorPointSolver.Solve(lp, new IpmOptions { Method = method, Solver = solver, SketchSize = 80, InnerTolerance = 1e-10, MaxIterations = 500 });
        Assert.Equal(LpStatus.Optimal, r.Status);
        Assert.True(Math.Abs(r.Objective - clp.Objective) <= 1e-6 * (1 + Math.Abs(clp.Objective)), $"ours {r.Objective}, clp {clp.Objective}");
    }

    [ClpFact]
    public void SvmLpMatchesClpWithPaperSettings()
    {
        var lp = SvmLpGenerator.Generate(SvmDataset.Arcene, 30, 200, new Rng(5));
        var clp = ClpSolver.Solve(lp.ToProblem());
        Assert.Equal(LpStatus.Optimal, clp.Status);
        var r = InteriorPointSolver.Solve(lp, IpmOptions.Paper(60));
        Assert.Equal(LpStatus.Optimal, r.Status);
        Assert.True(Math.Abs(r.Objective - clp.Objective) <= 1e-6 * (1 + Math.Abs(clp.Objective)), $"ours {r.Objective}, clp {clp.Objective}");
        // Margin constraints y_i(θᵀx_i + b₀) = 1 hold, and the objective is ‖θ‖₁.
        var ax = lp.A.Multiply(r.X);
        Assert.All(ax, v => Assert.Equal(-1, v, 6));
        int nf = (lp.Cols - 1) / 2;
        double l1 = 0;
        for (int j = 0; j < nf; j++) l1 += Math.Abs(r.X[j] - r.X[nf + j]);
        Assert.True(Math.Abs(l1 - clp.Objective) <= 1e-5 * (1 + clp.Objective));
    }

    [ClpFact]
    public void InfeasibleAndUnboundedAgreeWithClp()
    {
        var a = SparseMatrix.FromTriplets(1, 2, [(0, 0, 1.0), (0, 1, 1.0)]);
        var inf = LpProblem.Standard(a, [-1], [1, 1]);
        Assert.Equal(LpStatus.Infeasible, ClpSolver.Solve(inf).Status);
        Assert.Equal(LpStatus.Infeasible, InteriorPointSolver.Solve(inf).Status);
        var a2 = SparseMatrix.FromTriplets(1, 2, [(0, 0, 1.0), (0, 1, -1.0)]);
        var unb = LpProblem.Standard(a2, [1], [-1, 0]);
        Assert.Equal(LpStatus.Unbounded, ClpSolver.Solve(unb).Status);
        Assert.Equal(LpStatus.Unbounded, InteriorPointSolver.Solve(unb).Status);
    }
}
