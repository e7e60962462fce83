using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>Presolve's dominated columns (<c>LpPresolve.DualDominatedColumns</c>): columns whose reduced cost keeps one
/// sign over the box of multipliers that singleton columns and row types allow. A hand-made LP with a closed-form
/// optimum (which columns go, and why the others must stay), an unbounded LP the rule must leave to the solver, and random
/// LPs of every row and bound type whose solutions must prove themselves optimal (weak duality, whatever presolve did)
/// and agree with CLP where it is installed.</summary>
public class PresolveDualBoundTests
{
    private const double Inf = double.PositiveInfinity;

    /// <summary>Two equality rows, 2 and 5. Singleton columns pin the multipliers: x0 (row 0, +1, cost 1) gives y0 ≤ 1,
    /// x4 (row 0, −1, cost 1) y0 ≥ −1, x1 (row 1, +1, cost 2) y1 ≤ 2, x5 (row 1, −1, cost 0) y1 ≥ 0. Columns in both rows
    /// with entries (1, 1): x2 at cost 4 has reduced cost ≥ 4 − 1 − 2 = 1 &gt; 0 over the box (fixed at 0); x6 at cost −4
    /// in [0, 3] has reduced cost ≤ −4 + 1 − 0 = −3 &lt; 0 (fixed at 3); x3 at cost 2.5 ranges over [−0.5, 3.5] (kept).
    /// With x6 = 3 the rows read x0 + x3 − x4 = −1 and x1 + x3 − x5 = 2: x3 = t costs 5 + 1.5t with x4 = 1 + t,
    /// x1 = 2 − t, so t = 0 and the optimum is 1 + 4 − 12 = −7.</summary>
    [Fact]
    public void ColumnsWhoseReducedCostHasOneSignOverTheBoxAreFixed()
    {
        var p = TwoRows(extra: false);
        var pre = new LpPresolve(p);
        Assert.Null(pre.Infeasible);
        Assert.Equal(2, pre.DualDominatedCount);
        Assert.DoesNotContain(2, pre.KeptCols);
        Assert.DoesNotContain(6, pre.KeptCols);
        // The singletons define the box (their own reduced cost ranges down to exactly 0 over it) and must stay: fixing
        // x0, x1, x4 and x5 too would leave row 0 as x3 = −1 with x3 ≥ 0, infeasible.
        foreach (int j in new[] { 0, 1, 3, 4, 5 }) Assert.Contains(j, pre.KeptCols);
        var r = BoundedIpm.Solve(p);
        Assert.Equal(LpStatus.Optimal, r.Status);
        Assert.Equal(-7, r.Objective, 1e-7);
        Assert.Equal(3, r.X[6], 1e-7);
        Assert.Equal(0, r.X[2], 1e-7);
        LpOptimalityCertificate.Check(p, r);
    }

    /// <summary>The same LP with x7 (entries 1, 1; cost 4; no lower bound, x7 ≤ 0): its reduced cost is ≥ 1 over the box
    /// but a column without a lower bound needs one ≤ 0, so no dual feasible point exists. The rule must not fix it (there
    /// is no finite bound to fix it at); the LP is unbounded (x7 = −t with x0 and x1 up by t changes the cost by
    /// −4t + t + 2t = −t), and the solver must say so.</summary>
    [Fact]
    public void AColumnTheBoxPushesToAnInfiniteBoundIsLeftToTheSolver()
    {
        var p = TwoRows(extra: true);
        var pre = new LpPresolve(p);
        Assert.Contains(7, pre.KeptCols);
        Assert.Equal(LpStatus.Unbounded, BoundedIpm.Solve(p).Status);
    }

    private static LpProblem TwoRows(bool extra)
    {
        var trip = new List<(int, int, double)>
        {
            (0, 0, 1), (1, 1, 1), (0, 2, 1), (1, 2, 1), (0, 3, 1), (1, 3, 1), (0, 4, -1), (1, 5, -1), (0, 6, 1), (1, 6, 1),
        };
        var c = new List<double> { 1, 2, 4, 2.5, 1, 0, -4 };
        var lo = new List<double> { 0, 0, 0, 0, 0, 0, 0 };
        var up = new List<double> { Inf, Inf, Inf, Inf, Inf, Inf, 3 };
        if (extra) { trip.Add((0, 7, 1)); trip.Add((1, 7, 1)); c.Add(4); lo.Add(double.NegativeInfinity); up.Add(0); }
        var a = SparseMatrix.FromTriplets(2, c.Count, trip);
        return new LpProblem(c.ToArray(), a, [2, 5], [2, 5], lo.ToArray(), up.ToArray());
    }

