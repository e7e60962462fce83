using System.Globalization;
using Reproduce.Compute;

namespace Reproduce.Compression;

/// <summary>The exact-H low-rank step of HASSLE-free in closed form (brief §2.6, derived): for H ≻ 0 and a
/// residual R, argmin_{rank L ≤ r} tr((R − L)H(R − L)ᵀ) = T_r(R·H^{1/2})·H^{−1/2}, T_r the rank-r
/// truncated SVD (Eckart–Young in the metric of H). H^{±1/2} come from one symmetric eigendecomposition,
/// computed once per layer. H is used undamped when it is positive definite (then the step is the exact
/// minimiser of the layer objective); otherwise it is damped and a note says so.</summary>
public sealed class LowRankStep
{
    private readonly Matrix _half, _invHalf;

    /// <summary>Prepares H^{±1/2} for the layer; <paramref name="percdamp"/> is used only when H is singular.</summary>
    public LowRankStep(LayerProblem p, double percdamp, List<string> notes)
    {
        ArgumentNullException.ThrowIfNull(p);
        var (values, vectors) = Ops.SymmetricEigen(p.H);
        var lam = values.ToCpu().ToArray();
        double max = lam[^1];
        if (!(lam[0] > 1e-10 * max))
        {
            var damped = Damping.Damp(p, percdamp, notes, "low-rank step");
            (values, vectors) = Ops.SymmetricEigen(damped);
            lam = values.ToCpu().ToArray();
            if (!(lam[0] > 0)) throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"low-rank step: H + {percdamp}·mean(diag H)·I still has eigenvalue {lam[0]:G3}: raise the damping."));
        }
        var sq = Ops.ScaleColumns(vectors, Matrix.Vector(lam.Select(Math.Sqrt).ToArray()));
        var isq = Ops.ScaleColumns(vectors, Matrix.Vector(lam.Select(l => 1 / Math.Sqrt(l)).ToArray()));
        _half = Ops.MatMul(sq, vectors, transB: true);
        _invHalf = Ops.MatMul(isq, vectors, transB: true);
    }

    /// <summary>T_r(R·H^{1/2})·H^{−1/2} (0 for r = 0).</summary>
    public Matrix Solve(Matrix residual, int rank)
    {
        if (rank == 0) return Matrix.Zeros(residual.Rows, residual.Cols);
        return Ops.MatMul(TruncatedSvd(Ops.MatMul(residual, _half), rank), _invHalf);
    }

    /// <summary>The best rank-r approximation of A in Frobenius norm.</summary>
    public static Matrix TruncatedSvd(Matrix a, int rank)
    {
        bool wide = a.Rows < a.Cols;
        var m = wide ? Ops.Transpose(a) : a;
        var (u, s, v) = Ops.Svd(m);
        int r = Math.Min(rank, (int)s.Length);
        var uk = Ops.GatherColumns(u, Enumerable.Range(0, r).ToArray());
        var vk = Ops.GatherColumns(v, Enumerable.Range(0, r).ToArray());
        var sk = Matrix.Vector(s.ToCpu().ToArray().Take(r).ToArray());
        var approx = Ops.MatMul(Ops.ScaleColumns(uk, sk), vk, transB: true);
        return wide ? Ops.Transpose(approx) : approx;
    }

    /// <summary>Validates a rank against the layer shape.</summary>
    public static void CheckRank(int rank, int rows, int cols)
    {
        if (rank < 0 || rank > Math.Min(rows, cols))
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must lie in 0..min(d_out, d_in) = {Math.Min(rows, cols)} for a {rows}×{cols} layer.");
    }
}
