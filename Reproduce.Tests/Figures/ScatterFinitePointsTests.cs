using Reproduce.Figures;
using Xunit;

namespace Reproduce.Tests.Figures;

public class ScatterFinitePointsTests
{
    [Fact]
    public void KeepsOnlyFinitePointsInOrder()
    {
        var t = ScatterTrace.OfFinitePoints("t", [1, 2, 3, 4], [double.NaN, 5, double.PositiveInfinity, 7])!;
        Assert.Equal([2.0, 4.0], t.X);
        Assert.Equal([5.0, 7.0], t.Y);
    }

    [Fact]
    public void NoFinitePointGivesNoTrace() =>
        Assert.Null(ScatterTrace.OfFinitePoints("t", [1, 2], [double.NaN, double.NaN]));

    [Fact]
    public void LengthMismatchIsAnError() =>
        Assert.Throws<ArgumentException>(() => ScatterTrace.OfFinitePoints("t", [1, 2], [1]));
}
