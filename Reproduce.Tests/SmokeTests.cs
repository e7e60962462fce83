using Reproduce.Compute;
using Reproduce.Experiments;

namespace Reproduce.Tests;

public class ClaimTests
{
    [Fact]
    public void FailedClaimOutsideRunnerThrows() =>
        Assert.Throws<ClaimFailedException>(() => Claim.Less("x below 1", 2, 1));

    [Fact]
    public void SinkCollectsInsteadOfThrowing()
    {
        var sink = new ClaimSink();
        using (sink.Activate()) Claim.Near("near", 1.1, 1.0, rel: 0.01);
        Assert.Single(sink.Claims);
        Assert.False(sink.Claims[0].Pass);
    }

    [Fact]
    public void RngForksAreIndependentOfOrder()
    {
        var a = new Rng(7).Fork("x").Uniform();
        var r = new Rng(7);
        r.Fork("y").Uniform();
        Assert.Equal(a, r.Fork("x").Uniform());
    }
}