    /// <summary>60 random LPs of 5 rows (equality, ≤, ≥ and ranged) with singleton columns of both signs and of three
    /// bound kinds in every row, and 16 columns of two or three entries of five bound kinds. Entries and costs are
    /// multiples of 1/4, so reduced costs that are exactly 0 over the box (ties the rule must not fix) are common.
    /// Costs c = Aᵀy⁰ + s⁰ with y⁰ of the sign each row type allows and s⁰ of the sign each bound kind allows, and rows
    /// around A x⁰ with x⁰ inside the bounds: every LP has an optimum. Every solution must prove itself optimal
    /// (<see cref="LpOptimalityCertificate"/>), and the rule must have fixed columns in most of them (or the test checks
    /// less than it says).</summary>
    [Fact]
    public void RandomLpsOfEveryTypeGiveCertifiedOptima()
    {
        var rng = new Rng(1818);
        int reduced = 0, fixedColumns = 0;
        for (int t = 0; t < 60; t++)
        {
            var p = Random(rng);
            var pre = new LpPresolve(p);
            Assert.True(pre.Infeasible is null, $"problem {t}: {pre.Infeasible}");
            if (pre.DualDominatedCount > 0) reduced++;
            fixedColumns += pre.DualDominatedCount;
            var r = BoundedIpm.Solve(p);
            Assert.True(r.Status == LpStatus.Optimal, $"problem {t}: {r.Status}: {r.Message}");
            LpOptimalityCertificate.Check(p, r, $"problem {t}");
        }
        Assert.True(reduced >= 30, $"the dual-bound rule fixed columns in only {reduced} of 60 problems ({fixedColumns} columns)");
    }

