namespace Reproduce.Compute;

/// <summary>A dense matrix, column-major, float64 or float32, living on one device. Vectors are
/// n×1 matrices. CPU matrices hold a managed array; device matrices hold an
/// <see cref="IDeviceBuffer"/> and must be disposed (or moved back with <see cref="ToCpu"/>).
/// Element access by index works on CPU only: transfers are explicit.</summary>
public sealed class Matrix : IDisposable
{
    private Matrix(int rows, int cols, DType dtype, Device device)
    {
        if (rows < 0 || cols < 0) throw new ArgumentException($"Matrix shape must be non-negative, got {rows}×{cols}.");
        Rows = rows;
        Cols = cols;
        DType = dtype;
        Device = device;
    }

    /// <summary>Number of rows.</summary>
    public int Rows { get; }

    /// <summary>Number of columns.</summary>
    public int Cols { get; }

    /// <summary>Element type.</summary>
    public DType DType { get; }

    /// <summary>Where the data lives.</summary>
    public Device Device { get; }

    /// <summary>Rows·Cols.</summary>
    public long Length => (long)Rows * Cols;

    /// <summary>"rows×cols dtype" for messages.</summary>
    public string ShapeText => $"{Rows}×{Cols} {DType}";

    /// <summary>The backend of this matrix's device.</summary>
    public IBackend Backend => Device.Backend;

    /// <summary>CPU float64 storage (column-major), else null.</summary>
    internal double[]? F64 { get; private set; }

    /// <summary>CPU float32 storage (column-major), else null.</summary>
    internal float[]? F32 { get; private set; }

    /// <summary>Device storage for non-CPU backends, else null.</summary>
    public IDeviceBuffer? Buffer { get; private set; }

    /// <summary>A zero matrix on <paramref name="device"/> (default CPU).</summary>
    public static Matrix Zeros(int rows, int cols, DType dtype = DType.F64, Device? device = null)
    {
        device ??= Device.Cpu;
        return device.Kind == DeviceKind.Cpu ? Host(rows, cols, dtype) : device.Backend.Allocate(rows, cols, dtype);
    }

    /// <summary>Wraps a device buffer (used by non-CPU backends).</summary>
    public static Matrix OnDevice(int rows, int cols, DType dtype, Device device, IDeviceBuffer buffer) =>
        new(rows, cols, dtype, device) { Buffer = buffer };

    /// <summary>A CPU matrix that takes ownership of a column-major array.</summary>
    public static Matrix FromColumnMajor(int rows, int cols, double[] data)
    {
        if (data.Length != (long)rows * cols) throw new ArgumentException($"Column-major data has {data.Length} values, expected {rows}×{cols} = {(long)rows * cols}.", nameof(data));
        return new Matrix(rows, cols, DType.F64, Device.Cpu) { F64 = data };
    }

    /// <summary>A CPU float32 matrix that takes ownership of a column-major array.</summary>
    public static Matrix FromColumnMajor(int rows, int cols, float[] data)
    {
        if (data.Length != (long)rows * cols) throw new ArgumentException($"Column-major data has {data.Length} values, expected {rows}×{cols} = {(long)rows * cols}.", nameof(data));
        return new Matrix(rows, cols, DType.F32, Device.Cpu) { F32 = data };
    }

