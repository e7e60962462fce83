using Reproduce.Experiments;
using Reproduce.Rounding;

namespace Reproduce.Tests.Rounding;

public class RoundingExperimentTests
{
    private static readonly RunContext Smoke = new(Scale.Smoke, 20241, Reproduce.Compute.Device.Cpu);

    private static void AssertAllPass(FigureResult r)
    {
        Assert.NotEmpty(r.Claims);
        Assert.True(r.AllPass, string.Join("\n", r.Claims.Where(c => !c.Pass)));
        Assert.NotNull(r.Verdict); // every figure carries a verdict computed by the run
        Assert.True(r.Data.RowCount > 0);
        Assert.NotEmpty(r.Figure.Traces);
    }

    [Fact] public void S51RankDeficientSmoke() => AssertAllPass(RoundingExperiments.S51RankDeficient(Smoke));

    [Fact] public void S52NuSmoke() => AssertAllPass(RoundingExperiments.S52Nu(Smoke));

    [Fact] public void S53FullRankSmoke() => AssertAllPass(RoundingExperiments.S53FullRank(Smoke));

    [Fact] public void DemoFloatSmoke() => AssertAllPass(RoundingExperiments.DemoFloat(Smoke));
}
