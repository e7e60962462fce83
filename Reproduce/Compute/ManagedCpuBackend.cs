using System.Numerics;

namespace Reproduce.Compute;

/// <summary>The managed CPU backend: a blocked, packed, register-tiled SIMD GEMM
/// (<see cref="ManagedGemm"/>, deterministic for any thread count), SYRK on top of it (lower
/// tiles only, then mirrored), a blocked right-looking Cholesky whose panel and trailing updates
/// are GEMMs, vectorized triangular solves, and MathNet.Numerics' managed Householder QR and
/// symmetric eigensolver; the SVD of a tall matrix is QR followed by MathNet's SVD of R.
/// Needs no native library.</summary>
public sealed class ManagedCpuBackend : CpuBackend
{
    private const int CholeskyBlock = 128;

    /// <summary>Creates the backend with up to <paramref name="threads"/> threads (0: all cores).</summary>
    public ManagedCpuBackend(int threads = 0) : base(threads) { }

    /// <inheritdoc />
    public override string Name => "managed";

    /// <inheritdoc />
    public override string Describe() =>
        $"managed (blocked SIMD GEMM, {(System.Runtime.Intrinsics.X86.Fma.IsSupported ? "AVX2+FMA" : "Vector256")}, {Threads} threads; MathNet.Numerics {typeof(MathNet.Numerics.Control).Assembly.GetName().Version} managed QR/eigen/SVD)";

    /// <inheritdoc />
    protected override void GemmCore(Matrix a, bool transA, Matrix b, bool transB, Matrix c, double alpha, double beta)
    {
        int k = transA ? a.Rows : a.Cols;
        if (a.DType == DType.F64)
            ManagedGemm.Run(transA, transB, c.Rows, c.Cols, k, alpha, a.F64!, 0, Math.Max(1, a.Rows), b.F64!, 0, Math.Max(1, b.Rows), beta, c.F64!, 0, Math.Max(1, c.Rows), Threads);
        else
            ManagedGemm.Run(transA, transB, c.Rows, c.Cols, k, alpha, a.F32!, 0, Math.Max(1, a.Rows), b.F32!, 0, Math.Max(1, b.Rows), beta, c.F32!, 0, Math.Max(1, c.Rows), Threads);
    }

    /// <inheritdoc />
    protected override void SyrkLower(Matrix a, bool trans, Matrix c, double alpha, double beta)
    {
        // trans: C = AᵀA → op(A) = Aᵀ, op(B) = A. Otherwise C = AAᵀ → op(A) = A, op(B) = Aᵀ.
        int n = c.Rows, k = trans ? a.Rows : a.Cols, lda = Math.Max(1, a.Rows);
        if (a.DType == DType.F64)
            ManagedGemm.Run(trans, !trans, n, n, k, alpha, a.F64!, 0, lda, a.F64!, 0, lda, beta, c.F64!, 0, n, Threads, lowerOnly: true);
        else
            ManagedGemm.Run(trans, !trans, n, n, k, alpha, a.F32!, 0, lda, a.F32!, 0, lda, beta, c.F32!, 0, n, Threads, lowerOnly: true);
    }

    /// <inheritdoc />
    public override Matrix Cholesky(Matrix a)
    {
        var l = a.Copy();
        if (a.DType == DType.F64) CholeskyInPlace(l.F64!, a.Rows, Threads);
        else CholeskyInPlace(l.F32!, a.Rows, Threads);
        ZeroUpper(l);
        return l;
    }

