namespace Reproduce.Compute;

/// <summary>The native CPU backend: OpenBLAS (cblas_?gemm, ?syrk, ?gemv, ?trsm from
/// libopenblas.so.0) and LAPACKE (?potrf, ?geqrf + ?orgqr, ?syevd, ?gesdd from liblapacke.so.3)
/// through function pointers resolved at run time. Everything else (maps, reductions, gathers,
/// sparse) is the shared vectorized managed code. Construct through <see cref="TryCreate"/>,
/// which says which library is missing and which Debian package provides it.</summary>
public sealed unsafe class OpenBlasCpuBackend : CpuBackend
{
    private readonly OpenBlasNative _lib;

    /// <summary>At most this many threads are inside OpenBLAS/LAPACKE at once. OpenBLAS keeps a fixed table of
    /// NUM_BUFFERS = max(50, 2·NUM_THREADS) buffer slots (NUM_THREADS fixed when it was compiled); every calling
    /// thread holds one for the length of a call and its worker pool holds at most NUM_THREADS − 1 more. More
    /// callers at once than the table holds ("precompiled NUM_THREADS exceeded") crashed the paper-scale
    /// sgd-stability/critical-eta run (Parallel.For over batch sizes, each calling ?syevd) with SIGSEGV.
    /// 16 callers + (NUM_THREADS − 1) workers fit max(50, 2·NUM_THREADS) for every NUM_THREADS, and no machine
    /// gains from more callers than cores.</summary>
    public static readonly int MaxConcurrentCallers = Math.Clamp(Environment.ProcessorCount, 1, 16);

    private static readonly SemaphoreSlim Gate = new(MaxConcurrentCallers, MaxConcurrentCallers);

    /// <summary>Cholesky of a column-major nr × nc panel whose top nc × nc block is the diagonal block (lower
    /// triangle used): L11 = chol(A11) by dpotrf, then L21 = A21 L11⁻ᵀ by dtrsm, in place at
    /// <paramref name="offset"/> with leading dimension nr. Returns LAPACK's info (0 on success; k &gt; 0 when the
    /// k-th leading minor is not positive definite, the panel then partly overwritten). Throws when OpenBLAS is absent.</summary>
    internal static int FactorPanel(double[] a, int offset, int nr, int nc)
    {
        var lib = OpenBlasNative.TryLoad(out var error) ?? throw new ComputeException(error ?? "OpenBLAS is not available.");
        if (nc <= 0 || nr < nc || offset < 0 || (long)offset + (long)nr * nc > a.Length)
            throw new ArgumentOutOfRangeException(nameof(nr), $"FactorPanel: a {nr} × {nc} panel at {offset} does not fit an array of {a.Length}.");
        using var ticket = Enter();
        fixed (double* p = &a[offset])
        {
            int info = lib.Dpotrf(OpenBlasNative.ColMajor, (byte)'L', nc, p, nr);
            if (info != 0) return info;
            if (nr > nc) lib.Dtrsm(OpenBlasNative.ColMajor, OpenBlasNative.Right, OpenBlasNative.Lower, OpenBlasNative.Trans, OpenBlasNative.NonUnit, nr - nc, nc, 1.0, p, nr, p + nc, nr);
        }
        return 0;
    }

    /// <summary>Triangular solve with the diagonal block of a panel factored by <see cref="FactorPanel"/>: x = L11⁻¹ x
    /// (<paramref name="transpose"/> false) or L11⁻ᵀ x, for the nc entries of <paramref name="x"/> at
    /// <paramref name="xOffset"/>; then, when the panel has rows below its diagonal block (nr &gt; nc),
    /// <paramref name="below"/> = L21 x (forward, after the solve) or x −= L21ᵀ <paramref name="below"/> (backward,
    /// before the solve), with <paramref name="below"/> holding nr − nc entries. Throws when OpenBLAS is absent.</summary>
    internal static void SolvePanel(double[] a, int offset, int nr, int nc, double[] x, int xOffset, double[] below, bool transpose)
    {
        var lib = OpenBlasNative.TryLoad(out var error) ?? throw new ComputeException(error ?? "OpenBLAS is not available.");
        if (nc <= 0 || nr < nc || offset < 0 || (long)offset + (long)nr * nc > a.Length || xOffset < 0 || xOffset + nc > x.Length || below.Length < nr - nc)
            throw new ArgumentOutOfRangeException(nameof(nr), $"SolvePanel: a {nr} × {nc} panel at {offset} does not fit its arrays.");
        using var ticket = Enter();
        fixed (double* p = &a[offset], px = &x[xOffset], pb = below)
        {
            if (!transpose)
            {
                lib.Dtrsv(OpenBlasNative.ColMajor, OpenBlasNative.Lower, OpenBlasNative.NoTrans, OpenBlasNative.NonUnit, nc, p, nr, px, 1);
                if (nr > nc) lib.Dgemv(OpenBlasNative.ColMajor, OpenBlasNative.NoTrans, nr - nc, nc, 1.0, p + nc, nr, px, 1, 0.0, pb, 1);
            }
            else
            {
                if (nr > nc) lib.Dgemv(OpenBlasNative.ColMajor, OpenBlasNative.Trans, nr - nc, nc, -1.0, p + nc, nr, pb, 1, 1.0, px, 1);
                lib.Dtrsv(OpenBlasNative.ColMajor, OpenBlasNative.Lower, OpenBlasNative.Trans, OpenBlasNative.NonUnit, nc, p, nr, px, 1);
            }
        }
    }

