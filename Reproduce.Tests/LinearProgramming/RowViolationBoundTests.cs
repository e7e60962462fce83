using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>The phase-1 infeasibility proof (<see cref="RowViolationBound"/>, <see cref="BoundedIpm.Phase1"/>) against
/// closed forms and brute force: g(y) is a lower bound on the least total row violation for every y (weak duality),
/// equals it at the optimal multipliers, never proves a feasible LP infeasible even where rounding alone would make
/// g(y) positive, and proves an LP infeasible by far less than the IPM's feasibility tolerance.</summary>
public class RowViolationBoundTests
{
    private const double BigX = 1e6;

    /// <summary>x₁ + x₂ + … + x_k ≥ b over the box [0, u]ᵏ: least total violation max(0, b − Σu), attained multiplier y = 1.</summary>
    private static LpProblem SumRow(int k, double u, double b) =>
        new(Enumerable.Repeat(1.0, k).ToArray(), SparseMatrix.FromTriplets(1, k, Enumerable.Range(0, k).Select(j => (0, j, 1.0)).ToList()),
            [b], [double.PositiveInfinity], new double[k], Enumerable.Repeat(u, k).ToArray());

    [Fact]
    public void ClosedFormAtTheOptimalMultiplier()
    {
        // x + y = 3 and −5 ≤ x − y ≤ 5 over [0, 1]²: the rows are violated by at least 3 − 2 = 1 in total.
        var a = SparseMatrix.FromTriplets(2, 2, [(0, 0, 1.0), (0, 1, 1.0), (1, 0, 1.0), (1, 1, -1.0)]);
        var p = new LpProblem([0, 0], a, [3, -5], [3, 5], [0, 0], [1, 1]);
        var r = RowViolationBound.Evaluate(p, [1, 0], BigX);
        Assert.Equal(1.0, r.Bound);
        Assert.True(r.ProvesInfeasible);
        Assert.Equal(0, r.BoxedColumns);
        // y is clamped to [−1, 1]: a multiplier of 2 proves no more than 1.
        Assert.Equal(1.0, RowViolationBound.Evaluate(p, [2, 0], BigX).Bound);
        // The wrong sign proves nothing: g = −3 − max over the box of (−x − y) = −3.
        Assert.False(RowViolationBound.Evaluate(p, [-1, 0], BigX).ProvesInfeasible);
    }

    /// <summary>An infinite column bound needs no stand-in where y's sign settles it, and is counted where it does not.</summary>
    [Fact]
    public void InfiniteColumnBoundsEnterOnlyWhereYLeavesThemInPlay()
    {
        // x₁ + x₂ ≥ 3 and x₂ ≤ 0 with x₁ ∈ [0, 1], x₂ ≥ 0: violated by at least 2 in total.
        var a = SparseMatrix.FromTriplets(2, 2, [(0, 0, 1.0), (0, 1, 1.0), (1, 1, 1.0)]);
        var p = new LpProblem([0, 0], a, [3, double.NegativeInfinity], [double.PositiveInfinity, 0], [0, 0], [1, double.PositiveInfinity]);
        // y = (1, −1): w₂ = 1 − 1 = 0, whose sign rounding cannot settle, so x₂'s infinite upper bound enters as bigX.
        var r = RowViolationBound.Evaluate(p, [1, -1], BigX);
        Assert.Equal(2.0, r.Bound);
        Assert.True(r.ProvesInfeasible);
        Assert.Equal(1, r.BoxedColumns);
        // y = (0.5, −0.75): w₂ = 0.5 − 0.75 < 0 picks x₂'s lower bound 0 for certain, a proof over all x with no
        // stand-in: g = 0.5·3 − 0.5·1 = 1.
        var s = RowViolationBound.Evaluate(p, [0.5, -0.75], BigX);
        Assert.Equal(1.0, s.Bound);
        Assert.True(s.ProvesInfeasible);
        Assert.Equal(0, s.BoxedColumns);
    }

