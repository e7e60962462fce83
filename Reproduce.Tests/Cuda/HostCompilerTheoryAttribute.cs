using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Cuda;

/// <summary>A theory that needs a host C++ compiler (see <see cref="HostCompilerFactAttribute"/>).</summary>
public sealed class HostCompilerTheoryAttribute : TheoryAttribute
{
    public HostCompilerTheoryAttribute()
    {
        if (HostCompilerFactAttribute.Compiler is null) Skip = OptionalParts.SkipReason(Part.HostCompiler);
    }
}
