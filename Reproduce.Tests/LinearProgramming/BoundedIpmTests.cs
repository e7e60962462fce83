using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>The default general-LP method against CLP (an independent simplex code) and against closed forms.</summary>
public class BoundedIpmTests
{
    [ClpTheory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)] [InlineData(6)]
    public void GeneralFormRandomLpMatchesClp(int seed)
    {
        var p = RandomLpGenerator.GeneralForm(12, 20, new Rng((ulong)seed));
        var clp = ClpSolver.Solve(p);
        Assert.Equal(LpStatus.Optimal, clp.Status);
        var r = BoundedIpm.Solve(p);
        Assert.Equal(LpStatus.Optimal, r.Status);
        Assert.True(Math.Abs(r.Objective - clp.Objective) <= 1e-6 * (1 + Math.Abs(clp.Objective)), $"ours {r.Objective}, clp {clp.Objective}");
        for (int j = 0; j < p.ColumnCount; j++) Assert.InRange(r.X[j], p.ColLower[j] - 1e-6, p.ColUpper[j] + 1e-6);
    }

    [Fact]
    public void InfeasibleBoxIsReportedWithCertificate()
    {
        // x + y = 3 with 0 ≤ x, y ≤ 1: infeasible (the maximum of x + y is 2); no singleton rows, so the IPM must prove it.
        var a = SparseMatrix.FromTriplets(2, 2, [(0, 0, 1.0), (0, 1, 1.0), (1, 0, 1.0), (1, 1, -1.0)]);
        var p = new LpProblem([1, 1], a, [3, -5], [3, 5], [0, 0], [1, 1]);
        var r = BoundedIpm.Solve(p);
        Assert.Equal(LpStatus.Infeasible, r.Status);
    }

    [Fact]
    public void UnboundedRayNeedsAFeasiblePoint()
    {
        // min −x − y s.t. x − y = 0, x, y ≥ 0: feasible and unbounded along (1, 1).
        var a = SparseMatrix.FromTriplets(1, 2, [(0, 0, 1.0), (0, 1, -1.0)]);
        var p = new LpProblem([-1, -1], a, [0], [0], [0, 0], [double.PositiveInfinity, double.PositiveInfinity]);
        Assert.Equal(LpStatus.Unbounded, BoundedIpm.Solve(p).Status);
        // Same ray, but x − y = 0 and x + y = −1 cannot both hold with x, y ≥ 0: infeasible, not unbounded (the cplex1 bug).
        var b = SparseMatrix.FromTriplets(2, 2, [(0, 0, 1.0), (0, 1, -1.0), (1, 0, 1.0), (1, 1, 1.0)]);
        var q = new LpProblem([-1, -1], b, [0, -1], [0, -1], [0, 0], [double.PositiveInfinity, double.PositiveInfinity]);
        Assert.Equal(LpStatus.Infeasible, BoundedIpm.Solve(q).Status);
    }

    [Fact]
    public void FreeAndUpperBoundedColumnsClosedForm()
    {
        // min x − y s.t. x + y ≥ 1 (row), x free, y ≤ 2: optimum at y = 2, and x as small as the row allows: x = −1, objective −3.
        var a = SparseMatrix.FromTriplets(1, 2, [(0, 0, 1.0), (0, 1, 1.0)]);
        var p = new LpProblem([1, -1], a, [1], [double.PositiveInfinity], [double.NegativeInfinity, double.NegativeInfinity], [double.PositiveInfinity, 2]);
        var r = BoundedIpm.Solve(p);
        Assert.Equal(LpStatus.Optimal, r.Status);
        Assert.Equal(-3, r.Objective, 1e-7);
        Assert.Equal(-1, r.X[0], 1e-6); Assert.Equal(2, r.X[1], 1e-6);
    }

    /// <summary>The scaling's power-of-2 rounding from the exponent bits gives exactly 2^round(log2 v) (the formula it
    /// replaces): on random magnitudes over 600 binades, on values a few ulps either side of √2·2^e (where the two
    /// could part), and on the edge inputs.</summary>
    [Fact]
    public void Pow2MatchesLogRounding()
    {
        var rng = new Reproduce.Compute.Rng(5);
        var inputs = new List<double> { 0, -1, double.NaN, double.PositiveInfinity, double.Epsilon, double.MaxValue, 1, 2, Math.Sqrt(2), 0.75 };
        for (int t = 0; t < 20000; t++) inputs.Add(Math.Pow(2, 600 * rng.Uniform() - 300));
        for (int e = -40; e <= 40; e++)
        {
            double s = Math.ScaleB(Math.Sqrt(2), e);
            double below = s, above = s;
            for (int u = 0; u < 4; u++) { below = Math.BitDecrement(below); above = Math.BitIncrement(above); inputs.Add(below); inputs.Add(above); }
            inputs.Add(s);
        }
        foreach (double v in inputs) Assert.Equal(BoundedIpm.Pow2Reference(v), BoundedIpm.Pow2(v));
    }
}