    /// <summary>Weak duality against brute force: random LPs with two columns in a finite box and three rows of small
    /// integers (feasible and infeasible ones), the least total violation found by evaluating it at every vertex of the
    /// arrangement of the rows' bound lines and the box sides (a convex piecewise-linear function attains its minimum
    /// over a polygon there); g(y) ≤ that minimum for random y, including y outside [−1, 1] and y whose sign meets an
    /// infinite row bound (both projected); and phase 1 proves exactly the infeasible ones infeasible.</summary>
    [Fact]
    public void NeverExceedsTheBruteForceLeastViolation()
    {
        var rng = new Rng(18);
        int infeasible = 0, feasible = 0;
        for (int t = 0; t < 200; t++)
        {
            const int m = 3, n = 2;
            var trip = new List<(int, int, double)>();
            var a = new double[m, n];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) { a[i, j] = Math.Round(4 * rng.Uniform() - 2); if (a[i, j] != 0) trip.Add((i, j, a[i, j])); }
            var rl = new double[m]; var ru = new double[m];
            for (int i = 0; i < m; i++)
            {
                double v = Math.Round(8 * rng.Uniform() - 4), kind = rng.Uniform();
                (rl[i], ru[i]) = kind < 0.3 ? (v, v) : kind < 0.6 ? (v, double.PositiveInfinity) : kind < 0.9 ? (double.NegativeInfinity, v) : (v - 1, v + 1);
            }
            var ub = Enumerable.Range(0, n).Select(_ => 1 + Math.Round(2 * rng.Uniform())).ToArray();
            var p = new LpProblem(new double[n], SparseMatrix.FromTriplets(m, n, trip), rl, ru, new double[n], ub);
            double least = LeastViolation(a, rl, ru, ub);
            if (least > 1e-9) infeasible++; else feasible++;
            for (int s = 0; s < 50; s++)
            {
                var y = Enumerable.Range(0, m).Select(_ => 3 * rng.Uniform() - 1.5).ToArray();
                var r = RowViolationBound.Evaluate(p, y, BigX);
                Assert.True(r.Bound <= least + 1e-12, $"problem {t}: g(y) = {r.Bound:R} exceeds the least violation {least:R}");
                if (least <= 1e-12) Assert.False(r.ProvesInfeasible, $"problem {t} is feasible, but g(y) = {r.Bound:R} proves otherwise");
            }
            // Phase 1 decides each one as the brute force does (integer data: an infeasible one misses by ≥ 1/det).
            var (proof, note) = BoundedIpm.Phase1(p, new IpmOptions());
            if (least > 1e-9) Assert.True(least > 1e-3 && proof is not null, $"problem {t}: least violation {least:R}, phase 1: {note}");
            else Assert.True(proof is null, $"problem {t} is feasible (least violation {least:R}), phase 1 says: {proof}");
        }
        Assert.True(infeasible >= 20 && feasible >= 20, $"{feasible} feasible and {infeasible} infeasible problems drawn");
    }

    /// <summary>Σ of ten 0.1 (each the double nearest 0.1, slightly above it) ≥ 1 is feasible in exact arithmetic, yet
    /// the floating-point sum of the ten bounds is 0.9999999999999999, so g(1) evaluates to +1.1e-16: without the
    /// rounding bound this feasible near-miss would be "proved" infeasible. The full solver must find its optimum.</summary>
    [Fact]
    public void RoundingAloneNeverProvesAFeasibleNearMiss()
    {
        var p = SumRow(10, 0.1, 1);
        var r = RowViolationBound.Evaluate(p, [1], BigX);
        Assert.True(r.Bound > 0, $"the test relies on g(1) rounding to a positive value; it is {r.Bound:R}");
        Assert.False(r.ProvesInfeasible, $"g = {r.Bound:R}, rounding bound {r.Rounding:R}");
        var s = BoundedIpm.Solve(p);
        Assert.True(s.Status == LpStatus.Optimal, $"{s.Status}: {s.Message}");
        Assert.Equal(1.0, s.Objective, 1e-7);
    }

    /// <summary>Phase 1 on LPs that are infeasible, or feasible, by 1e-9 — ten times below the IPM's feasibility
    /// tolerance: the infeasible one is proved so by its dual (g(y) within a fraction of the exact least violation
    /// 2·1e-9, two rows each short by 1e-9), the feasible near-miss is not.</summary>
    [Theory]
    [InlineData(1e-9, true)]
    [InlineData(-1e-9, false)]
    public void PhaseOneDecidesAViolationBelowTheTolerance(double excess, bool infeasible)
    {
        // x₁ + x₂ ≥ 2 + excess and x₂ + x₃ ≥ 2 + excess over [0, 1]³ (no singleton rows: presolve leaves them).
        var a = SparseMatrix.FromTriplets(2, 3, [(0, 0, 1.0), (0, 1, 1.0), (1, 1, 1.0), (1, 2, 1.0)]);
        var p = new LpProblem([1, 1, 1], a, [2 + excess, 2 + excess], [double.PositiveInfinity, double.PositiveInfinity], [0, 0, 0], [1, 1, 1]);
        var (proof, note) = BoundedIpm.Phase1(p, new IpmOptions());
        if (infeasible) Assert.True(proof is not null, $"no proof: {note}");
        else Assert.True(proof is null, $"feasible near-miss proved infeasible: {proof}");
    }

    private static double LeastViolation(double[,] a, double[] rl, double[] ru, double[] ub)
    {
        int m = rl.Length;
        // Lines g·x = h: box sides and every finite row bound.
        var lines = new List<(double G0, double G1, double H)> { (1, 0, 0), (1, 0, ub[0]), (0, 1, 0), (0, 1, ub[1]) };
        for (int i = 0; i < m; i++)
        {
            if (double.IsFinite(rl[i])) lines.Add((a[i, 0], a[i, 1], rl[i]));
            if (double.IsFinite(ru[i]) && ru[i] != rl[i]) lines.Add((a[i, 0], a[i, 1], ru[i]));
        }
        double best = double.PositiveInfinity;
        for (int p = 0; p < lines.Count; p++)
            for (int q = p + 1; q < lines.Count; q++)
            {
                var (a0, a1, h0) = lines[p]; var (b0, b1, h1) = lines[q];
                double det = a0 * b1 - a1 * b0;
                if (Math.Abs(det) < 1e-12) continue;
                double x0 = (h0 * b1 - a1 * h1) / det, x1 = (a0 * h1 - h0 * b0) / det;
                if (x0 < -1e-12 || x0 > ub[0] + 1e-12 || x1 < -1e-12 || x1 > ub[1] + 1e-12) continue;
                x0 = Math.Clamp(x0, 0, ub[0]); x1 = Math.Clamp(x1, 0, ub[1]);
                double v = 0;
                for (int i = 0; i < m; i++)
                {
                    double r = a[i, 0] * x0 + a[i, 1] * x1;
                    v += r < rl[i] ? rl[i] - r : r > ru[i] ? r - ru[i] : 0;
                }
                best = Math.Min(best, v);
            }
        return best;
    }
}
