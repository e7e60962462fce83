using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>Presolve's activity-bound rule: a row whose activity range over the column bounds misses its bounds is
/// reported Infeasible with the row named; a row that the range just reaches, or that an infinite bound makes
/// reachable, is not. Closed forms on tiny LPs (the activity range of a row over a box is Σ min/max(aⱼlⱼ, aⱼuⱼ)),
/// and CLP's verdict on the same LPs where clp is installed.</summary>
public class PresolveActivityBoundTests
{
    /// <summary>x₁ + 2x₂ ≥ <paramref name="lower"/> ('NEED') and −5 ≤ x₁ − x₂ ≤ 5 ('SIDE') over [0, 1] × [0, <paramref name="u2"/>]:
    /// the largest activity of NEED is 1 + 2u₂.</summary>
    private static LpProblem Lp(double lower, double u2) =>
        new([1, 1], SparseMatrix.FromTriplets(2, 2, [(0, 0, 1.0), (0, 1, 2.0), (1, 0, 1.0), (1, 1, -1.0)]),
            [lower, -5], [double.PositiveInfinity, 5], [0, 0], [1, u2], "activity", ["NEED", "SIDE"]);

    [Fact]
    public void RowAboveItsLargestActivityIsInfeasibleAndNamed()
    {
        var pre = new LpPresolve(Lp(3.5, 1)); // largest activity 3 < 3.5
        Assert.NotNull(pre.Infeasible);
        Assert.Contains("'NEED'", pre.Infeasible);
        var r = BoundedIpm.Solve(Lp(3.5, 1));
        Assert.Equal(LpStatus.Infeasible, r.Status);
        Assert.Contains("'NEED'", r.Message);
    }

    [Fact]
    public void RowBelowItsLeastActivityIsInfeasibleAndNamed()
    {
        // x₁ + x₂ ≤ −0.5 with x ≥ 0 (and a second row so that neither is a singleton): least activity 0 > −0.5.
        var p = new LpProblem([1, 1], SparseMatrix.FromTriplets(2, 2, [(0, 0, 1.0), (0, 1, 1.0), (1, 0, 1.0), (1, 1, -1.0)]),
            [double.NegativeInfinity, -5], [-0.5, 5], [0, 0], [double.PositiveInfinity, double.PositiveInfinity], "below", ["CAP", "SIDE"]);
        var pre = new LpPresolve(p);
        Assert.NotNull(pre.Infeasible);
        Assert.Contains("'CAP'", pre.Infeasible);
    }

    /// <summary>Near misses: the range reaches the bound exactly (x = (1, 1)), or an infinite upper bound makes any
    /// lower bound reachable. Presolve must not report them, and the solver finds the optimum (closed form).</summary>
    [Theory]
    [InlineData(3.0, 1.0)]                      // only x = (1, 1) is feasible: objective 2
    [InlineData(3.5, double.PositiveInfinity)]  // x₂ is the cheaper way to activity: x = (0, 1.75), objective 1.75
    public void NearMissIsNotReported(double lower, double u2)
    {
        var pre = new LpPresolve(Lp(lower, u2));
        Assert.Null(pre.Infeasible);
        var r = BoundedIpm.Solve(Lp(lower, u2));
        Assert.True(r.Status == LpStatus.Optimal, $"{r.Status}: {r.Message}");
        double expected = double.IsInfinity(u2) ? lower / 2 : 2;
        Assert.Equal(expected, r.Objective, 1e-7);
    }

    /// <summary>CLP on the same LPs, handed as fixed-format MPS (fields by column position) that our reader parses to
    /// the same problem. (MpsWriter's free format is not used here: CLP 1.17.6 misreads a short bounds line such as
    /// " UP BND C0 1" as fixed format.)</summary>
    [ClpTheory]
    [InlineData(3.5, 1.0, true)]
    [InlineData(3.0, 1.0, false)]
    [InlineData(3.5, double.PositiveInfinity, false)]
    public void ClpAgrees(double lower, double u2, bool infeasible)
    {
        string F(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        string Line(string a, string b, string c = "", string d = "") => $" {a,-2} {b,-8}  {c,-8}  {d}".TrimEnd() + "\n";
        var mps = "NAME          ACTIVITY\nROWS\n" + Line("N", "COST") + Line("G", "NEED") + Line("G", "SIDE") + "COLUMNS\n"
            + Line("", "X1", "COST", "1") + Line("", "X1", "NEED", "1") + Line("", "X1", "SIDE", "1")
            + Line("", "X2", "COST", "1") + Line("", "X2", "NEED", "2") + Line("", "X2", "SIDE", "-1")
            + "RHS\n" + Line("", "RHS", "NEED", F(lower)) + Line("", "RHS", "SIDE", "-5")
            + "RANGES\n" + Line("", "RNG", "SIDE", "10")
            + "BOUNDS\n" + Line("UP", "BND", "X1", "1") + (double.IsFinite(u2) ? Line("UP", "BND", "X2", F(u2)) : "") + "ENDATA\n";
        var p = MpsReader.Parse(mps);
        Assert.Equal([lower, -5.0], p.RowLower);
        Assert.Equal([double.PositiveInfinity, 5.0], p.RowUpper);
        Assert.Equal([1.0, u2], p.ColUpper);
        var path = Path.Combine(Path.GetTempPath(), $"reproduce-activity-{Guid.NewGuid():N}.mps");
        try
        {
            File.WriteAllText(path, mps);
            var clp = ClpSolver.SolveFile(path, "dualsimplex");
            Assert.True(clp.Status == (infeasible ? LpStatus.Infeasible : LpStatus.Optimal), $"CLP: {clp.Status}\n{clp.Output}");
        }
        finally { File.Delete(path); }
        Assert.Equal(infeasible, new LpPresolve(p).Infeasible is not null);
    }
}
