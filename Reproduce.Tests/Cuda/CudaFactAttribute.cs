using Reproduce.Compute;

namespace Reproduce.Tests.Cuda;

/// <summary>A fact that needs a usable CUDA device; elsewhere it reports "skipped: no CUDA device".</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (!Device.CudaAvailable) Skip = "skipped: no CUDA device";
    }
}
