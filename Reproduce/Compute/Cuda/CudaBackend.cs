namespace Reproduce.Compute.Cuda;

/// <summary>The NVIDIA GPU backend: cuBLAS for BLAS, cuSOLVER for factorizations, cuSPARSE for
/// CSR products, and NVRTC-compiled kernels for elementwise maps, reductions, gathers and
/// scaling. Matrices stay in device memory (column-major, as on CPU); transfers happen only in
/// Upload/Download. Same API and semantics as the CPU backends, so experiment code does not change.</summary>
public sealed unsafe partial class CudaBackend : IBackend
{
    private readonly CudaContext _ctx;
    private Device? _device;

    private CudaBackend(CudaContext ctx) => _ctx = ctx;

    /// <summary>The device factory <see cref="Device.CudaFactory"/> uses.</summary>
    public static (Device? Device, string? Error) TryCreateDevice()
    {
        var ctx = CudaContext.TryCreate(out var error);
        if (ctx is null) return (null, error);
        var backend = new CudaBackend(ctx);
        var device = new Device(DeviceKind.Cuda, $"cuda:{ctx.DeviceOrdinal} {ctx.DeviceName}", backend);
        backend._device = device;
        return (device, null);
    }

    /// <inheritdoc />
    public string Name => "cuda";

    /// <inheritdoc />
    public string Describe() => _ctx.Describe();

    /// <summary>Waits for all queued GPU work (for timing; results are synchronised by downloads anyway).</summary>
    public void Synchronize() { _ctx.MakeCurrent(); CuDriver.Synchronize(); }

    /// <summary>The cuBLAS handle, for benchmarks that compare against calling cuBLAS directly.</summary>
    internal IntPtr BlasHandle => _ctx.Blas;

    /// <summary>The memory pool (for statistics and tests).</summary>
    public CudaMemoryPool Pool => _ctx.Pool;

    private Device Dev => _device ?? throw new InvalidOperationException("CudaBackend used before its device was created.");

    private static int Size(DType t) => t == DType.F64 ? 8 : 4;

    private static string Suffix(Matrix m) => m.DType == DType.F64 ? "f64" : "f32";

    internal static ulong P(Matrix m) =>
        (m.Buffer as CudaBuffer ?? throw new ComputeException($"{m} is not a CUDA matrix; move it with m.To(Device.Cuda).")).Ptr;

    private static int Ld(int rows) => Math.Max(1, rows);

    private static uint Blocks(long n) => (uint)Math.Clamp((n + CudaKernelSource.Threads - 1) / CudaKernelSource.Threads, 1, 8192);

    // ---------------- memory ----------------

    /// <inheritdoc />
    public Matrix Allocate(int rows, int cols, DType dtype)
    {
        _ctx.MakeCurrent();
        long bytes = (long)rows * cols * Size(dtype);
        var buf = _ctx.Pool.Allocate(bytes);
        CuDriver.Zero(buf.Ptr, bytes);
        return Matrix.OnDevice(rows, cols, dtype, Dev, buf);
    }

    private Matrix Uninitialised(int rows, int cols, DType dtype)
    {
        _ctx.MakeCurrent();
        var buf = _ctx.Pool.Allocate((long)rows * cols * Size(dtype));
        return Matrix.OnDevice(rows, cols, dtype, Dev, buf);
    }

    /// <inheritdoc />
    public Matrix Upload(Matrix host)
    {
        if (host.Device.Kind != DeviceKind.Cpu) throw new ComputeException($"Upload needs a CPU matrix, got {host}.");
        var d = Uninitialised(host.Rows, host.Cols, host.DType);
        long bytes = host.Length * Size(host.DType);
        if (host.DType == DType.F64) fixed (double* p = host.Span) CuDriver.CopyHtoD(P(d), p, bytes);
        else fixed (float* p = host.SpanF32) CuDriver.CopyHtoD(P(d), p, bytes);
        return d;
    }

