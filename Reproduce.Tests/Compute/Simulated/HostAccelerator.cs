using System.Runtime.CompilerServices;
using Reproduce.Compute;
using Reproduce.Compute.Cuda;

namespace Reproduce.Tests.Compute.Simulated;

/// <summary>A simulated accelerator for machines without a GPU (CI). Its matrices live on a device
/// of kind <see cref="DeviceKind.Cuda"/> whose buffers are host arrays (<see cref="HostBuffer"/>);
/// every operation unwraps its operands, runs the CPU backend on them and wraps the results on the
/// simulated device. So the numbers are those of the CPU run, while any library code that touches
/// device data from the host (the indexer, <c>Span</c>, <c>Column</c>) throws
/// <see cref="ComputeException"/> exactly as on a real GPU — the class of bug that only a GPU run
/// used to find (e.g. reading singular values returned by <see cref="Ops.Svd"/> by index).
///
/// It mirrors <see cref="CudaBackend"/> where the API leaves room: the same results are device
/// matrices (only <c>ArgMax/MinPerRow</c> and the scalar reductions come back to the host), Upload
/// rejects non-CPU matrices, maps without a CUDA kernel throw <see cref="NotSupportedException"/>,
/// a non-positive-definite Cholesky reports a non-positive or NaN pivot value, SVD and eigen
/// failures are <see cref="CudaException"/>s, float32 is supported everywhere, a disposed matrix
/// cannot be used again, and a sparse matrix is "uploaded" once per instance. It does not touch <see cref="Device.Cuda"/> or
/// <see cref="Device.CudaFactory"/>: create one with <see cref="CreateDevice"/>.</summary>
public sealed class HostAccelerator : IBackend
{
    private readonly IBackend _cpu;
    private readonly ConditionalWeakTable<Matrix, HostBuffer> _owned = new();
    private readonly ConditionalWeakTable<SparseMatrix, SparseMatrix> _resident = new();
    private Device? _device;
    private long _buffers;

    private HostAccelerator(IBackend cpu) => _cpu = cpu;

    /// <summary>A new simulated device ("sim-gpu (host memory)") computing with
    /// <paramref name="cpu"/> (default: the CPU device's backend).</summary>
    public static Device CreateDevice(IBackend? cpu = null)
    {
        var backend = new HostAccelerator(cpu ?? Device.Cpu.Backend);
        backend._device = new Device(DeviceKind.Cuda, "sim-gpu (host memory)", backend);
        return backend._device;
    }

    /// <summary>One simulated device shared by the tests (matrices of two devices cannot be mixed).</summary>
    public static Device Shared { get; } = CreateDevice();

    /// <inheritdoc />
    public string Name => "sim-gpu";

    /// <inheritdoc />
    public string Describe() => $"simulated accelerator (host memory), computed by {_cpu.Describe()}";

    /// <summary>Device buffers created so far (allocations, uploads and results).</summary>
    public long BuffersCreated => Interlocked.Read(ref _buffers);

    private Device Dev => _device!;

    /// <summary>The host matrix behind a simulated-device matrix (what a kernel would read).</summary>
    private Matrix H(Matrix m)
    {
        if (!ReferenceEquals(m.Device, Dev) || m.Buffer is not HostBuffer b)
            throw new ComputeException($"{m} is not a matrix of {Dev.Name} (or was disposed); move it with m.To(device)."); // as CudaBackend.P
        return b.Host;
    }

    /// <summary>Puts a CPU result on the simulated device without a copy (a copy only if the CPU
    /// backend handed back storage that a device matrix already owns).</summary>
    private Matrix W(Matrix host)
    {
        if (host.Device.Kind != DeviceKind.Cpu) throw new InvalidOperationException($"The CPU backend returned {host}.");
        if (_owned.TryGetValue(host, out _)) host = host.Copy();
        var buffer = new HostBuffer(host);
        _owned.AddOrUpdate(host, buffer);
        Interlocked.Increment(ref _buffers);
        return Matrix.OnDevice(host.Rows, host.Cols, host.DType, Dev, buffer);
    }

    // ---- memory ----

    /// <inheritdoc />
    public Matrix Allocate(int rows, int cols, DType dtype) => W(Matrix.Zeros(rows, cols, dtype, Device.Cpu));

    /// <inheritdoc />
    public Matrix Upload(Matrix host) =>
        host.Device.Kind == DeviceKind.Cpu ? W(host.Copy()) : throw new ComputeException($"Upload needs a CPU matrix, got {host}.");

    /// <inheritdoc />
    public Matrix Download(Matrix m) => H(m).Copy();

    /// <inheritdoc />
    public Matrix Copy(Matrix m) => W(H(m).Copy());

    /// <inheritdoc />
    public Matrix Convert(Matrix m, DType dtype) => W(H(m).AsType(dtype));

    // ---- BLAS ----

    /// <inheritdoc />
    public void Gemm(Matrix a, bool transA, Matrix b, bool transB, Matrix c, double alpha, double beta) => _cpu.Gemm(H(a), transA, H(b), transB, H(c), alpha, beta);

    /// <inheritdoc />
    public void Syrk(Matrix a, bool trans, Matrix c, double alpha, double beta) => _cpu.Syrk(H(a), trans, H(c), alpha, beta);

    /// <inheritdoc />
    public void Gemv(Matrix a, bool trans, Matrix x, Matrix y, double alpha, double beta) => _cpu.Gemv(H(a), trans, H(x), H(y), alpha, beta);

