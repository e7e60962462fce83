namespace Reproduce.Tests.Figures;

/// <summary>The theory form of <see cref="ChromiumFactAttribute"/> (same skip reason).</summary>
public sealed class ChromiumTheoryAttribute : TheoryAttribute
{
    public ChromiumTheoryAttribute()
    {
        Skip = new ChromiumFactAttribute().Skip;
    }
}
