using Reproduce.Compute;

namespace Reproduce.LinearProgramming;

/// <summary>Seeded random LPs with known properties, for oracle tests and the predictor–corrector demos.</summary>
public static class RandomLpGenerator
{
    /// <summary>A wide standard-form LP with a known strictly feasible primal–dual point: A (m×n) with N(0,1) entries
    /// (or sparse with the given density plus one nonzero per column), x⁰, s⁰ &gt; 0, y⁰ ~ N(0,1), b = Ax⁰,
    /// c = Aᵀy⁰ + s⁰. With <paramref name="centred"/> x⁰ = s⁰ = 1 (μ = 1, perfectly centred; brief §3 demo-p3),
    /// otherwise x⁰, s⁰ ~ U(0.5, 1.5). Both primal and dual are feasible, so an optimum exists.</summary>
    public static (StandardFormLp Lp, double[] X0, double[] Y0, double[] S0) Feasible(int m, int n, Rng rng, bool centred = false, double density = 1.0)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (m < 1 || n < m) throw new ArgumentException($"RandomLpGenerator.Feasible: need 1 ≤ m ≤ n, got m = {m}, n = {n}.", nameof(m));
        if (!(density > 0 && density <= 1)) throw new ArgumentException($"RandomLpGenerator.Feasible: density is {density}; it must lie in (0, 1].", nameof(density));
        ConstraintMatrix a;
        if (density >= 1)
        {
            var data = new double[m * n];
            rng.FillNormal(data);
            a = new ConstraintMatrix(Matrix.FromColumnMajor(m, n, data));
        }
        else
        {
            var trip = new List<(int, int, double)>();
            for (int j = 0; j < n; j++)
            {
                trip.Add((j % m, j, rng.Normal()));
                for (int i = 0; i < m; i++) if (rng.Uniform() < density) trip.Add((i, j, rng.Normal()));
            }
            a = new ConstraintMatrix(SparseMatrix.FromTriplets(m, n, trip));
        }
        var x0 = new double[n]; var s0 = new double[n]; var y0 = new double[m];
        for (int j = 0; j < n; j++) { x0[j] = centred ? 1 : rng.Uniform(0.5, 1.5); s0[j] = centred ? 1 : rng.Uniform(0.5, 1.5); }
        rng.FillNormal(y0);
        var b = a.Multiply(x0);
        var c = a.MultiplyTransposed(y0);
        for (int j = 0; j < n; j++) c[j] += s0[j];
        return (new StandardFormLp(a, b, c, 0, $"random-{m}x{n}"), x0, y0, s0);
    }

    /// <summary>A general-form LP exercising every bound and row type: columns of kind [0,∞), [l,u], (−∞,u] and free;
    /// rows E, L, G and ranged built around a point x⁰ inside the bounds (so it is feasible), and for every column
    /// without a finite box a ranged row −100 ≤ x_j ≤ 100 (so it is bounded). Costs ~ N(0,1).</summary>
    public static LpProblem GeneralForm(int m, int n, Rng rng, double density = 0.5)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (m < 1 || n < 1) throw new ArgumentException($"RandomLpGenerator.GeneralForm: need m, n ≥ 1, got {m}×{n}.", nameof(m));
        var lo = new double[n]; var up = new double[n]; var x0 = new double[n];
        for (int j = 0; j < n; j++)
        {
            switch (rng.NextInt(4))
            {
                case 0: lo[j] = 0; up[j] = double.PositiveInfinity; x0[j] = rng.Uniform(0, 3); break;
                case 1: lo[j] = rng.Uniform(-3, 0); up[j] = lo[j] + rng.Uniform(0.5, 4); x0[j] = rng.Uniform(lo[j], up[j]); break;
                case 2: lo[j] = double.NegativeInfinity; up[j] = rng.Uniform(-2, 2); x0[j] = up[j] - rng.Uniform(0, 3); break;
                default: lo[j] = double.NegativeInfinity; up[j] = double.PositiveInfinity; x0[j] = rng.Normal(0, 2); break;
            }
        }
        var trip = new List<(int, int, double)>();
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) if (rng.Uniform() < density) trip.Add((i, j, Math.Round(rng.Normal(), 3)));
        var boxRows = Enumerable.Range(0, n).Where(j => !(double.IsFinite(lo[j]) && double.IsFinite(up[j]))).ToArray();
        int mm = m + boxRows.Length;
        for (int k = 0; k < boxRows.Length; k++) trip.Add((m + k, boxRows[k], 1));
        var a = SparseMatrix.FromTriplets(mm, n, trip);
        var ax = new double[mm];
        for (int i = 0; i < mm; i++) for (int k = a.RowPtr[i]; k < a.RowPtr[i + 1]; k++) ax[i] += a.Values[k] * x0[a.ColIdx[k]];
        var rl = new double[mm]; var ru = new double[mm];
        for (int i = 0; i < m; i++)
        {
            switch (rng.NextInt(4))
            {
                case 0: rl[i] = ax[i]; ru[i] = ax[i]; break;
                case 1: rl[i] = double.NegativeInfinity; ru[i] = ax[i] + rng.Uniform(0, 1); break;
                case 2: rl[i] = ax[i] - rng.Uniform(0, 1); ru[i] = double.PositiveInfinity; break;
                default: rl[i] = ax[i] - rng.Uniform(0, 1); ru[i] = ax[i] + rng.Uniform(0.1, 1); break;
            }
        }
        for (int k = 0; k < boxRows.Length; k++) { rl[m + k] = -100; ru[m + k] = 100; }
        var c = new double[n];
        for (int j = 0; j < n; j++) c[j] = Math.Round(rng.Normal(), 3);
        return new LpProblem(c, a, rl, ru, lo, up, $"general-{m}x{n}");
    }
}
