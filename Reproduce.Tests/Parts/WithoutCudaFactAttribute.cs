namespace Reproduce.Tests.Parts;

/// <summary>A fact about what happens on a machine without a usable GPU (asking for CUDA is a clear error, never a
/// fallback). Where CUDA is usable the fact cannot be checked, so it reports a skip saying so instead of passing.</summary>
public sealed class WithoutCudaFactAttribute : FactAttribute
{
    public WithoutCudaFactAttribute()
    {
        if (OptionalParts.Has(Part.Cuda))
            Skip = "skipped: checks the error for CUDA on a machine without a GPU, and CUDA is usable here (the [CudaFact] parity tests run instead)";
    }
}
