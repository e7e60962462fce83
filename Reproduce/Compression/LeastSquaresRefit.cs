using Reproduce.Compute;

namespace Reproduce.Compression;

/// <summary>The optimal weights on a fixed support: for each output row r with kept inputs S_r,
/// W[r, S_r] = (ŴH)[r, S_r]·(H_{S_r S_r})⁻¹, the minimiser of tr((Ŵ − W)H(Ŵ − W)ᵀ) with W zero off the
/// support. Re-fitting can never increase the objective of a mask (the oracle for every pruner).</summary>
public static class LeastSquaresRefit
{
    /// <summary>Refits every row on its own support (the nonzeros of <paramref name="mask"/>), with
    /// <paramref name="h"/> the (possibly damped) Gram used for the solve.</summary>
    public static Matrix PerRow(LayerProblem p, bool[] mask, Matrix? h = null)
    {
        ArgumentNullException.ThrowIfNull(p); ArgumentNullException.ThrowIfNull(mask);
        h ??= p.H;
        int rows = p.Rows, n = p.Cols;
        var wh = Ops.MatMul(p.W, h);
        var w = Matrix.Zeros(rows, n);
        for (int r = 0; r < rows; r++)
        {
            var s = Enumerable.Range(0, n).Where(j => mask[r + j * rows]).ToArray();
            if (s.Length == 0) continue;
            var hss = Matrix.Build(s.Length, s.Length, (a, b) => h[s[a], s[b]]);
            var rhs = Matrix.Build(s.Length, 1, (a, _) => wh[r, s[a]]);
            var x = Damping.CholeskySolveOrExplain(hss, rhs, "refit");
            for (int a = 0; a < s.Length; a++) w[r, s[a]] = x[a, 0];
        }
        return w;
    }

    /// <summary>Refits with one support shared by every row (kept input columns <paramref name="kept"/>):
    /// W[:, S] = (ŴH)[:, S]·(H_SS)⁻¹ with one Cholesky factorization.</summary>
    public static Matrix SharedColumns(LayerProblem p, int[] kept, Matrix h)
    {
        int rows = p.Rows, n = p.Cols;
        var w = Matrix.Zeros(rows, n);
        if (kept.Length == 0) return w;
        var hss = Matrix.Build(kept.Length, kept.Length, (a, b) => h[kept[a], kept[b]]);
        var wh = Ops.MatMul(p.W, h);
        // Solve H_SS Xᵀ = ((ŴH)[:, S])ᵀ.
        var rhs = Matrix.Build(kept.Length, rows, (a, r) => wh[r, kept[a]]);
        var x = Damping.CholeskySolveOrExplain(hss, rhs, "refit");
        for (int a = 0; a < kept.Length; a++)
            for (int r = 0; r < rows; r++) w[r, kept[a]] = x[a, r];
        return w;
    }
}