    /// <inheritdoc />
    public Matrix Download(Matrix m)
    {
        _ctx.MakeCurrent();
        var h = Matrix.Zeros(m.Rows, m.Cols, m.DType, Device.Cpu);
        long bytes = m.Length * Size(m.DType);
        if (m.DType == DType.F64) fixed (double* p = h.Span) CuDriver.CopyDtoH(p, P(m), bytes);
        else fixed (float* p = h.SpanF32) CuDriver.CopyDtoH(p, P(m), bytes);
        return h;
    }

    /// <inheritdoc />
    public Matrix Copy(Matrix m)
    {
        var d = Uninitialised(m.Rows, m.Cols, m.DType);
        CuDriver.CopyDtoD(P(d), P(m), m.Length * Size(m.DType));
        return d;
    }

    /// <inheritdoc />
    public Matrix Convert(Matrix m, DType dtype)
    {
        if (dtype == m.DType) return Copy(m);
        var d = Uninitialised(m.Rows, m.Cols, dtype);
        long n = m.Length;
        ulong x = P(m), y = P(d);
        void** args = stackalloc void*[3];
        args[0] = &n; args[1] = &x; args[2] = &y;
        Launch(m.DType == DType.F64 ? "f64_to_f32" : "f32_to_f64", Blocks(n), args);
        return d;
    }

    private void Launch(string kernel, uint grid, void** args)
    {
        var f = _ctx.Function(kernel);
        _ctx.MakeCurrent();
        CuDriver.Launch(f, grid, CudaKernelSource.Threads, args);
    }

    private int[] DownloadInts(ulong ptr, int n)
    {
        var r = new int[n];
        fixed (int* p = r) CuDriver.CopyDtoH(p, ptr, 4L * n);
        return r;
    }

    private CudaBuffer UploadInts(int[] values)
    {
        var buf = _ctx.Pool.Allocate(4L * values.Length);
        fixed (int* p = values) CuDriver.CopyHtoD(buf.Ptr, p, 4L * values.Length);
        return buf;
    }

    // ---------------- BLAS ----------------

    /// <inheritdoc />
    public void Gemm(Matrix a, bool transA, Matrix b, bool transB, Matrix c, double alpha, double beta)
    {
        _ctx.MakeCurrent();
        int m = c.Rows, n = c.Cols, k = transA ? a.Rows : a.Cols;
        if (m == 0 || n == 0) return;
        if (k == 0) { Map(UnaryOp.Scale, c, c, beta); return; }
        int ta = transA ? CuBlas.OpT : CuBlas.OpN, tb = transB ? CuBlas.OpT : CuBlas.OpN;
        if (a.DType == DType.F64)
            CuBlas.Check(CuBlas.Dgemm(_ctx.Blas, ta, tb, m, n, k, &alpha, P(a), Ld(a.Rows), P(b), Ld(b.Rows), &beta, P(c), Ld(c.Rows)), "cublasDgemm");
        else if (_ctx.AllowBf16)
        {
            float fa = (float)alpha, fb = (float)beta;
            using var ha = ToBf16(a);
            using var hb = ReferenceEquals(a, b) ? null : ToBf16(b);
            CuBlas.Check(CuBlas.GemmEx(_ctx.Blas, ta, tb, m, n, k, &fa, ha.Ptr, CuBlas.R16BF, Ld(a.Rows), (hb ?? ha).Ptr, CuBlas.R16BF, Ld(b.Rows),
                &fb, P(c), CuBlas.R32F, Ld(c.Rows), CuBlas.Compute32F, CuBlas.GemmDefault), "cublasGemmEx (bf16 operands)");
        }
        else
        {
            float fa = (float)alpha, fb = (float)beta;
            CuBlas.Check(CuBlas.Sgemm(_ctx.Blas, ta, tb, m, n, k, &fa, P(a), Ld(a.Rows), P(b), Ld(b.Rows), &fb, P(c), Ld(c.Rows)), "cublasSgemm");
        }
    }

