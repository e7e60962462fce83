using Reproduce.Compute;

namespace Reproduce.Tests.Parts;

/// <summary>A fact about the CPU backend chosen by default: needs OpenBLAS, and no <see cref="CpuBackendSelector.Variable"/>
/// override in the environment (it replaces the default). Either missing reports a skip that names it.</summary>
public sealed class DefaultCpuBackendFactAttribute : FactAttribute
{
    public DefaultCpuBackendFactAttribute()
    {
        if (OptionalParts.SkipReason(Part.OpenBlas) is { } reason) Skip = reason;
        else if (Environment.GetEnvironmentVariable(CpuBackendSelector.Variable) is { Length: > 0 } value)
            Skip = $"skipped: {CpuBackendSelector.Variable}={value} overrides the default CPU backend; unset it to check the default";
    }
}