    /// <summary>Blocked right-looking Cholesky of the lower triangle of w (n×n, column-major).</summary>
    internal static void CholeskyInPlace<T>(T[] w, int n, int threads) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k0 = 0; k0 < n; k0 += CholeskyBlock)
        {
            int kb = Math.Min(CholeskyBlock, n - k0), k1 = k0 + kb, r = n - k1;
            // 1. Factor the diagonal block (already holds A11 − L10·L10ᵀ) by unblocked Cholesky in float64.
            for (int j = k0; j < k1; j++)
            {
                double d = double.CreateTruncating(w[j * n + j]);
                for (int p = k0; p < j; p++) { double v = double.CreateTruncating(w[p * n + j]); d -= v * v; }
                if (!(d > 0)) throw new NotPositiveDefiniteException(j, d);
                double s = Math.Sqrt(d);
                w[j * n + j] = T.CreateTruncating(s);
                for (int i = j + 1; i < k1; i++)
                {
                    double v = double.CreateTruncating(w[j * n + i]);
                    for (int p = k0; p < j; p++) v -= double.CreateTruncating(w[p * n + i]) * double.CreateTruncating(w[p * n + j]);
                    w[j * n + i] = T.CreateTruncating(v / s);
                }
            }
            if (r == 0) break;
            // 2. Panel: L21 = A21·L11⁻ᵀ as a GEMM with the explicit inverse of the small L11.
            var linv = new T[kb * kb];
            for (int j = 0; j < kb; j++)
            {
                linv[j * kb + j] = T.One;
                for (int i = j; i < kb; i++) linv[j * kb + i] = i == j ? T.One : T.Zero;
            }
            var l11 = new T[kb * kb];
            for (int j = 0; j < kb; j++) Array.Copy(w, (k0 + j) * n + k0, l11, j * kb, kb);
            CpuKernels.TriangularSolve(l11, kb, linv, kb, lower: true, transpose: false, threads);
            var a21 = new T[r * kb];
            for (int j = 0; j < kb; j++) Array.Copy(w, (k0 + j) * n + k1, a21, j * r, r);
            ManagedGemm.Run(false, true, r, kb, kb, 1.0, a21, 0, r, linv, 0, kb, 0.0, w, k0 * n + k1, n, threads);
            // 3. Trailing update of the lower triangle: A22 ← A22 − L21·L21ᵀ.
            ManagedGemm.Run(false, true, r, r, kb, -1.0, w, k0 * n + k1, n, w, k0 * n + k1, n, 1.0, w, k1 * n + k1, n, threads, lowerOnly: true);
        }
    }

    /// <inheritdoc />
    public override Matrix TriangularSolve(Matrix t, Matrix b, bool lower, bool transpose)
    {
        var x = b.Copy();
        if (t.Rows == 0 || b.Cols == 0) return x;
        if (t.DType == DType.F64) CpuKernels.TriangularSolve(t.F64!, t.Rows, x.F64!, b.Cols, lower, transpose, Threads);
        else CpuKernels.TriangularSolve(t.F32!, t.Rows, x.F32!, b.Cols, lower, transpose, Threads);
        return x;
    }

    /// <inheritdoc />
    public override (Matrix Q, Matrix R) Qr(Matrix a) => MathNetBridge.Qr(a);

    /// <inheritdoc />
    public override (Matrix Values, Matrix Vectors) SymmetricEigen(Matrix a) => MathNetBridge.SymmetricEigen(a);

    /// <inheritdoc />
    public override (Matrix U, Matrix S, Matrix V) Svd(Matrix a)
    {
        int m = a.Rows, n = a.Cols;
        if (Math.Min(m, n) == 0 || (m < 2 * n && n < 2 * m)) return MathNetBridge.Svd(a);
        if (m < n)
        {
            var (u2, s2, v2) = Svd(Transpose(a));
            return (v2, s2, u2);
        }
        // Tall: A = QR, R = Ur·S·Vᵀ ⇒ A = (Q·Ur)·S·Vᵀ; MathNet never forms the m×m U.
        var (q, r) = Qr(a);
        var (ur, s, v) = MathNetBridge.Svd(r);
        var u = Matrix.Zeros(m, n, a.DType, Device.Cpu);
        Gemm(q, false, ur, false, u, 1, 0);
        return (u, s, v);
    }
}