    /// <summary>A pooled copy of float32 <paramref name="m"/> rounded to bfloat16 (round to nearest even),
    /// for <see cref="Bf16"/> GEMMs; dispose it after the GEMM (stream order keeps the reuse safe).</summary>
    private CudaBuffer ToBf16(Matrix m)
    {
        long n = m.Length;
        var buf = _ctx.Pool.Allocate(2 * Math.Max(1, n));
        ulong x = P(m), y = buf.Ptr;
        void** args = stackalloc void*[3];
        args[0] = &n; args[1] = &x; args[2] = &y;
        Launch("f32_to_bf16", Blocks(n), args);
        return buf;
    }

    /// <inheritdoc />
    public void Syrk(Matrix a, bool trans, Matrix c, double alpha, double beta)
    {
        _ctx.MakeCurrent();
        int n = c.Rows, k = trans ? a.Rows : a.Cols;
        if (n == 0) return;
        if (k == 0) { Map(UnaryOp.Scale, c, c, beta); return; }
        // cuBLAS: C = α op(A) op(A)ᵀ + βC with op = N for AAᵀ, T for AᵀA; fills the lower triangle.
        int op = trans ? CuBlas.OpT : CuBlas.OpN;
        if (a.DType == DType.F64)
            CuBlas.Check(CuBlas.Dsyrk(_ctx.Blas, CuBlas.FillLower, op, n, k, &alpha, P(a), Ld(a.Rows), &beta, P(c), Ld(n)), "cublasDsyrk");
        else
        {
            float fa = (float)alpha, fb = (float)beta;
            CuBlas.Check(CuBlas.Ssyrk(_ctx.Blas, CuBlas.FillLower, op, n, k, &fa, P(a), Ld(a.Rows), &fb, P(c), Ld(n)), "cublasSsyrk");
        }
        ulong pc = P(c);
        void** args = stackalloc void*[2];
        args[0] = &n; args[1] = &pc;
        Launch("symmetrize_" + Suffix(c), Blocks((long)n * n), args);
    }

    /// <inheritdoc />
    public void Gemv(Matrix a, bool trans, Matrix x, Matrix y, double alpha, double beta)
    {
        _ctx.MakeCurrent();
        if (y.Rows == 0) return;
        if ((trans ? a.Rows : a.Cols) == 0) { Map(UnaryOp.Scale, y, y, beta); return; }
        int op = trans ? CuBlas.OpT : CuBlas.OpN;
        if (a.DType == DType.F64)
            CuBlas.Check(CuBlas.Dgemv(_ctx.Blas, op, a.Rows, a.Cols, &alpha, P(a), Ld(a.Rows), P(x), 1, &beta, P(y), 1), "cublasDgemv");
        else
        {
            float fa = (float)alpha, fb = (float)beta;
            CuBlas.Check(CuBlas.Sgemv(_ctx.Blas, op, a.Rows, a.Cols, &fa, P(a), Ld(a.Rows), P(x), 1, &fb, P(y), 1), "cublasSgemv");
        }
    }

    /// <inheritdoc />
    public void Axpy(double alpha, Matrix x, Matrix y)
    {
        _ctx.MakeCurrent();
        int n = checked((int)x.Length);
        if (n == 0) return;
        if (x.DType == DType.F64) CuBlas.Check(CuBlas.Daxpy(_ctx.Blas, n, &alpha, P(x), 1, P(y), 1), "cublasDaxpy");
        else { float fa = (float)alpha; CuBlas.Check(CuBlas.Saxpy(_ctx.Blas, n, &fa, P(x), 1, P(y), 1), "cublasSaxpy"); }
    }

    /// <inheritdoc />
    public double Dot(Matrix x, Matrix y)
    {
        _ctx.MakeCurrent();
        int n = checked((int)x.Length);
        if (n == 0) return 0;
        if (x.DType == DType.F64) { double r; CuBlas.Check(CuBlas.Ddot(_ctx.Blas, n, P(x), 1, P(y), 1, &r), "cublasDdot"); return r; }
        float f; CuBlas.Check(CuBlas.Sdot(_ctx.Blas, n, P(x), 1, P(y), 1, &f), "cublasSdot");
        return f;
    }
}
