namespace Reproduce.Compute;

/// <summary>Chooses the CPU backend at run time. REPRODUCE_BLAS=openblas|managed|reference
/// overrides; unset, OpenBLAS is used when libopenblas.so.0 and liblapacke.so.3 load, else the
/// managed backend. Asking for OpenBLAS where it cannot load is an error naming the missing
/// library and the Debian package, never a silent fallback.</summary>
public static class CpuBackendSelector
{
    /// <summary>The environment variable that overrides the choice.</summary>
    public const string Variable = "REPRODUCE_BLAS";

    /// <summary>The backend REPRODUCE_BLAS asks for, or the default.</summary>
    public static IBackend Select() => Create(Environment.GetEnvironmentVariable(Variable));

    /// <summary>The backend named by <paramref name="choice"/> ("openblas", "managed", "reference"; null or empty = default).</summary>
    public static IBackend Create(string? choice, int threads = 0)
    {
        var c = choice?.Trim().ToLowerInvariant();
        switch (c)
        {
            case null or "" or "auto":
                return (IBackend?)OpenBlasCpuBackend.TryCreate(out _, threads) ?? new ManagedCpuBackend(threads);
            case "openblas" or "native":
                return OpenBlasCpuBackend.TryCreate(out var error, threads)
                    ?? throw new ComputeException($"{Variable}=openblas was asked for, but {error} Or set {Variable}=managed.");
            case "managed":
                return new ManagedCpuBackend(threads);
            case "reference":
                return new ReferenceBackend();
            default:
                throw new ComputeException($"{Variable}='{choice}' is not known. Use 'openblas', 'managed' or 'reference' (or leave it unset for OpenBLAS when installed, else managed).");
        }
    }
}
