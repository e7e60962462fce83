using Reproduce.Tests.Parts;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>A fact that is skipped, with the reason and the install command, when the clp binary is absent.</summary>
public sealed class ClpFactAttribute : FactAttribute
{
    public ClpFactAttribute() { if (OptionalParts.SkipReason(Part.Clp) is { } reason) Skip = reason; }
}

/// <summary>A theory that is skipped, with the reason and the install command, when the clp binary is absent.</summary>
public sealed class ClpTheoryAttribute : TheoryAttribute
{
    public ClpTheoryAttribute() { if (OptionalParts.SkipReason(Part.Clp) is { } reason) Skip = reason; }
}
