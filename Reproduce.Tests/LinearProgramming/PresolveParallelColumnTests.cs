using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>Presolve's dominated singleton columns (<c>LpPresolve.DominatedSingletonColumns</c>): a closed form on a
/// hand-made row, and random LPs with planted parallel columns (singletons, which presolve reduces, and multiples of
/// longer columns, which it leaves to the IPM) whose solution must carry its own certificate of optimality (primal
/// feasible, dual feasible, equal objectives: weak duality makes that proof, whatever the solver did), and agree with CLP
/// where it is installed.</summary>
public class PresolveParallelColumnTests
{
    private const double Inf = double.PositiveInfinity;

    /// <summary>Row 0: x0 + 2x1 + x2 + x3 = 4 over x ≥ 0 with costs 1, 1, 0.5, 3 and x2 ≤ 1; row 1: 1 ≤ x0 + x4 ≤ 5 with
    /// x4 at cost 0.1. Row 0's singleton columns x1, x2, x3 have ratios c/a 0.5, 0.5, 3: x1 is the best with no upper
    /// bound, x3 is dominated and x2 ties with x1 (fixed too: a tie costs nothing).</summary>
    [Fact]
    public void ARowOfSingletonsKeepsItsCheapestUnboundedColumn()
    {
        // Row 1 holds x0 and x4, so it is no singleton row, and x0 is no singleton column.
        var a = SparseMatrix.FromTriplets(2, 5, [(0, 0, 1.0), (0, 1, 2.0), (0, 2, 1.0), (0, 3, 1.0), (1, 4, 1.0), (1, 0, 1.0)]);
        var p = new LpProblem([1, 1, 0.5, 3, 0.1], a, [4, 1], [4, 5], [0, 0, 0, 0, 0], [Inf, Inf, 1, Inf, Inf]);
        var pre = new LpPresolve(p);
        Assert.Null(pre.Infeasible);
        // x0 is in two rows, so only x2 and x3 are singleton columns of row 0 beside x1. (The dual-bound rule then fixes
        // x0 as well, and the rows left holding one column each finish the problem in presolve: PresolveDualBoundTests.)
        Assert.DoesNotContain(2, pre.KeptCols);
        Assert.DoesNotContain(3, pre.KeptCols);
        var r = BoundedIpm.Solve(p);
        Assert.Equal(LpStatus.Optimal, r.Status);
        // x1 = 2 costs 2; x0 would cost 1 per unit of row 0 and also needs x4 ≥ 0 in row 1 (x0 + x4 ∈ [1, 5]): x4 = 1
        // at 0.1 is cheaper than x0 = 1 at 1. Optimum: x1 = 2, x4 = 1: 2.1. The cheapest unbounded column carries row 0.
        Assert.Equal(2.1, r.Objective, 1e-7);
        Assert.Equal(2.0, r.X[1], 1e-7);
        Certify(p, r);
    }

    /// <summary>50 random LPs of 4 rows with planted parallel columns: singletons of one row of both signs, and multiples
    /// λ a_j of two-entry columns with λ of both signs, some with finite upper bounds, some with no lower bound. Costs
    /// c = Aᵀy⁰ + s⁰ with s⁰ ≥ 0 on columns bounded below and 0 on free ones, and rows ranged around A x⁰ with x⁰ inside
    /// the bounds, so every LP is feasible and bounded. Every solution must prove itself optimal (<see cref="Certify"/>),
    /// and presolve must have fixed columns in most of them (or the test checks less than it says).</summary>
    [Fact]
    public void PlantedParallelColumnsGiveCertifiedOptima()
    {
        var rng = new Rng(18);
        int reduced = 0;
        for (int t = 0; t < 50; t++)
        {
            var p = Planted(rng);
            var pre = new LpPresolve(p);
            if (pre.Removed.Cols > 0) reduced++;
            var r = BoundedIpm.Solve(p);
            Assert.True(r.Status == LpStatus.Optimal, $"problem {t}: {r.Status}: {r.Message}");
            Certify(p, r, $"problem {t}");
        }
        Assert.True(reduced >= 40, $"presolve fixed columns in only {reduced} of 50 problems");
    }