    /// <summary>The wide LP's generator at a smaller size with the same shape per row (20 × 8,000, density 0.05: 400
    /// columns meet each row, about two entries per column, N(0,1) entries, c = Aᵀy⁰ + s⁰ with s⁰ &gt; 0), where the rule
    /// does most of presolve's work: it fixes more than half of the columns (CLP's presolve keeps about a tenth of them;
    /// <see cref="ClpPresolveKeepsNoFewerColumnsOnTheWideGenerator"/> compares the counts), and the solution proves itself
    /// optimal for the original problem.</summary>
    [Fact]
    public void TheWideGeneratorLosesMostColumnsAndKeepsItsOptimum()
    {
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var p = WideGenerator(seed);
            var pre = new LpPresolve(p);
            Assert.True(pre.DualDominatedCount > p.ColumnCount / 2, $"seed {seed}: the rule fixed {pre.DualDominatedCount} of {p.ColumnCount} columns");
            var r = BoundedIpm.Solve(p);
            Assert.Equal(LpStatus.Optimal, r.Status);
            LpOptimalityCertificate.Check(p, r, $"seed {seed}");
        }
    }

    /// <summary>CLP's presolve (it reports "Presolve R (…) rows, C (…) columns") as the oracle for how much of the wide
    /// generator's LPs presolve can remove: ours keeps no more columns than CLP's. (On these LPs, and on the 500 × 200,000
    /// one of the IPM benchmark, the two keep the same number.)</summary>
    [ClpFact]
    public void ClpPresolveKeepsNoFewerColumnsOnTheWideGenerator()
    {
        for (ulong seed = 1; seed <= 3; seed++)
        {
            var p = WideGenerator(seed);
            var clp = ClpSolver.Solve(p, "dualsimplex");
            var m = System.Text.RegularExpressions.Regex.Match(clp.Output, @"Presolve \d+ \(-?\d+\) rows, (\d+) \(-?\d+\) columns");
            Assert.True(m.Success, "CLP printed no presolve summary:\n" + clp.Output);
            int clpKept = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var pre = new LpPresolve(p);
            Assert.True(pre.KeptCols.Length <= clpKept, $"seed {seed}: ours keeps {pre.KeptCols.Length} columns, CLP's presolve {clpKept}");
        }
    }

    private static LpProblem WideGenerator(ulong seed) => RandomLpGenerator.Feasible(20, 8000, new Rng(seed), density: 0.05).Lp.ToProblem();

    /// <summary>The random LPs through CLP's dual simplex (no presolve of ours in its way): objectives agree to 1e-6.</summary>
    [ClpFact]
    public void ClpAgreesOnRandomLpsOfEveryType()
    {
        var rng = new Rng(1818);
        for (int t = 0; t < 30; t++)
        {
            LpOptimalityCertificate.ClpAgrees(Random(rng), $"problem {t}");
        }
    }

    private static LpProblem Random(Rng rng)
    {
        const int m = 5;
        double Q() { double v = Math.Round(4 * rng.Normal()) / 4; return v != 0 ? v : 0.25; }
        var cols = new List<(int Row, double V)[]>();
        var lo = new List<double>(); var up = new List<double>();
        // Bound kinds: 0 [0, ∞), 1 (−∞, 0], 2 [0, u], 3 (−∞, u] with u > 0, 4 [l, u] around 0.
        void Add((int, double)[] col, int kind)
        {
            cols.Add(col);
            double u = 1 + Math.Round(3 * rng.Uniform());
            (double l, double h) = kind switch { 0 => (0, Inf), 1 => (double.NegativeInfinity, 0), 2 => (0, u), 3 => (double.NegativeInfinity, u), _ => (-u, u) };
            lo.Add(l); up.Add(h);
        }
        for (int i = 0; i < m; i++)
            for (int c = 0, k = 2 + rng.NextInt(3); c < k; c++) Add([(i, Q())], rng.NextInt(3));
        for (int c = 0; c < 16; c++)
        {
            int k = 2 + rng.NextInt(2);
            var rows = Enumerable.Range(0, m).OrderBy(_ => rng.Uniform()).Take(k).Order().ToArray();
            Add(rows.Select(i => (i, Q())).ToArray(), rng.NextInt(5));
        }
        int n = cols.Count;
        var trip = new List<(int, int, double)>();
        for (int j = 0; j < n; j++) foreach (var (i, v) in cols[j]) trip.Add((i, j, v));
        var a = SparseMatrix.FromTriplets(m, n, trip);
        // Row types: 0 equality, 1 ≤ (y ≤ 0), 2 ≥ (y ≥ 0), 3 ranged.
        var type = Enumerable.Range(0, m).Select(_ => rng.NextInt(4)).ToArray();
        var y0 = type.Select(tp =>
        {
            double v = Math.Round(2 * rng.Normal()) / 2;
            return tp == 1 ? -Math.Abs(v) : tp == 2 ? Math.Abs(v) : v;
        }).ToArray();
        var x0 = Enumerable.Range(0, n).Select(j =>
            double.IsFinite(lo[j]) && double.IsFinite(up[j]) ? rng.Uniform(lo[j], up[j]) : double.IsFinite(lo[j]) ? lo[j] + rng.Uniform(0, 2) : up[j] - rng.Uniform(0, 2)).ToArray();
        var cm = new ConstraintMatrix(a); var ax = cm.Multiply(x0); var aty = cm.MultiplyTransposed(y0);
        // s⁰ ≥ 0 where only the lower bound is finite, ≤ 0 where only the upper one is, either sign in a box; a quarter of
        // them 0, so that the box of multipliers touches reduced costs of exactly 0.
        var cost = Enumerable.Range(0, n).Select(j =>
        {
            double s = rng.Uniform() < 0.25 ? 0 : Math.Round(4 * rng.Uniform(0, 2)) / 4;
            if (!double.IsFinite(lo[j])) s = -s; else if (double.IsFinite(up[j]) && rng.Uniform() < 0.5) s = -s;
            return aty[j] + s;
        }).ToArray();
        var rl = new double[m]; var ru = new double[m];
        for (int i = 0; i < m; i++)
        {
            (rl[i], ru[i]) = type[i] switch
            {
                0 => (ax[i], ax[i]),
                1 => (double.NegativeInfinity, ax[i] + rng.Uniform(0, 1)),
                2 => (ax[i] - rng.Uniform(0, 1), Inf),
                _ => (ax[i] - rng.Uniform(0, 1), ax[i] + rng.Uniform(0, 1)),
            };
        }
        return new LpProblem(cost, a, rl, ru, lo.ToArray(), up.ToArray());
    }
}
