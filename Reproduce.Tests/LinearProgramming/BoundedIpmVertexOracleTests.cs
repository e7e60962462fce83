using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>The default method against brute-force vertex enumeration on tiny LPs: min cᵀx subject to ranged rows
/// lᵣ ≤ Ax ≤ uᵣ and a finite box 0 ≤ x ≤ u. The feasible set is a polytope, so it is empty or its minimum is attained at
/// a vertex: every choice of n active constraints among the 2n box sides and the finite row sides is solved, the
/// feasible solutions kept, and the least objective is the optimum (no feasible vertex: infeasible). An independent
/// method with no tolerance but the feasibility test of a vertex.</summary>
public class BoundedIpmVertexOracleTests
{
    /// <summary>60 random problems (3 columns, 4 rows, some rows equalities, some right-hand sides that cut the box
    /// away). The IPM stops at relative infeasibility and gap 1e-8; on these well-scaled data (|entries| ≲ 3, optimum
    /// ≲ 10) the objective is then within ~1e-7 of the optimum, and 1e-6 relative leaves an order of margin.</summary>
    [Fact]
    public void AgreesWithVertexEnumeration()
    {
        var rng = new Rng(2026);
        int optimal = 0, infeasible = 0;
        for (int t = 0; t < 60; t++)
        {
            const int m = 4, n = 3;
            var a = new double[m, n];
            var trip = new List<(int, int, double)>();
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                    if (rng.Uniform() < 0.8) { a[i, j] = Math.Round(4 * rng.Normal()) / 2; if (a[i, j] != 0) trip.Add((i, j, a[i, j])); }
            var rl = new double[m]; var ru = new double[m];
            for (int i = 0; i < m; i++)
            {
                double v = Math.Round(6 * rng.Uniform() - 2, 1);
                double kind = rng.Uniform();
                if (kind < 0.25) { rl[i] = v; ru[i] = v; }                                  // equality
                else if (kind < 0.6) { rl[i] = double.NegativeInfinity; ru[i] = v; }          // ≤
                else if (kind < 0.8) { rl[i] = v; ru[i] = double.PositiveInfinity; }          // ≥
                else { rl[i] = v - 1; ru[i] = v + 1; }                                        // range
            }
            var c = Enumerable.Range(0, n).Select(_ => Math.Round(4 * rng.Normal()) / 2).ToArray();
            var ub = Enumerable.Range(0, n).Select(_ => 1 + Math.Round(3 * rng.Uniform())).ToArray();
            var p = new LpProblem(c, SparseMatrix.FromTriplets(m, n, trip), rl, ru, new double[n], ub);
            double? best = VertexOptimum(a, rl, ru, ub, c);
            var r = BoundedIpm.Solve(p);
            if (best is null)
            {
                infeasible++;
                Assert.True(r.Status == LpStatus.Infeasible, $"problem {t}: no feasible vertex, but the IPM says {r.Status}: {r.Message}");
            }
            else
            {
                optimal++;
                Assert.True(r.Status == LpStatus.Optimal, $"problem {t}: vertex optimum {best}, but the IPM says {r.Status}: {r.Message}");
                Assert.True(Math.Abs(r.Objective - best.Value) <= 1e-6 * Math.Max(1, Math.Abs(best.Value)), $"problem {t}: IPM {r.Objective:R} vs vertex enumeration {best:R}");
            }
        }
        // Both outcomes must occur, or the test checks less than it says.
        Assert.True(optimal >= 10 && infeasible >= 5, $"{optimal} feasible and {infeasible} infeasible problems drawn");
    }

    /// <summary>Least objective over the feasible vertices, or null when there is none.</summary>
    private static double? VertexOptimum(double[,] a, double[] rl, double[] ru, double[] ub, double[] c)
    {
        int m = rl.Length, n = c.Length;
        // Constraint rows g·x = h that may be active.
        var g = new List<double[]>(); var h = new List<double>();
        for (int j = 0; j < n; j++)
        {
            var e = new double[n]; e[j] = 1;
            g.Add(e); h.Add(0); g.Add(e); h.Add(ub[j]);
        }
        for (int i = 0; i < m; i++)
        {
            var row = Enumerable.Range(0, n).Select(j => a[i, j]).ToArray();
            if (double.IsFinite(rl[i])) { g.Add(row); h.Add(rl[i]); }
            if (double.IsFinite(ru[i]) && ru[i] != rl[i]) { g.Add(row); h.Add(ru[i]); }
        }
        double? best = null;
        int k = g.Count;
        for (int p = 0; p < k; p++)
            for (int q = p + 1; q < k; q++)
                for (int s = q + 1; s < k; s++)
                {
                    var x = Solve3(g[p], g[q], g[s], h[p], h[q], h[s]);
                    if (x is null || !Feasible(x, a, rl, ru, ub)) continue;
                    double obj = c[0] * x[0] + c[1] * x[1] + c[2] * x[2];
                    if (best is null || obj < best) best = obj;
                }
        return best;
    }

    private static bool Feasible(double[] x, double[,] a, double[] rl, double[] ru, double[] ub)
    {
        const double tol = 1e-9;
        for (int j = 0; j < x.Length; j++) if (x[j] < -tol || x[j] > ub[j] + tol) return false;
        for (int i = 0; i < rl.Length; i++)
        {
            double v = 0; for (int j = 0; j < x.Length; j++) v += a[i, j] * x[j];
            if (v < rl[i] - tol || v > ru[i] + tol) return false;
        }
        return true;
    }

    /// <summary>The 3 × 3 system with rows r0, r1, r2 by Cramer's rule; null when it is (nearly) singular.</summary>
    private static double[]? Solve3(double[] r0, double[] r1, double[] r2, double h0, double h1, double h2)
    {
        static double Det(double[] a, double[] b, double[] c) =>
            a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
        double d = Det(r0, r1, r2);
        if (Math.Abs(d) < 1e-9) return null;
        double[] hv = [h0, h1, h2];
        var x = new double[3];
        for (int col = 0; col < 3; col++)
        {
            double[] Rep(double[] r, int i) { var t = (double[])r.Clone(); t[col] = hv[i]; return t; }
            x[col] = Det(Rep(r0, 0), Rep(r1, 1), Rep(r2, 2)) / d;
        }
        return x;
    }
}