    /// <summary>The same LPs through CLP's dual simplex: objectives agree to 1e-6 relative.</summary>
    [ClpFact]
    public void ClpAgreesOnPlantedParallelColumns()
    {
        var rng = new Rng(18);
        for (int t = 0; t < 20; t++)
        {
            LpOptimalityCertificate.ClpAgrees(Planted(rng), $"problem {t}");
        }
    }

    private static LpProblem Planted(Rng rng)
    {
        const int m = 4;
        var cols = new List<(int Row, double V)[]>();
        var lo = new List<double>(); var up = new List<double>();
        void Add((int, double)[] col, double l, double u) { cols.Add(col); lo.Add(l); up.Add(u); }
        double R() { double v = Math.Round(4 * rng.Normal()) / 4; return v != 0 ? v : 0.5; }
        // Base columns: two entries each in random rows, nonnegative.
        for (int b = 0; b < 6; b++)
        {
            int i1 = rng.NextInt(m), i2 = (i1 + 1 + rng.NextInt(m - 1)) % m;
            var col = new[] { (Math.Min(i1, i2), R()), (Math.Max(i1, i2), R()) };
            Add(col, 0, Inf);
            // Its parallel copies: λ of either sign, a finite upper bound or none, now and then no lower bound.
            for (int c = 0; c < 2; c++)
            {
                double lambda = (rng.Uniform() < 0.7 ? 1 : -1) * (0.5 + Math.Round(4 * rng.Uniform()) / 2);
                double u = rng.Uniform() < 0.3 ? 1 + Math.Round(3 * rng.Uniform()) : Inf;
                double l = rng.Uniform() < 0.15 ? double.NegativeInfinity : 0;
                Add(col.Select(e => (e.Item1, lambda * e.Item2)).ToArray(), l, double.IsNegativeInfinity(l) ? Inf : u);
            }
        }
        // Singletons: three to five per row, both signs, some with finite upper bounds.
        for (int i = 0; i < m; i++)
            for (int c = 0, k = 3 + rng.NextInt(3); c < k; c++)
                Add([(i, R())], 0, rng.Uniform() < 0.3 ? 1 + Math.Round(3 * rng.Uniform()) : Inf);
        int n = cols.Count;
        var trip = new List<(int, int, double)>();
        for (int j = 0; j < n; j++) foreach (var (i, v) in cols[j]) trip.Add((i, j, v));
        var a = SparseMatrix.FromTriplets(m, n, trip);
        // x⁰ inside the bounds, y⁰ any, s⁰ ≥ 0 where the column is bounded below (0 on free columns): feasible and bounded.
        var x0 = Enumerable.Range(0, n).Select(j => double.IsFinite(up[j]) ? rng.Uniform(0, up[j]) : rng.Uniform(0, 2)).ToArray();
        var y0 = Enumerable.Range(0, m).Select(_ => Math.Round(2 * rng.Normal(), 2)).ToArray();
        var cm = new ConstraintMatrix(a); var ax = cm.Multiply(x0); var aty = cm.MultiplyTransposed(y0);
        var cost = Enumerable.Range(0, n).Select(j => aty[j] + (double.IsFinite(lo[j]) ? rng.Uniform(0, 1) : 0)).ToArray();
        var rl = new double[m]; var ru = new double[m];
        for (int i = 0; i < m; i++)
        {
            if (rng.Uniform() < 0.5) { rl[i] = ax[i]; ru[i] = ax[i]; }
            else { rl[i] = ax[i] - rng.Uniform(0, 1); ru[i] = ax[i] + rng.Uniform(0, 1); }
        }
        return new LpProblem(cost, a, rl, ru, lo.ToArray(), up.ToArray());
    }

    private static void Certify(LpProblem p, LpResult r, string what = "") => LpOptimalityCertificate.Check(p, r, what);
}
