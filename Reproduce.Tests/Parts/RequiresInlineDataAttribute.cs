using System.Reflection;
using Xunit.Sdk;

namespace Reproduce.Tests.Parts;

/// <summary>One theory row (like <see cref="InlineDataAttribute"/>) that needs an optional part:
/// skipped, with the part and its install command, when the part is missing.</summary>
public sealed class RequiresInlineDataAttribute : DataAttribute
{
    private readonly object[] data;

    public RequiresInlineDataAttribute(Part part, params object[] data)
    {
        this.data = data;
        if (OptionalParts.SkipReason(part) is { } reason) Skip = reason;
    }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod) => [data];
}
