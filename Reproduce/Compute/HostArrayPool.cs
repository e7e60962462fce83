namespace Reproduce.Compute;

/// <summary>Reuses the storage of large CPU matrices inside a scope, the CPU counterpart of the CUDA
/// backend's buffer pool. Why: a training step allocates about a gigabyte of activations and
/// gradients; as fresh arrays every step, the operating system maps and zeroes their pages again on
/// first touch, and that touch happens inside the next GEMM (OpenBLAS's C ← β·C with β = 0), where it
/// halved the step's GEMM rate. While a pool is active on a thread (<see cref="Activate"/>), CPU
/// matrices of at least <see cref="MinLength"/> elements allocated on that thread take an array of
/// exactly their length from the pool, and their <see cref="Matrix.Dispose"/> gives it back; a
/// disposed pooled matrix has no storage, so a use after dispose fails loudly instead of reading
/// another matrix's data. Arrays are handed out cleared unless the caller overwrites every element.
/// Thread-safe; the pool keeps at most <see cref="MaxPooledBytes"/> of idle arrays.</summary>
public sealed class HostArrayPool
{
    /// <summary>Below this many elements an array is a cheap small-object allocation: not pooled.</summary>
    public const long MinLength = 1 << 14;

    [ThreadStatic] private static HostArrayPool? current;

    private readonly Dictionary<(long Length, DType DType), Stack<Array>> idle = new();
    private readonly object gate = new();
    private long idleBytes;

    /// <summary>A pool that keeps at most <paramref name="maxPooledBytes"/> of idle arrays (default 4 GiB).</summary>
    public HostArrayPool(long maxPooledBytes = 4L << 30) => MaxPooledBytes = maxPooledBytes;

    /// <summary>Idle arrays beyond this many bytes are left to the garbage collector.</summary>
    public long MaxPooledBytes { get; }

    /// <summary>Bytes held idle now.</summary>
    public long IdleBytes { get { lock (gate) return idleBytes; } }

    /// <summary>Arrays handed out that came from the pool (not newly allocated), since creation.</summary>
    public long Reuses { get; private set; }

    /// <summary>Arrays handed out, reused or newly allocated, since creation (Rents − Reuses were allocated).</summary>
    public long Rents { get; private set; }

    /// <summary>Makes this pool the current thread's until the returned scope is disposed (scopes nest;
    /// the previous pool comes back).</summary>
    public Scope Activate()
    {
        var previous = current;
        current = this;
        return new Scope(previous);
    }

    /// <summary>Drops every idle array.</summary>
    public void Trim() { lock (gate) { idle.Clear(); idleBytes = 0; } }

    /// <summary>The active pool of this thread when <paramref name="length"/> is worth pooling, else null.</summary>
    internal static HostArrayPool? For(long length) => length >= MinLength ? current : null;

    internal float[] RentF32(long length, bool clear) => (float[])Rent(length, DType.F32, clear);

    internal double[] RentF64(long length, bool clear) => (double[])Rent(length, DType.F64, clear);

    private Array Rent(long length, DType dtype, bool clear)
    {
        Array? a = null;
        lock (gate)
        {
            Rents++;
            if (idle.TryGetValue((length, dtype), out var stack) && stack.Count > 0)
            {
                a = stack.Pop();
                idleBytes -= Bytes(a);
                Reuses++;
            }
        }
        if (a is null) return dtype == DType.F32 ? new float[length] : new double[length];
        if (clear) Array.Clear(a);
        return a;
    }

    internal void Return(Array a)
    {
        long bytes = Bytes(a);
        var key = ((long)a.Length, a is float[] ? DType.F32 : DType.F64);
        lock (gate)
        {
            if (idleBytes + bytes > MaxPooledBytes) return;
            if (!idle.TryGetValue(key, out var stack)) idle[key] = stack = new Stack<Array>();
            stack.Push(a);
            idleBytes += bytes;
        }
    }

    private static long Bytes(Array a) => (long)a.Length * (a is float[] ? sizeof(float) : sizeof(double));

    /// <summary>Restores the thread's previous pool when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly HostArrayPool? previous;
        internal Scope(HostArrayPool? previous) => this.previous = previous;
        /// <summary>Deactivates the pool.</summary>
        public void Dispose() => current = previous;
    }
}
