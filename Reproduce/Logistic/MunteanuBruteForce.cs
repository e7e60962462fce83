using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Logistic;

/// <summary>The optimum of the Munteanu et al. MIP, t = min_{‖β‖₁=1} ‖(Uβ)⁻‖₁, by enumeration instead of branch and bound:
/// the ℓ1 sphere is the union of its 2^d orthant faces {β : sⱼβⱼ ≥ 0, Σⱼ sⱼβⱼ = 1} (s ∈ {±1}^d), and on each face the
/// objective is an LP (min Σbᵢ s.t. Uβ = a − b, a, b ≥ 0). The least of the 2^d LP optima (the package's IPM) is t: an oracle
/// for the MIP formulation and for CBC, usable for small d only (2^d LPs).</summary>
public static class MunteanuBruteForce
{
    /// <summary>Largest d enumerated (2^d LPs).</summary>
    public const int MaxColumns = 10;

    /// <summary>t and a minimiser β (‖β‖₁ = 1).</summary>
    public static (double T, double[] Beta) Solve(Matrix u)
    {
        ArgumentNullException.ThrowIfNull(u);
        var uc = u.Device.Kind == DeviceKind.Cpu ? u : u.ToCpu();
        int n = uc.Rows, d = uc.Cols;
        if (d < 1 || d > MaxColumns)
            throw new ArgumentException($"MunteanuBruteForce: U has d = {d} columns; enumeration needs 1 ≤ d ≤ {MaxColumns} (2^d LPs). Use MunteanuMip (CBC) for larger d.", nameof(u));
        if (n < 1) throw new ArgumentException("MunteanuBruteForce: U has no rows.", nameof(u));
        // Columns: β (d) | a (n) | b (n). Rows: Uβ − a + b = 0 (n), Σ sⱼβⱼ = 1.
        var trip = new List<(int, int, double)>();
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++) if (uc[i, j] != 0) trip.Add((i, j, uc[i, j]));
            trip.Add((i, d + i, -1)); trip.Add((i, d + n + i, 1));
        }
        var rowLo = new double[n + 1]; var rowUp = new double[n + 1];
        rowLo[n] = rowUp[n] = 1;
        var cost = new double[d + 2 * n];
        for (int i = 0; i < n; i++) cost[d + n + i] = 1;
        double best = double.PositiveInfinity; double[] bestBeta = [];
        for (int mask = 0; mask < 1 << d; mask++)
        {
            var t = new List<(int, int, double)>(trip);
            var lo = new double[d + 2 * n]; var up = Enumerable.Repeat(double.PositiveInfinity, d + 2 * n).ToArray();
            for (int j = 0; j < d; j++)
            {
                bool negative = (mask >> j & 1) == 1;
                t.Add((n, j, negative ? -1 : 1));
                if (negative) { lo[j] = double.NegativeInfinity; up[j] = 0; }
            }
            var lp = new LpProblem(cost, SparseMatrix.FromTriplets(n + 1, d + 2 * n, t), rowLo, rowUp, lo, up, "munteanu_face");
            var r = InteriorPointSolver.Solve(lp, Mu.ExactLpOptions);
            if (r.Status != LpStatus.Optimal) r = InteriorPointSolver.Solve(lp, Mu.ExactLpOptions with { Tolerance = 1e-9 });
            if (r.Status != LpStatus.Optimal)
                throw new InvalidOperationException($"MunteanuBruteForce: the face LP for sign pattern {mask} ended {r.Status}; every face LP is feasible and bounded, so this is a solver failure.");
            if (r.Objective < best) { best = r.Objective; bestBeta = r.X[..d]; }
        }
        return (Math.Max(best, 0), bestBeta);
    }
}
