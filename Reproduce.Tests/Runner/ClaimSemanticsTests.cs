using Reproduce.Experiments;

namespace Reproduce.Tests.Runner;

/// <summary>Claim semantics the runner relies on (collected inside a sink, thrown outside it).</summary>
public class ClaimSemanticsTests
{
    private static Claim InSink(Func<Claim> make)
    {
        var sink = new ClaimSink();
        using (sink.Activate()) return make();
    }

    [Theory]
    [InlineData(1.0, 1.0, 0.0, 0.0, true)]      // exact
    [InlineData(1.5, 1.0, 0.5, 0.0, true)]      // the boundary of the relative tolerance is inside
    [InlineData(1.51, 1.0, 0.5, 0.0, false)]
    [InlineData(0.005, 0.0, 0.5, 0.01, true)]   // relative tolerance of 0 is 0: abs decides
    [InlineData(0.02, 0.0, 0.5, 0.01, false)]
    [InlineData(double.NaN, 1.0, 1.0, 1.0, false)]
    public void NearUsesTheLargerOfRelativeAndAbsoluteTolerance(double actual, double expected, double rel, double abs, bool pass) =>
        Assert.Equal(pass, InSink(() => Claim.Near("n", actual, expected, rel, abs)).Pass);

    [Fact]
    public void BoundsAreStrictOrInclusiveAsNamed()
    {
        Assert.False(InSink(() => Claim.Less("l", 1, 1)).Pass);
        Assert.True(InSink(() => Claim.LessOrEqual("le", 1, 1)).Pass);
        Assert.False(InSink(() => Claim.Greater("g", 1, 1)).Pass);
        Assert.True(InSink(() => Claim.GreaterOrEqual("ge", 1, 1)).Pass);
        Assert.True(InSink(() => Claim.InRange("r", 2, 2, 3)).Pass);
        Assert.False(InSink(() => Claim.InRange("r", 3.0001, 2, 3)).Pass);
        Assert.False(InSink(() => Claim.Less("nan", double.NaN, 1)).Pass);
    }

    [Fact]
    public void ClaimsRecordWhatWasExpectedAndMeasured()
    {
        var c = InSink(() => Claim.Less("error small", 0.5, 0.25));
        Assert.Equal("< 0.25", c.Expected);
        Assert.Equal("0.5", c.Actual);
        Assert.Equal("[FAIL] error small: expected < 0.25, got 0.5", c.ToString());
    }

    [Fact]
    public void SinkRaisesEachClaimAsItHappens()
    {
        var sink = new ClaimSink();
        var seen = new List<string>();
        sink.Collected += c => seen.Add(c.Name);
        using (sink.Activate())
        {
            Claim.That("first", true);
            Claim.That("second", false);
        }
        Assert.Equal(["first", "second"], seen);
        Assert.Null(ClaimSink.Current);
        Assert.Throws<ClaimFailedException>(() => Claim.That("outside", false));
    }

    [Fact]
    public void BadTolerancesAreRejected()
    {
        Assert.Throws<ArgumentException>(() => Claim.Near("x", 1, 1, rel: -1));
        Assert.Throws<ArgumentException>(() => Claim.InRange("x", 1, 3, 2));
    }
}