    /// <summary>A CPU float64 matrix copied from a 2-D array (row i, column j).</summary>
    public static Matrix FromArray(double[,] a)
    {
        int m = a.GetLength(0), n = a.GetLength(1);
        var d = new double[m * n];
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) d[j * m + i] = a[i, j];
        return FromColumnMajor(m, n, d);
    }

    /// <summary>A column vector (n×1) copied from values.</summary>
    public static Matrix Vector(ReadOnlySpan<double> values) => FromColumnMajor(values.Length, 1, values.ToArray());

    /// <summary>The n×n identity on CPU.</summary>
    public static Matrix Identity(int n, DType dtype = DType.F64)
    {
        var m = Host(n, n, dtype);
        for (int i = 0; i < n; i++) m[i, i] = 1;
        return m;
    }

    /// <summary>A CPU matrix filled by f(i, j).</summary>
    public static Matrix Build(int rows, int cols, Func<int, int, double> f, DType dtype = DType.F64)
    {
        var m = Host(rows, cols, dtype);
        for (int j = 0; j < cols; j++)
            for (int i = 0; i < rows; i++) m[i, j] = f(i, j);
        return m;
    }

    private static Matrix Host(int rows, int cols, DType dtype, bool clear = true)
    {
        var m = new Matrix(rows, cols, dtype, Device.Cpu);
        long n = (long)rows * cols;
        m.pool = HostArrayPool.For(n);
        if (dtype == DType.F64) m.F64 = m.pool?.RentF64(n, clear) ?? new double[n];
        else m.F32 = m.pool?.RentF32(n, clear) ?? new float[n];
        return m;
    }

    /// <summary>A matrix whose every element the caller overwrites before reading (e.g. a GEMM output
    /// with β = 0): storage taken from an active <see cref="HostArrayPool"/> is not cleared first.</summary>
    internal static Matrix Uninitialized(int rows, int cols, DType dtype, Device device) =>
        device.Kind == DeviceKind.Cpu ? Host(rows, cols, dtype, clear: false) : device.Backend.Allocate(rows, cols, dtype);

    /// <summary>The same storage seen as <paramref name="rows"/>×<paramref name="cols"/> (column-major, so
    /// a reshape is free): e.g. a convolution's GEMM output Cout×(H·W·N) read as (H·W·Cout)×N, one column
    /// per example. The view does not own the storage: disposing it does nothing, and it must not outlive
    /// this matrix (nor be used after this matrix is disposed).</summary>
    internal Matrix ReshapeView(int rows, int cols)
    {
        if ((long)rows * cols != Length) throw new ArgumentException($"Cannot view the {ShapeText} matrix as {rows}×{cols}: the element counts differ ({Length} vs {(long)rows * cols}).");
        if (released) throw new ComputeException(HostOnly("ReshapeView"));
        return new Matrix(rows, cols, DType, Device) { F64 = F64, F32 = F32, Buffer = Buffer, isView = true };
    }

    /// <summary>The same storage as <paramref name="rows"/>×<paramref name="cols"/>, taking ownership: the
    /// returned matrix releases the storage on dispose, and this matrix becomes a view that must no longer
    /// be used once the returned one is disposed.</summary>
    internal Matrix TakeReshaped(int rows, int cols)
    {
        var m = ReshapeView(rows, cols);
        m.isView = false; m.pool = pool;
        pool = null; isView = true;
        return m;
    }

    /// <summary>Set on <see cref="ReshapeView"/>s, which never release storage.</summary>
    private bool isView;

    /// <summary>The pool this CPU matrix's storage came from and goes back to on dispose, or null.</summary>
    private HostArrayPool? pool;

    /// <summary>Set when dispose gave pooled storage back: later element access says so.</summary>
    private bool released;

    /// <summary>Element (i, j); CPU only.</summary>
    public double this[int i, int j]
    {
        get
        {
            CheckIndex(i, j);
            long k = (long)j * Rows + i;
            return F64 is not null ? F64[k] : F32![k];
        }
        set
        {
            CheckIndex(i, j);
            long k = (long)j * Rows + i;
            if (F64 is not null) F64[k] = value;
            else F32![k] = (float)value;
        }
    }

    /// <summary>Element i of a vector (n×1 or 1×n); CPU only.</summary>
    public double this[int i]
    {
        get => Cols == 1 ? this[i, 0] : this[0, i];
        set { if (Cols == 1) this[i, 0] = value; else this[0, i] = value; }
    }

    /// <summary>The float64 storage as a span (column-major); CPU float64 only.</summary>
    public Span<double> Span => F64 ?? throw new ComputeException(HostOnly("Span (float64)"));

    /// <summary>The float32 storage as a span (column-major); CPU float32 only.</summary>
    public Span<float> SpanF32 => F32 ?? throw new ComputeException(HostOnly("SpanF32 (float32)"));

    /// <summary>Column j as a span (CPU float64 only).</summary>
    public Span<double> Column(int j) => Span.Slice(j * Rows, Rows);

    /// <summary>A column-major copy as float64 (any device; copies back from device memory).</summary>
    public double[] ToArray()
    {
        if (Device.Kind != DeviceKind.Cpu)
        {
            using var h = ToCpu();
            return h.ToArray();
        }
        return F64 is not null ? (double[])F64.Clone() : Array.ConvertAll(F32!, x => (double)x);
    }

    /// <summary>A 2-D copy (row i, column j) as float64.</summary>
    public double[,] ToArray2D()
    {
        var cm = ToArray();
        var a = new double[Rows, Cols];
        for (int j = 0; j < Cols; j++)
            for (int i = 0; i < Rows; i++) a[i, j] = cm[(long)j * Rows + i];
        return a;
    }

    /// <summary>Moves (copies) to a device. Returns this when already there.</summary>
    public Matrix To(Device device)
    {
        if (ReferenceEquals(device, Device)) return this;
        if (device.Kind == DeviceKind.Cpu && Device.Kind == DeviceKind.Cpu) return Copy();
        return device.Kind == DeviceKind.Cpu ? Device.Backend.Download(this) : device.Backend.Upload(this.Device.Kind == DeviceKind.Cpu ? this : ToCpu());
    }

    /// <summary>A CPU copy (copies back from device memory; a CPU matrix returns a new copy).</summary>
    public Matrix ToCpu() => Device.Kind == DeviceKind.Cpu ? Copy() : Device.Backend.Download(this);

    /// <summary>A deep copy on the same device.</summary>
    public Matrix Copy()
    {
        if (Device.Kind != DeviceKind.Cpu) return Device.Backend.Copy(this);
        var m = new Matrix(Rows, Cols, DType, Device)
        {
            F64 = (double[]?)F64?.Clone(),
            F32 = (float[]?)F32?.Clone(),
        };
        return m;
    }

    /// <summary>A copy converted to another element type (same device).</summary>
    public Matrix AsType(DType dtype)
    {
        if (dtype == DType) return Copy();
        if (Device.Kind != DeviceKind.Cpu) return Device.Backend.Convert(this, dtype);
        var m = Host(Rows, Cols, dtype);
        if (dtype == DType.F32) for (long k = 0; k < Length; k++) m.F32![k] = (float)F64![k];
        else for (long k = 0; k < Length; k++) m.F64![k] = F32![k];
        return m;
    }

    /// <summary>Releases device memory; on CPU gives pooled storage back to its <see cref="HostArrayPool"/>
    /// (the matrix has no storage afterwards), else does nothing.</summary>
    public void Dispose()
    {
        if (isView) return; // the owner releases the storage
        Buffer?.Dispose();
        Buffer = null;
        if (pool is null) return;
        Array? storage = (Array?)F32 ?? F64;
        F32 = null; F64 = null; released = true;
        if (storage is not null) pool.Return(storage);
        pool = null;
    }

    private void CheckIndex(int i, int j)
    {
        if (Device.Kind != DeviceKind.Cpu || released) throw new ComputeException(HostOnly("element access"));
        if ((uint)i >= (uint)Rows || (uint)j >= (uint)Cols)
            throw new IndexOutOfRangeException($"Index ({i}, {j}) is outside the {Rows}×{Cols} matrix.");
    }

    private string HostOnly(string what) =>
        released ? $"{what}: this {ShapeText} matrix was disposed and its pooled storage given back (HostArrayPool); keep it undisposed while you use it."
        : Device.Kind == DeviceKind.Cpu ? $"{what} does not match this {ShapeText} matrix's element type; convert it with AsType first."
        : $"{what} needs a CPU matrix, but this {ShapeText} matrix is on {Device.Name}. Call ToCpu() first (an explicit transfer).";

    /// <inheritdoc />
    public override string ToString() => $"Matrix {ShapeText} on {Device.Name}";
}
