using Reproduce.Compute;

namespace Reproduce.Compression;

/// <summary>The optimal-brain-surgeon column sweep shared by SparseGPT and GPTQ (brief §2.5): columns
/// are fixed left to right; the error of fixing column q is pushed onto the remaining columns through
/// row q of U, the upper Cholesky factor of H⁻¹ (H⁻¹ = UᵀU), which equals the inverse Hessian of the
/// not-yet-fixed columns at every step. Updates inside a block of columns are applied at once; the
/// block's accumulated errors reach the later columns in one GEMM ("lazy batch" updates).</summary>
internal static class ObsSweep
{
    /// <summary>Replaces column <c>col</c>'s values (in <c>q</c>) by their compressed values.</summary>
    public delegate void ColumnFix(int col, Span<double> q);

    /// <summary>Upper Cholesky factor U of H⁻¹ (H⁻¹ = UᵀU) for a damped H, without forming H⁻¹: with J the
    /// order-reversing permutation and JHJ = L'L'ᵀ, H⁻¹ = (JL'⁻¹J)ᵀ(JL'⁻¹J) and JL'⁻¹J is upper triangular.
    /// One Cholesky and one triangular inverse instead of an inverse and a second Cholesky.</summary>
    public static Matrix UpperCholeskyOfInverse(Matrix dampedH, double percdamp, string method)
    {
        int n = dampedH.Rows;
        var jhj = Matrix.Build(n, n, (i, j) => dampedH[n - 1 - i, n - 1 - j]);
        var l = Damping.CholeskyOrExplain(jhj, percdamp, method);
        var linv = Ops.TriangularSolve(l, Matrix.Identity(n), lower: true);
        var li = linv.Span;
        var u = Matrix.Zeros(n, n);
        var us = u.Span;
        for (int j = 0; j < n; j++)
            for (int i = 0; i <= j; i++) us[i + j * n] = li[(n - 1 - i) + (n - 1 - j) * n];
        return u;
    }

    /// <summary>Sweeps W (d_out × d_in, modified in place) with U. <paramref name="beginBlock"/> is called
    /// at each block start (i1, i2); <paramref name="fix"/> replaces column q's current values by its
    /// compressed values (pruned or quantized), given w (current column), and may read U_qq.</summary>
    public static void Run(Matrix w, Matrix u, int blockSize, Action<int, int> beginBlock, ColumnFix fix)
    {
        int rows = w.Rows, n = w.Cols;
        var ws = w.F64 ?? throw new ArgumentException("the sweep needs a float64 CPU matrix", nameof(w));
        var us = u.Span;
        var err = new double[rows * blockSize];
        var q = new double[rows];
        for (int i1 = 0; i1 < n; i1 += blockSize)
        {
            int i2 = Math.Min(i1 + blockSize, n), count = i2 - i1;
            beginBlock(i1, i2);
            for (int i = 0; i < count; i++)
            {
                int col = i1 + i;
                var wc = ws.AsSpan(col * rows, rows);
                wc.CopyTo(q);
                fix(col, q);
                double d = us[col + col * n];
                var e = err.AsSpan(i * rows, rows);
                for (int r = 0; r < rows; r++) { e[r] = (wc[r] - q[r]) / d; wc[r] = q[r]; }
                for (int j = i + 1; j < count; j++)
                {
                    double uij = us[col + (i1 + j) * n];
                    if (uij == 0) continue;
                    var wj = ws.AsSpan((i1 + j) * rows, rows);
                    for (int r = 0; r < rows; r++) wj[r] -= e[r] * uij;
                }
            }
            int rest = n - i2;
            if (rest == 0) continue;
            // W[:, i2:] −= Err · U[i1:i2, i2:]
            var errM = Matrix.FromColumnMajor(rows, count, err.AsSpan(0, rows * count).ToArray());
            var ub = new double[count * rest];
            for (int c = 0; c < rest; c++)
                for (int i = 0; i < count; i++) ub[i + c * count] = us[(i1 + i) + (i2 + c) * n];
            var tail = Matrix.FromColumnMajor(rows, rest, ws.AsSpan(i2 * rows, rows * rest).ToArray());
            Ops.Gemm(errM, false, Matrix.FromColumnMajor(count, rest, ub), false, tail, alpha: -1, beta: 1);
            tail.Span.CopyTo(ws.AsSpan(i2 * rows, rows * rest));
        }
    }

}
