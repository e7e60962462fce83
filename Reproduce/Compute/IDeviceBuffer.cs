namespace Reproduce.Compute;

/// <summary>Memory owned by a non-CPU backend (e.g. a CUDA allocation). Disposing returns it to the pool.</summary>
public interface IDeviceBuffer : IDisposable
{
    /// <summary>Size in bytes.</summary>
    long Bytes { get; }
}