    /// <summary>Product with a symmetric column-major panel (nr × nc, diagonal block on top, its lower triangle used,
    /// L21 below it): y[yOffset..+nc] += A11 x[xOffset..+nc] + A21ᵀ <paramref name="belowX"/> and
    /// <paramref name="belowY"/> = A21 x[xOffset..+nc] (nr − nc entries each). Throws when OpenBLAS is absent.</summary>
    internal static void MultiplyPanel(double[] a, int offset, int nr, int nc, double[] x, int xOffset, double[] y, int yOffset, double[] belowX, double[] belowY)
    {
        var lib = OpenBlasNative.TryLoad(out var error) ?? throw new ComputeException(error ?? "OpenBLAS is not available.");
        if (nc <= 0 || nr < nc || offset < 0 || (long)offset + (long)nr * nc > a.Length || xOffset < 0 || xOffset + nc > x.Length
            || yOffset < 0 || yOffset + nc > y.Length || belowX.Length < nr - nc || belowY.Length < nr - nc)
            throw new ArgumentOutOfRangeException(nameof(nr), $"MultiplyPanel: a {nr} × {nc} panel at {offset} does not fit its arrays.");
        using var ticket = Enter();
        fixed (double* p = &a[offset], px = &x[xOffset], py = &y[yOffset], pbx = belowX, pby = belowY)
        {
            lib.Dsymv(OpenBlasNative.ColMajor, OpenBlasNative.Lower, nc, 1.0, p, nr, px, 1, 1.0, py, 1);
            if (nr > nc)
            {
                lib.Dgemv(OpenBlasNative.ColMajor, OpenBlasNative.Trans, nr - nc, nc, 1.0, p + nc, nr, pbx, 1, 1.0, py, 1);
                lib.Dgemv(OpenBlasNative.ColMajor, OpenBlasNative.NoTrans, nr - nc, nc, 1.0, p + nc, nr, px, 1, 0.0, pby, 1);
            }
        }
    }

    /// <summary>Enters the gate; dispose the result to leave it.</summary>
    private static GateTicket Enter()
    {
        Gate.Wait();
        return default;
    }

    private readonly struct GateTicket : IDisposable
    {
        public void Dispose() => Gate.Release();
    }

    private OpenBlasCpuBackend(OpenBlasNative lib, int threads) : base(threads)
    {
        _lib = lib;
        if (threads > 0 && _lib.SetNumThreads != null) _lib.SetNumThreads(threads);
    }

    /// <summary>The backend, or null with the reason (missing library/symbol and the apt package to install).</summary>
    /// <param name="threads">OpenBLAS threads (0 leaves OpenBLAS's own setting).</param>
    /// <param name="error">Why it is not usable.</param>
    public static OpenBlasCpuBackend? TryCreate(out string? error, int threads = 0)
    {
        var lib = OpenBlasNative.TryLoad(out error);
        return lib is null ? null : new OpenBlasCpuBackend(lib, threads);
    }

    /// <summary>True when libopenblas.so.0 and liblapacke.so.3 load.</summary>
    public static bool IsAvailable => OpenBlasNative.TryLoad(out _) is not null;

    /// <inheritdoc />
    public override string Name => "openblas";

