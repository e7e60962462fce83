using Reproduce.Compute;

namespace Reproduce.Sketching;

/// <summary>The dictionary step of alternating minimisation (brief §2.3): for fixed codes U the
/// optimal dictionary is V = U^†A = (UᵀU)⁻¹UᵀA, and from a left sketch it is
/// V̂ = (SU)^†SA (brief §2.2). Atoms whose code column is zero are unused: they keep their
/// previous value (or zero), which leaves the cost unchanged.</summary>
public static class DictionaryUpdate
{
    /// <summary>argmin_V ‖B − U·V‖_F² with U (m×k), B (m×d); pass U, A for the exact step or
    /// SU, SA for the sketched one.</summary>
    public static Matrix LeastSquares(Matrix u, Matrix b, Matrix? previous = null)
    {
        if (u.Rows != b.Rows)
            throw new ArgumentException($"codes have {u.Rows} rows but the data have {b.Rows}; pass U and A (or SU and SA) with matching rows.", nameof(u));
        int k = u.Cols, d = b.Cols;
        if (previous is not null && (previous.Rows != k || previous.Cols != d))
            throw new ArgumentException($"previous dictionary is {previous.Rows}×{previous.Cols}; expected {k}×{d}.", nameof(previous));
        var gram = Ops.Gram(u).ToCpu();                 // k×k = UᵀU
        var rhs = Ops.MatMul(u, b, transA: true);       // k×d = UᵀB
        double maxDiag = 0;
        for (int a = 0; a < k; a++) maxDiag = Math.Max(maxDiag, gram[a, a]);
        var used = Enumerable.Range(0, k).Where(a => gram[a, a] > 1e-14 * Math.Max(maxDiag, 1e-300)).ToArray();
        var v = previous?.ToCpu() ?? Matrix.Zeros(k, d);
        if (used.Length == 0) return v;
        var gUsed = Ops.GatherColumns(Ops.GatherRows(gram, used), used);
        var rUsed = Ops.GatherRows(rhs.ToCpu(), used);
        Matrix solution;
        try { solution = Ops.CholeskySolve(gUsed, rUsed); }
        catch (Exception e) when (e is ComputeException or ArithmeticException or ArgumentException or InvalidOperationException)
        {
            // Rank-deficient codes: the minimum-norm solution via the eigen-decomposition.
            solution = PseudoInverseSolve(gUsed, rUsed);
        }
        for (int p = 0; p < used.Length; p++)
            for (int j = 0; j < d; j++) v[used[p], j] = solution[p, j];
        return u.Device.Kind == DeviceKind.Cpu ? v : v.To(u.Device);
    }

    private static Matrix PseudoInverseSolve(Matrix g, Matrix r)
    {
        var (vals, vecs) = Ops.SymmetricEigen(g);
        int m = g.Rows;
        double max = 0;
        for (int i = 0; i < m; i++) max = Math.Max(max, Math.Abs(vals[i]));
        var inv = Matrix.Zeros(m, 1);
        for (int i = 0; i < m; i++) inv[i] = vals[i] > 1e-12 * max ? 1 / vals[i] : 0;
        var qtR = Ops.MatMul(vecs, r, transA: true);
        return Ops.MatMul(vecs, Ops.ScaleRows(inv, qtR));
    }
}
