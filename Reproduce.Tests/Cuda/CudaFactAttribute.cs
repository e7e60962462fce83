using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Cuda;

/// <summary>A fact that needs a usable CUDA device; elsewhere it reports "skipped: needs Cuda: no CUDA device; …".</summary>
public sealed class CudaFactAttribute : FactAttribute
{
    public CudaFactAttribute()
    {
        if (OptionalParts.SkipReason(Part.Cuda) is { } reason) Skip = reason;
    }
}
