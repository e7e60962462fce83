using Reproduce.Experiments;
using Reproduce.Serving;
using Xunit.Abstractions;

namespace Reproduce.Tests.Serving;

public class KlpmExperimentTests(ITestOutputHelper output)
{
    private static readonly RunContext Smoke = new(Scale.Smoke, 20241);

    private FigureResult Check(Func<RunContext, FigureResult> experiment, string id)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var sink = new ClaimSink();
        FigureResult r;
        using (sink.Activate()) r = experiment(Smoke);
        output.WriteLine($"{id}: {sw.Elapsed.TotalSeconds:F1} s");
        foreach (var c in r.Claims) output.WriteLine(c.ToString());
        output.WriteLine(r.Notes ?? "");
        output.WriteLine(r.Data.ToString());
        Assert.Equal(id, r.Id);
        Assert.True(r.Data.RowCount > 0);
        Assert.NotEmpty(r.Claims);
        Assert.NotNull(r.Verdict); // every figure carries a verdict computed by the run
        output.WriteLine(r.Verdict.ToString());
        Assert.All(r.Claims, c => Assert.True(c.Pass, c.ToString()));
        Assert.NotNull(ExperimentRegistry.Find(id));
        _ = r.Figure.ToJsonString();
        return r;
    }

    [Fact] public void P99VersusRate() => Check(KlpmExperiments.P99VersusRate, "klpm/p99-vs-rate");
    [Fact] public void Percentiles() => Check(KlpmExperiments.Percentiles, "klpm/percentiles");
    [Fact] public void PrefixRatio() => Check(KlpmExperiments.PrefixRatio, "klpm/prefix-ratio");
    [Fact] public void HitRateThroughput() => Check(KlpmExperiments.HitRateThroughput, "klpm/hit-rate-throughput");
    [Fact] public void BruteForceOptimal() => Check(KlpmExperiments.BruteForceOptimal, "klpm/bruteforce-optimal");
    [Fact] public void Brew360Attention() => Check(KlpmExperiments.Brew360Attention, "klpm/brew360-attn");
    [Fact] public void Definition4MaxTtft() => Check(KlpmExperiments.Definition4MaxTtft, "klpm/def4-maxttft");
}
