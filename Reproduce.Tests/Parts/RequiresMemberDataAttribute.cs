using System.Reflection;

namespace Reproduce.Tests.Parts;

/// <summary>Theory rows (like <see cref="MemberDataAttribute"/>) that need an optional part, e.g. the
/// "openblas" rows of a backend theory: skipped row by row, with the part and its install command,
/// when the part is missing, while the theory's other rows still run.</summary>
public sealed class RequiresMemberDataAttribute : MemberDataAttributeBase
{
    public RequiresMemberDataAttribute(Part part, string memberName, params object[] parameters) : base(memberName, parameters)
    {
        if (OptionalParts.SkipReason(part) is { } reason) Skip = reason;
    }

    protected override object[] ConvertDataItem(MethodInfo testMethod, object item) =>
        item as object[] ?? throw new ArgumentException($"{MemberName} must yield object[] rows for {testMethod.Name}.");
}