    /// <inheritdoc />
    public void Axpy(double alpha, Matrix x, Matrix y) => _cpu.Axpy(alpha, H(x), H(y));

    /// <inheritdoc />
    public double Dot(Matrix x, Matrix y) => _cpu.Dot(H(x), H(y));

    // ---- elementwise: only the maps CudaKernelSource implements ----

    /// <inheritdoc />
    public void Map(UnaryOp op, Matrix x, Matrix result, double a = 0, double b = 0)
    {
        CudaBackend.Code(op);
        _cpu.Map(op, H(x), H(result), a, b);
    }

    /// <inheritdoc />
    public void Zip(BinaryOp op, Matrix x, Matrix y, Matrix result)
    {
        CudaBackend.Code(op);
        _cpu.Zip(op, H(x), H(y), H(result));
    }

    // ---- reductions: scalars and arg-indices come back to the host, vectors stay on the device ----

    /// <inheritdoc />
    public double Sum(Matrix x) => _cpu.Sum(H(x));
    /// <inheritdoc />
    public double Norm(Matrix x, NormKind kind) => _cpu.Norm(H(x), kind);
    /// <inheritdoc />
    public Matrix RowNorms(Matrix x) => W(_cpu.RowNorms(H(x)));
    /// <inheritdoc />
    public Matrix ColumnNorms(Matrix x) => W(_cpu.ColumnNorms(H(x)));
    /// <inheritdoc />
    public Matrix RowSums(Matrix x) => W(_cpu.RowSums(H(x)));
    /// <inheritdoc />
    public Matrix ColumnSums(Matrix x) => W(_cpu.ColumnSums(H(x)));
    /// <inheritdoc />
    public int[] ArgMaxPerRow(Matrix x) => _cpu.ArgMaxPerRow(H(x));
    /// <inheritdoc />
    public int[] ArgMinPerRow(Matrix x) => _cpu.ArgMinPerRow(H(x));

    // ---- gather and diagonal scaling ----

    /// <inheritdoc />
    public Matrix GatherRows(Matrix x, int[] idx) => W(_cpu.GatherRows(H(x), idx));
    /// <inheritdoc />
    public Matrix GatherColumns(Matrix x, int[] idx) => W(_cpu.GatherColumns(H(x), idx));
    /// <inheritdoc />
    public void ScaleRows(Matrix x, Matrix d, Matrix result) => _cpu.ScaleRows(H(x), H(d), H(result));
    /// <inheritdoc />
    public void ScaleColumns(Matrix x, Matrix d, Matrix result) => _cpu.ScaleColumns(H(x), H(d), H(result));
    /// <inheritdoc />
    public Matrix Transpose(Matrix a) => W(_cpu.Transpose(H(a)));

    // ---- factorizations ----

    /// <inheritdoc />
    public Matrix Cholesky(Matrix a)
    {
        try
        {
            return W(_cpu.Cholesky(H(a)));
        }
        catch (NotPositiveDefiniteException e) when (e.Value > 0)
        {
            // CudaBackend never reports a positive value as the culprit (cuSOLVER may leave NaN there).
            throw new NotPositiveDefiniteException(e.Pivot, double.NaN);
        }
    }

    /// <inheritdoc />
    public Matrix TriangularSolve(Matrix t, Matrix b, bool lower, bool transpose) => W(_cpu.TriangularSolve(H(t), H(b), lower, transpose));

    /// <inheritdoc />
    public (Matrix Q, Matrix R) Qr(Matrix a)
    {
        var (q, r) = _cpu.Qr(H(a));
        return (W(q), W(r));
    }

    /// <inheritdoc />
    public (Matrix Values, Matrix Vectors) SymmetricEigen(Matrix a)
    {
        var host = H(a);
        var (w, v) = Solver("syevd", () => _cpu.SymmetricEigen(host));
        return (W(w), W(v));
    }

    /// <inheritdoc />
    public (Matrix U, Matrix S, Matrix V) Svd(Matrix a)
    {
        var host = H(a);
        var (u, s, v) = Solver("gesvd", () => _cpu.Svd(host));
        return (W(u), W(s), W(v));
    }

    /// <summary>A factorization that does not converge is a <see cref="CudaException"/> on CUDA.</summary>
    private static T Solver<T>(string routine, Func<T> f)
    {
        try
        {
            return f();
        }
        catch (Exception e) when (e is not ArgumentException)
        {
            throw new CudaException($"cusolverDnX{routine} did not converge (simulated; the CPU backend said: {e.Message}).");
        }
    }

    // ---- random fills and sparse ----

    /// <inheritdoc />
    public void FillRandom(RandomKind kind, ulong key, long first, Matrix target) => _cpu.FillRandom(kind, key, first, H(target));

    /// <inheritdoc />
    /// <remarks>Like CudaBackend, which uploads a CSR matrix once per instance and reuses that copy, the
    /// simulator multiplies by a snapshot taken at first use: code that changes a sparse matrix's arrays
    /// after a product sees the stale matrix here too, and its numbers then differ from the CPU run.</remarks>
    public Matrix SpMM(SparseMatrix a, bool trans, Matrix x) => W(_cpu.SpMM(_resident.GetValue(a, Snapshot), trans, H(x)));

    private static SparseMatrix Snapshot(SparseMatrix a) =>
        new(a.Rows, a.Cols, (int[])a.RowPtr.Clone(), (int[])a.ColIdx.Clone(), (double[])a.Values.Clone());
}
