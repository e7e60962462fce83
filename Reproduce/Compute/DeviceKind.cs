namespace Reproduce.Compute;

/// <summary>Where a matrix lives.</summary>
public enum DeviceKind
{
    /// <summary>Host memory, computed by a CPU backend.</summary>
    Cpu,
    /// <summary>NVIDIA GPU memory, computed by the CUDA backend.</summary>
    Cuda,
}
