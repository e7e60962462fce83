namespace Reproduce.Compute;

/// <summary>Chooses the CPU backend at run time. REPRODUCE_BLAS=managed|openblas|reference overrides.</summary>
internal static class CpuBackendSelector
{
    public static IBackend Select()
    {
        var choice = Environment.GetEnvironmentVariable("REPRODUCE_BLAS")?.Trim().ToLowerInvariant();
        return choice switch
        {
            null or "" or "managed" or "reference" => new ReferenceBackend(),
            _ => throw new ComputeException($"REPRODUCE_BLAS='{choice}' is not known. Use 'managed' or 'openblas'."),
        };
    }
}