    /// <summary>Sets OpenBLAS's own thread count (process-wide) and returns the previous one (-1 when the
    /// library cannot tell). Code that runs several small models in parallel sets 1 for the duration: with
    /// more callers than cores, OpenBLAS's worker threads spin against the callers (2.6× the CPU time of a
    /// parallel distillation run on 2 cores, same results).</summary>
    public int SetNativeThreads(int threads)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "OpenBLAS threads must be ≥ 1.");
        int previous = NativeThreads;
        if (_lib.SetNumThreads != null) _lib.SetNumThreads(threads);
        return previous;
    }

    /// <summary>OpenBLAS's own thread count.</summary>
    public int NativeThreads => _lib.GetNumThreads == null ? -1 : _lib.GetNumThreads();

    /// <inheritdoc />
    public override string Describe() =>
        $"openblas ({_lib.Config.Trim()}; {OpenBlasNative.BlasLibrary}, {NativeThreads} threads), LAPACKE ({OpenBlasNative.LapackeLibrary})";

    private static int Ld(int rows) => Math.Max(1, rows);
    private static int T(bool trans) => trans ? OpenBlasNative.Trans : OpenBlasNative.NoTrans;
    private const int Col = OpenBlasNative.ColMajor;

    /// <inheritdoc />
    protected override void GemmCore(Matrix a, bool transA, Matrix b, bool transB, Matrix c, double alpha, double beta)
    {
        using var gate = Enter();
        int k = transA ? a.Rows : a.Cols;
        if (a.DType == DType.F64)
            fixed (double* pa = a.F64, pb = b.F64, pc = c.F64)
                _lib.Dgemm(Col, T(transA), T(transB), c.Rows, c.Cols, k, alpha, pa, Ld(a.Rows), pb, Ld(b.Rows), beta, pc, Ld(c.Rows));
        else
            fixed (float* pa = a.F32, pb = b.F32, pc = c.F32)
                _lib.Sgemm(Col, T(transA), T(transB), c.Rows, c.Cols, k, (float)alpha, pa, Ld(a.Rows), pb, Ld(b.Rows), (float)beta, pc, Ld(c.Rows));
    }

    /// <inheritdoc />
    protected override void SyrkLower(Matrix a, bool trans, Matrix c, double alpha, double beta)
    {
        using var gate = Enter();
        // CBLAS syrk: trans = NoTrans gives C = α·A·Aᵀ (A n×k), Trans gives C = α·Aᵀ·A (A k×n).
        int n = c.Rows, k = trans ? a.Rows : a.Cols;
        if (a.DType == DType.F64)
            fixed (double* pa = a.F64, pc = c.F64)
                _lib.Dsyrk(Col, OpenBlasNative.Lower, T(trans), n, k, alpha, pa, Ld(a.Rows), beta, pc, Ld(n));
        else
            fixed (float* pa = a.F32, pc = c.F32)
                _lib.Ssyrk(Col, OpenBlasNative.Lower, T(trans), n, k, (float)alpha, pa, Ld(a.Rows), (float)beta, pc, Ld(n));
    }

    /// <inheritdoc />
    protected override void GemvCore(Matrix a, bool trans, Matrix x, Matrix y, double alpha, double beta)
    {
        using var gate = Enter();
        if (a.DType == DType.F64)
            fixed (double* pa = a.F64, px = x.F64, py = y.F64)
                _lib.Dgemv(Col, T(trans), a.Rows, a.Cols, alpha, pa, Ld(a.Rows), px, 1, beta, py, 1);
        else
            fixed (float* pa = a.F32, px = x.F32, py = y.F32)
                _lib.Sgemv(Col, T(trans), a.Rows, a.Cols, (float)alpha, pa, Ld(a.Rows), px, 1, (float)beta, py, 1);
    }

    /// <inheritdoc />
    public override Matrix Cholesky(Matrix a)
    {
        using var gate = Enter();
        int n = a.Rows;
        var l = a.Copy();
        if (n == 0) return l;
        int info;
        if (a.DType == DType.F64) fixed (double* p = l.F64) info = _lib.Dpotrf(Col, (byte)'L', n, p, n);
        else fixed (float* p = l.F32) info = _lib.Spotrf(Col, (byte)'L', n, p, n);
        if (info > 0)
        {
            // LAPACK reports the failing leading minor; the managed factorization recomputes the
            // Schur-complement pivot it failed on so that the message names the value.
            ManagedCpuBackend.CholeskyInPlace(a.ToArray(), n, 1);
            throw new NotPositiveDefiniteException(info - 1, l[info - 1, info - 1]);
        }
        Check(info, "potrf");
        ZeroUpper(l);
        return l;
    }

    /// <inheritdoc />
    public override Matrix TriangularSolve(Matrix t, Matrix b, bool lower, bool transpose)
    {
        using var gate = Enter();
        var x = b.Copy();
        int n = t.Rows, r = b.Cols;
        if (n == 0 || r == 0) return x;
        int uplo = lower ? OpenBlasNative.Lower : OpenBlasNative.Upper;
        if (t.DType == DType.F64)
            fixed (double* pt = t.F64, px = x.F64)
                _lib.Dtrsm(Col, OpenBlasNative.Left, uplo, T(transpose), OpenBlasNative.NonUnit, n, r, 1.0, pt, n, px, n);
        else
            fixed (float* pt = t.F32, px = x.F32)
                _lib.Strsm(Col, OpenBlasNative.Left, uplo, T(transpose), OpenBlasNative.NonUnit, n, r, 1f, pt, n, px, n);
        return x;
    }

    /// <inheritdoc />
    public override (Matrix Q, Matrix R) Qr(Matrix a)
    {
        using var gate = Enter();
        int m = a.Rows, n = a.Cols;
        var q = a.Copy();
        var r = Matrix.Zeros(n, n, a.DType, Device.Cpu);
        if (n == 0) return (q, r);
        if (a.DType == DType.F64)
        {
            var tau = new double[n];
            fixed (double* pq = q.F64, pt = tau)
            {
                Check(_lib.Dgeqrf(Col, m, n, pq, m, pt), "geqrf");
                for (int j = 0; j < n; j++) for (int i = 0; i <= j; i++) r.F64![j * n + i] = pq[j * m + i];
                Check(_lib.Dorgqr(Col, m, n, n, pq, m, pt), "orgqr");
            }
        }
        else
        {
            var tau = new float[n];
            fixed (float* pq = q.F32, pt = tau)
            {
                Check(_lib.Sgeqrf(Col, m, n, pq, m, pt), "geqrf");
                for (int j = 0; j < n; j++) for (int i = 0; i <= j; i++) r.F32![j * n + i] = pq[j * m + i];
                Check(_lib.Sorgqr(Col, m, n, n, pq, m, pt), "orgqr");
            }
        }
        return (q, r);
    }

    /// <inheritdoc />
    public override (Matrix Values, Matrix Vectors) SymmetricEigen(Matrix a)
    {
        using var gate = Enter();
        int n = a.Rows;
        var v = a.Copy();
        var w = Matrix.Zeros(n, 1, a.DType, Device.Cpu);
        if (n == 0) return (w, v);
        if (a.DType == DType.F64) fixed (double* pv = v.F64, pw = w.F64) Check(_lib.Dsyevd(Col, (byte)'V', (byte)'L', n, pv, n, pw), "syevd");
        else fixed (float* pv = v.F32, pw = w.F32) Check(_lib.Ssyevd(Col, (byte)'V', (byte)'L', n, pv, n, pw), "syevd");
        return (w, v);
    }

    /// <inheritdoc />
    public override (Matrix U, Matrix S, Matrix V) Svd(Matrix a)
    {
        using var gate = Enter();
        int m = a.Rows, n = a.Cols, k = Math.Min(m, n);
        var u = Matrix.Zeros(m, k, a.DType, Device.Cpu);
        var s = Matrix.Zeros(k, 1, a.DType, Device.Cpu);
        var vt = Matrix.Zeros(k, n, a.DType, Device.Cpu);
        if (k == 0) return (u, s, Matrix.Zeros(n, 0, a.DType, Device.Cpu));
        var w = a.Copy();
        if (a.DType == DType.F64)
            fixed (double* pa = w.F64, ps = s.F64, pu = u.F64, pv = vt.F64)
                Check(_lib.Dgesdd(Col, (byte)'S', m, n, pa, m, ps, pu, m, pv, k), "gesdd");
        else
            fixed (float* pa = w.F32, ps = s.F32, pu = u.F32, pv = vt.F32)
                Check(_lib.Sgesdd(Col, (byte)'S', m, n, pa, m, ps, pu, m, pv, k), "gesdd");
        return (u, s, Transpose(vt));
    }

    private static void Check(int info, string routine)
    {
        if (info < 0) throw new ComputeException($"LAPACKE ?{routine} rejected argument {-info} (info = {info}); this is a bug in the OpenBLAS backend, please report it.");
        if (info > 0) throw new ComputeException($"LAPACKE ?{routine} did not converge (info = {info}); the input may be badly scaled or contain extreme values.");
    }
}
