using Reproduce.Experiments;
using Reproduce.Logistic;

namespace Reproduce.Tests.Logistic;

public class LogisticExperimentsTests
{
    private static void AllPass(FigureResult r)
    {
        var failed = r.Claims.Where(c => !c.Pass).Select(c => c.ToString()).ToArray();
        Assert.True(failed.Length == 0, string.Join("\n", failed));
        Assert.NotEmpty(r.Claims);
        Assert.True(r.Data.RowCount > 0);
        Assert.NotNull(r.Verdict); // every figure carries a verdict computed by the run
    }

    [Fact] public void Fig1aSmoke() => AllPass(LogisticExperiments.Fig1a(new RunContext(Scale.Smoke)));
    [Fact] public void Fig1bSmoke() => AllPass(LogisticExperiments.Fig1b(new RunContext(Scale.Smoke)));
    [Fact] public void CoresetSmoke() => AllPass(LogisticExperiments.Coresets(new RunContext(Scale.Smoke)));
    [Fact] public void SketchSmoke() => AllPass(LogisticExperiments.FeatureSketching(new RunContext(Scale.Smoke)));
}
