namespace Reproduce.Tests.Parts;

/// <summary>A fact that needs optional parts: skipped with the part and its install command when one is missing.</summary>
public sealed class RequiresFactAttribute : FactAttribute
{
    public RequiresFactAttribute(params Part[] parts)
    {
        if (OptionalParts.SkipReason(parts) is { } reason) Skip = reason;
    }
}
