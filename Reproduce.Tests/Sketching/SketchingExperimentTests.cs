using Reproduce.Experiments;
using Reproduce.Sketching;
using Xunit.Abstractions;

namespace Reproduce.Tests.Sketching;

public class SketchingExperimentTests(ITestOutputHelper output)
{
    private FigureResult Run(Func<RunContext, FigureResult> experiment)
    {
        var sink = new ClaimSink();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        FigureResult res;
        using (sink.Activate()) res = experiment(new RunContext(Scale.Smoke, seed: 20241, device: Reproduce.Compute.Device.Cpu));
        output.WriteLine($"{res.Id}: {sw.Elapsed.TotalSeconds:F2} s");
        foreach (var c in res.Claims) output.WriteLine(c.ToString());
        output.WriteLine(res.Notes ?? "");
        Assert.True(res.Data.RowCount > 0);
        Assert.NotEmpty(res.Figure.Traces);
        Assert.NotNull(res.Verdict); // every figure carries a verdict written from its numbers
        output.WriteLine(res.Verdict.ToString());
        Assert.All(res.Claims, c => Assert.True(c.Pass, c.ToString()));
        Assert.Contains(ExperimentRegistry.All, e => e.Id == res.Id);
        return res;
    }

    [Fact] public void RightSketchCost() => Run(SketchingExperiments.RightSketchCost);
    [Fact] public void AssignmentAgreement() => Run(SketchingExperiments.AssignmentAgreement);
    [Fact] public void LeftSketchCentres() => Run(SketchingExperiments.LeftSketchCentres);
    [Fact] public void TurnstileMemory() => Run(SketchingExperiments.TurnstileMemory);
    [Fact] public void SparseCodingError() => Run(SketchingExperiments.SparseCodingError);
    [Fact] public void RandomOrder() => Run(SketchingExperiments.RandomOrder);
    [Fact] public void FashionMnistSpeed() => Run(SketchingExperiments.FashionMnistSpeed);
}
