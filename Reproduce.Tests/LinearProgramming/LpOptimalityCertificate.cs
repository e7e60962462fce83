using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>Oracles for a solution of the default LP method that do not trust it: an optimality proof from the original
/// problem (its reduced costs s = c − Aᵀy recomputed here), and CLP's dual simplex on the same LP.</summary>
internal static class LpOptimalityCertificate
{
    /// <summary>The solution proves itself optimal: x within its bounds and the rows' (1e-6 relative), the duals (y, s = c −
    /// Aᵀy) feasible (a multiplier pushing against an infinite bound is at most 1e-6), and the dual objective
    /// Σ y_i·(row bound its sign selects) + Σ s_j·(column bound its sign selects) equal to cᵀx within 1e-6 relative. By weak
    /// duality every feasible x costs at least the dual objective, so x is optimal to that tolerance.</summary>
    public static void Check(LpProblem p, LpResult r, string what = "")
    {
        const double tol = 1e-6;
        int m = p.RowCount, n = p.ColumnCount;
        var cm = new ConstraintMatrix(p.A); var ax = cm.Multiply(r.X);
        double primal = 0; for (int j = 0; j < n; j++) primal += p.C[j] * r.X[j];
        double scale = 1 + Math.Abs(primal);
        for (int j = 0; j < n; j++)
            Assert.True(r.X[j] >= p.ColLower[j] - tol * (1 + Math.Abs(r.X[j])) && r.X[j] <= p.ColUpper[j] + tol * (1 + Math.Abs(r.X[j])), $"{what}: x[{j}] = {r.X[j]} outside [{p.ColLower[j]}, {p.ColUpper[j]}]");
        for (int i = 0; i < m; i++)
            Assert.True(ax[i] >= p.RowLower[i] - tol * (1 + Math.Abs(ax[i])) && ax[i] <= p.RowUpper[i] + tol * (1 + Math.Abs(ax[i])), $"{what}: row {i} activity {ax[i]} outside [{p.RowLower[i]}, {p.RowUpper[i]}]");
        var aty = cm.MultiplyTransposed(r.Y);
        double dual = 0;
        double Term(double mult, double lower, double upper, string name)
        {
            double bound = mult > 0 ? lower : upper;
            if (double.IsFinite(bound)) return mult * bound;
            Assert.True(Math.Abs(mult) <= tol, $"{what}: {name} = {mult} pushes against an infinite bound");
            return 0;
        }
        for (int i = 0; i < m; i++) dual += Term(r.Y[i], p.RowLower[i], p.RowUpper[i], $"y[{i}]");
        for (int j = 0; j < n; j++) dual += Term(p.C[j] - aty[j], p.ColLower[j], p.ColUpper[j], $"s[{j}]");
        Assert.True(Math.Abs(primal - dual) <= tol * scale, $"{what}: primal {primal:R} and dual {dual:R} objectives differ");
    }

    /// <summary>Ours (the default method, presolve included) and CLP's dual simplex on the same LP: both optimal, objectives
    /// within 1e-6 relative.</summary>
    public static void ClpAgrees(LpProblem p, string what)
    {
        var r = BoundedIpm.Solve(p);
        var clp = ClpSolver.Solve(p, "dualsimplex");
        Assert.True(clp.Status == LpStatus.Optimal, $"{what}: CLP says {clp.Status}");
        Assert.True(NetlibSet.RelativeError(r.Objective, clp.Objective) <= 1e-6, $"{what}: ours {r.Status} {r.Objective:R}, CLP {clp.Objective:R}");
    }
}
