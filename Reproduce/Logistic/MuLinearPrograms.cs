using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Logistic;

/// <summary>The exact linear programs for μ_y(X) as <see cref="LpProblem"/>s (for the project's IPM, for CLP through
/// MPS, or for any LP solver). Z = D_y X is n×d, g = Zᵀ1. Forms: P1's projector LP (Dexter et al. 2024, Appendix B),
/// the β-form, the LAD form, the dual (certificate) form and the separability test (brief §2.3–2.4).</summary>
public static class MuLinearPrograms
{
    /// <summary>P1's LP: min 1ᵀ(z⁺ − z⁻) s.t. 1ᵀ(z⁺ + z⁻) ≤ C, (I − P_R)(z⁺ − z⁻) = 0, z± ≥ 0, with μ = (C − t*)/(C + t*).
    /// The rows of the dense n×n projector I − P_R are replaced by an orthonormal basis of its row space (its
    /// eigenvectors with eigenvalue 1), the same constraint without the d redundant rows. Dense: use only for n ≲ 500.</summary>
    public static LpProblem Projector(Matrix z, double c = 1)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (!(c > 0) || !double.IsFinite(c)) throw new ArgumentException($"MuLinearPrograms.Projector: C = {c}; it must be a positive finite number (any C > 0 gives the same μ).", nameof(c));
        int n = z.Rows;
        if (n > 2000) throw new ArgumentException($"MuLinearPrograms.Projector: n = {n}; the projector LP is dense n×n and meant for n ≲ 1000. Use the LAD form (Mu.Lad) or IRLS.", nameof(z));
        var q = Ops.Qr(z.Device.Kind == DeviceKind.Cpu ? z : z.ToCpu()).Q;
        var p = Ops.MatMul(q, q, transB: true);
        var ip = Matrix.Build(n, n, (i, j) => (i == j ? 1 : 0) - p[i, j]);
        var (vals, vecs) = Ops.SymmetricEigen(ip);
        var basis = Enumerable.Range(0, n).Where(k => vals[k] > 0.5).ToArray();
        var trip = new List<(int, int, double)>();
        for (int j = 0; j < n; j++) { trip.Add((0, j, 1)); trip.Add((0, n + j, 1)); }
        for (int r = 0; r < basis.Length; r++)
            for (int i = 0; i < n; i++)
            {
                double v = vecs[i, basis[r]];
                if (v != 0) { trip.Add((r + 1, i, v)); trip.Add((r + 1, n + i, -v)); }
            }
        int m = basis.Length + 1;
        var cost = new double[2 * n];
        for (int j = 0; j < n; j++) { cost[j] = 1; cost[n + j] = -1; }
        var lo = new double[m]; var up = new double[m];
        lo[0] = double.NegativeInfinity; up[0] = c;
        return new LpProblem(cost, SparseMatrix.FromTriplets(m, 2 * n, trip), lo, up, new double[2 * n], Inf(2 * n), "mu_projector");
    }

    /// <summary>β-form: min Σvᵢ s.t. Zβ − u + v = 0, Σuᵢ = 1, u, v ≥ 0, β free; μ = 1/opt (∞ when opt = 0).
    /// Columns: β (d), u (n), v (n).</summary>
    public static LpProblem BetaForm(Matrix z)
    {
        var zc = Cpu(z); int n = zc.Rows, d = zc.Cols;
        var trip = new List<(int, int, double)>();
        for (int j = 0; j < d; j++) for (int i = 0; i < n; i++) if (zc[i, j] != 0) trip.Add((i, j, zc[i, j]));
        for (int i = 0; i < n; i++) { trip.Add((i, d + i, -1)); trip.Add((i, d + n + i, 1)); trip.Add((n, d + i, 1)); }
        var cost = new double[d + 2 * n];
        for (int i = 0; i < n; i++) cost[d + n + i] = 1;
        var rhs = new double[n + 1]; rhs[n] = 1;
        var lo = new double[d + 2 * n]; for (int j = 0; j < d; j++) lo[j] = double.NegativeInfinity;
        return new LpProblem(cost, SparseMatrix.FromTriplets(n + 1, d + 2 * n, trip), rhs, (double[])rhs.Clone(), lo, Inf(d + 2 * n), "mu_betaform");
    }

    /// <summary>LAD form: min Σ(uᵢ + vᵢ) s.t. Zβ − u + v = 0, gᵀβ = 1, u, v ≥ 0; s* = opt, μ = (s*+1)/(s*−1).
    /// Columns: β (d, free), u (n), v (n); with <paramref name="splitFree"/> β = β⁺ − β⁻ (columns β⁺, β⁻, u, v, all ≥ 0),
    /// which CLP needs: its free-format MPS reader rejects the value-less FR bound lines MpsWriter writes for free
    /// columns ("No match for column"). Requires g = Zᵀ1 ≠ 0.</summary>
    public static LpProblem Lad(Matrix z, bool splitFree = false)
    {
        if (!splitFree) return LadFree(z);
        var zc = Cpu(z); int n = zc.Rows, d = zc.Cols;
        var g = Linalg.MatVec(zc, Ones(n), trans: true);
        var trip = new List<(int, int, double)>();
        for (int j = 0; j < d; j++) for (int i = 0; i < n; i++) if (zc[i, j] != 0) { trip.Add((i, j, zc[i, j])); trip.Add((i, d + j, -zc[i, j])); }
        for (int i = 0; i < n; i++) { trip.Add((i, 2 * d + i, -1)); trip.Add((i, 2 * d + n + i, 1)); }
        for (int j = 0; j < d; j++) if (g[j] != 0) { trip.Add((n, j, g[j])); trip.Add((n, d + j, -g[j])); }
        int nc = 2 * d + 2 * n;
        var cost = new double[nc];
        for (int i = 0; i < 2 * n; i++) cost[2 * d + i] = 1;
        var rhs = new double[n + 1]; rhs[n] = 1;
        return new LpProblem(cost, SparseMatrix.FromTriplets(n + 1, nc, trip), rhs, (double[])rhs.Clone(), new double[nc], Inf(nc), "mu_lad");
    }

    private static LpProblem LadFree(Matrix z)
    {
        var zc = Cpu(z); int n = zc.Rows, d = zc.Cols;
        var g = Linalg.MatVec(zc, Ones(n), trans: true);
        var trip = new List<(int, int, double)>();
        for (int j = 0; j < d; j++) for (int i = 0; i < n; i++) if (zc[i, j] != 0) trip.Add((i, j, zc[i, j]));
        for (int i = 0; i < n; i++) { trip.Add((i, d + i, -1)); trip.Add((i, d + n + i, 1)); }
        for (int j = 0; j < d; j++) if (g[j] != 0) trip.Add((n, j, g[j]));
        var cost = new double[d + 2 * n];
        for (int i = 0; i < 2 * n; i++) cost[d + i] = 1;
        var rhs = new double[n + 1]; rhs[n] = 1;
        var lo = new double[d + 2 * n]; for (int j = 0; j < d; j++) lo[j] = double.NegativeInfinity;
        return new LpProblem(cost, SparseMatrix.FromTriplets(n + 1, d + 2 * n, trip), rhs, (double[])rhs.Clone(), lo, Inf(d + 2 * n), "mu_lad");
    }

    /// <summary>Dual form: min −τ s.t. Zᵀλ = 0, λᵢ − τ ≥ 0, 0 ≤ λ ≤ 1, 0 ≤ τ ≤ 1; μ = 1/τ* (∞ when τ* = 0).
    /// Columns: λ (n), τ.</summary>
    public static LpProblem Dual(Matrix z)
    {
        var zc = Cpu(z); int n = zc.Rows, d = zc.Cols;
        var trip = new List<(int, int, double)>();
        for (int j = 0; j < d; j++) for (int i = 0; i < n; i++) if (zc[i, j] != 0) trip.Add((j, i, zc[i, j]));
        for (int i = 0; i < n; i++) { trip.Add((d + i, i, 1)); trip.Add((d + i, n, -1)); }
        var cost = new double[n + 1]; cost[n] = -1;
        var lo = new double[d + n]; var up = new double[d + n];
        for (int i = 0; i < n; i++) up[d + i] = double.PositiveInfinity;
        var cu = Enumerable.Repeat(1.0, n + 1).ToArray();
        return new LpProblem(cost, SparseMatrix.FromTriplets(d + n, n + 1, trip), lo, up, new double[n + 1], cu, "mu_dual");
    }

    /// <summary>Separability test: min −gᵀβ s.t. Zβ ≥ 0, gᵀβ ≤ 1, β free. The optimum is −1 exactly when some β has
    /// Zβ ≥ 0, Zβ ≠ 0 (data separable through the origin, μ = ∞), and 0 otherwise.</summary>
    public static LpProblem Separability(Matrix z)
    {
        var zc = Cpu(z); int n = zc.Rows, d = zc.Cols;
        var g = Linalg.MatVec(zc, Ones(n), trans: true);
        var trip = new List<(int, int, double)>();
        for (int j = 0; j < d; j++) for (int i = 0; i < n; i++) if (zc[i, j] != 0) trip.Add((i, j, zc[i, j]));
        for (int j = 0; j < d; j++) if (g[j] != 0) trip.Add((n, j, g[j]));
        var lo = new double[n + 1]; var up = Inf(n + 1);
        lo[n] = double.NegativeInfinity; up[n] = 1;
        var cost = g.Select(v => -v).ToArray();
        var cl = Enumerable.Repeat(double.NegativeInfinity, d).ToArray();
        return new LpProblem(cost, SparseMatrix.FromTriplets(n + 1, d, trip), lo, up, cl, Inf(d), "mu_separability");
    }

    internal static Matrix Cpu(Matrix z)
    {
        ArgumentNullException.ThrowIfNull(z);
        return z.Device.Kind == DeviceKind.Cpu ? z : z.ToCpu();
    }

    internal static double[] Ones(int n) => Enumerable.Repeat(1.0, n).ToArray();
    private static double[] Inf(int n) => Enumerable.Repeat(double.PositiveInfinity, n).ToArray();
}
