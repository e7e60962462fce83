using System.Diagnostics;
using Reproduce.Experiments;
using Reproduce.Stability;

namespace Reproduce.Tests.Stability;

public class SgdStabilityExperimentsTests
{
    private static readonly RunContext Smoke = new(Scale.Smoke, 20241, Reproduce.Compute.Device.Cpu);

    private static void AssertAllPass(FigureResult r)
    {
        Assert.True(r.AllPass, string.Join("\n", r.Claims.Where(c => !c.Pass)));
        Assert.True(r.Data.RowCount > 0);
        Assert.NotEmpty(r.Figure.ToJsonString());
        Assert.NotNull(r.Verdict); // every figure carries a verdict written from its numbers
    }

    [Fact]
    public void Figure1SmokeClaimsPass()
    {
        var r = SgdStabilityExperiments.Figure1(Smoke);
        AssertAllPass(r);
        Assert.Equal(72, r.Data.RowCount);
        Assert.Equal("sgd-stability/fig1", r.Id);
    }

    [Fact]
    public void Figure1BernoulliSmokeClaimsPass() => AssertAllPass(SgdStabilityExperiments.Figure1Bernoulli(Smoke));

    [Fact]
    public void Figure1IsDeterministicForASeed()
    {
        var a = SgdStabilityExperiments.Figure1(Smoke).Data.ToCsv();
        var b = SgdStabilityExperiments.Figure1(Smoke).Data.ToCsv();
        Assert.Equal(a, b);
    }

    [Fact]
    public void Theorem1SweepSmokeClaimsPass() => AssertAllPass(SgdStabilityExperiments.Theorem1Sweep(Smoke));

    [Fact]
    public void CriticalEtaSmokeClaimsPass() => AssertAllPass(SgdStabilityExperiments.CriticalStepSizeVersusBatch(Smoke));

    [Fact]
    public void ExperimentsAreRegistered()
    {
        var ids = typeof(SgdStabilityExperiments).GetMethods()
            .Select(m => m.GetCustomAttributes(typeof(ExperimentAttribute), false).Cast<ExperimentAttribute>().FirstOrDefault()?.Id)
            .Where(id => id is not null).ToArray();
        Assert.Contains("sgd-stability/fig1", ids);
        Assert.Contains("sgd-stability/thm1-sweep", ids);
        Assert.Contains("sgd-stability/critical-eta", ids);
    }
}
