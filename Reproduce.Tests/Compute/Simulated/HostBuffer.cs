using Reproduce.Compute;

namespace Reproduce.Tests.Compute.Simulated;

/// <summary>The "device memory" of <see cref="HostAccelerator"/>: a CPU matrix that only the
/// simulator's backend can reach (through <see cref="Matrix.Buffer"/>). Code outside the backend sees
/// a matrix whose device is not the CPU, so element access, <c>Span</c> and friends throw exactly
/// as they do for a real CUDA allocation.</summary>
public sealed class HostBuffer : IDeviceBuffer
{
    private Matrix? _host;

    internal HostBuffer(Matrix host)
    {
        if (host.Device.Kind != DeviceKind.Cpu) throw new ArgumentException($"A host buffer wraps a CPU matrix, got {host}.", nameof(host));
        _host = host;
        Bytes = host.Length * (host.DType == DType.F64 ? 8 : 4);
    }

    /// <inheritdoc />
    public long Bytes { get; }

    /// <summary>The wrapped CPU matrix; throws after <see cref="Dispose"/> (use after free).</summary>
    internal Matrix Host => _host ?? throw new ObjectDisposedException(nameof(HostBuffer), "This simulated device buffer was disposed and is used again (on a GPU: a use after free).");

    /// <inheritdoc />
    public void Dispose() => _host = null;
}
