using System.Collections.Concurrent;

namespace Reproduce.Compute.Cuda;

/// <summary>A caching allocator for device memory. Sizes are rounded to size classes (powers of
/// two up to 1 MiB, then multiples of 2 MiB) and freed blocks are kept per class for reuse, so
/// a loop that allocates and disposes the same shapes reaches a steady state with no cuMemAlloc
/// calls and no growth. Blocks released by the finalizer (an undisposed matrix) are queued and
/// returned on the next allocation, on a thread that holds the CUDA context.
/// On out-of-memory the cache is emptied, pending frees are collected, and the allocation retried.</summary>
public sealed class CudaMemoryPool
{
    private readonly Dictionary<long, Stack<ulong>> _free = [];
    private readonly ConcurrentQueue<(ulong Ptr, long Size)> _pending = new();
    private readonly Lock _gate = new();
    private readonly Action _makeCurrent;

    internal CudaMemoryPool(Action makeCurrent) => _makeCurrent = makeCurrent;

    /// <summary>Bytes handed out and not yet returned.</summary>
    public long BytesInUse { get; private set; }

    /// <summary>Bytes held in the cache for reuse.</summary>
    public long BytesCached { get; private set; }

    /// <summary>cuMemAlloc calls made so far.</summary>
    public long DeviceAllocations { get; private set; }

    /// <summary>The size class a request is rounded to.</summary>
    public static long SizeClass(long bytes)
    {
        if (bytes <= 256) return 256;
        const long twoMiB = 2L << 20;
        if (bytes <= (1L << 20)) return (long)System.Numerics.BitOperations.RoundUpToPowerOf2((ulong)bytes);
        return (bytes + twoMiB - 1) / twoMiB * twoMiB;
    }

    internal CudaBuffer Allocate(long bytes)
    {
        long size = SizeClass(Math.Max(bytes, 1));
        lock (_gate)
        {
            DrainPending();
            BytesInUse += size;
            if (_free.TryGetValue(size, out var stack) && stack.Count > 0)
            {
                BytesCached -= size;
                return new CudaBuffer(this, stack.Pop(), size, bytes);
            }
            _makeCurrent();
            int rc = CuDriver.TryAlloc((nuint)size, out var ptr);
            if (rc == 2) // CUDA_ERROR_OUT_OF_MEMORY: give back everything cached, then retry once.
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                DrainPending();
                TrimLocked();
                rc = CuDriver.TryAlloc((nuint)size, out ptr);
            }
            if (rc != 0)
            {
                BytesInUse -= size;
                var (free, total) = CuDriver.MemoryInfo();
                throw new CudaException($"Out of GPU memory allocating {bytes / 1048576.0:F1} MiB (free {free / 1048576.0:F0} of {total / 1048576.0:F0} MiB). Dispose matrices you no longer need, or use smaller blocks.");
            }
            DeviceAllocations++;
            return new CudaBuffer(this, ptr, size, bytes);
        }
    }

    internal void Return(ulong ptr, long size, bool fromFinalizer)
    {
        if (fromFinalizer)
        {
            _pending.Enqueue((ptr, size));
            return;
        }
        lock (_gate) ReturnLocked(ptr, size);
    }

    private void ReturnLocked(ulong ptr, long size)
    {
        BytesInUse -= size;
        BytesCached += size;
        if (!_free.TryGetValue(size, out var stack)) _free[size] = stack = new Stack<ulong>();
        stack.Push(ptr);
    }

    private void DrainPending()
    {
        while (_pending.TryDequeue(out var p)) ReturnLocked(p.Ptr, p.Size);
    }

    /// <summary>Frees every cached block back to the driver.</summary>
    public void Trim()
    {
        lock (_gate) { DrainPending(); TrimLocked(); }
    }

    private void TrimLocked()
    {
        _makeCurrent();
        foreach (var (_, stack) in _free)
            while (stack.Count > 0) CuDriver.Free(stack.Pop());
        BytesCached = 0;
    }
}
