namespace Reproduce.Compute.Cuda;

/// <summary>One device allocation from a <see cref="CudaMemoryPool"/>. Dispose returns it to the
/// pool at once; an undisposed buffer is returned by its finalizer.</summary>
public sealed class CudaBuffer : IDeviceBuffer
{
    private readonly CudaMemoryPool _pool;
    private readonly long _sizeClass;
    private int _disposed;

    internal CudaBuffer(CudaMemoryPool pool, ulong ptr, long sizeClass, long bytes)
    {
        _pool = pool;
        Ptr = ptr;
        _sizeClass = sizeClass;
        Bytes = bytes;
    }

    /// <summary>The device pointer (CUdeviceptr).</summary>
    public ulong Ptr { get; }

    /// <inheritdoc />
    public long Bytes { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _pool.Return(Ptr, _sizeClass, fromFinalizer: false);
            GC.SuppressFinalize(this);
        }
    }

    ~CudaBuffer()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _pool.Return(Ptr, _sizeClass, fromFinalizer: true);
    }
}
