namespace Reproduce.Tests.Parts;

/// <summary>A theory that needs optional parts: every row is skipped with the part and its install command when one is missing.</summary>
public sealed class RequiresTheoryAttribute : TheoryAttribute
{
    public RequiresTheoryAttribute(params Part[] parts)
    {
        if (OptionalParts.SkipReason(parts) is { } reason) Skip = reason;
    }
}
