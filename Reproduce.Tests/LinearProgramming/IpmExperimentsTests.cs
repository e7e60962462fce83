using System.Diagnostics;
using Reproduce.Experiments;
using Reproduce.LinearProgramming;
using Xunit.Abstractions;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>Every experiment runs at smoke scale and its claims pass.</summary>
public class IpmExperimentsTests(ITestOutputHelper output)
{
    private static readonly RunContext Ctx = new(Scale.Smoke, 20241, Reproduce.Compute.Device.Cpu);

    private void Check(Func<RunContext, FigureResult> experiment)
    {
        var sw = Stopwatch.StartNew();
        var sink = new ClaimSink();
        FigureResult r;
        using (sink.Activate()) r = experiment(Ctx);
        output.WriteLine($"{r.Id}: {sw.Elapsed.TotalSeconds:F1} s");
        foreach (var c in r.Claims) output.WriteLine(c.ToString());
        output.WriteLine(r.Data.ToMarkdown(60));
        Assert.True(r.AllPass, string.Join("\n", r.Claims.Where(c => !c.Pass)));
        output.WriteLine(r.Verdict?.ToString() ?? "no verdict");
        Assert.NotNull(r.Verdict); // every figure carries a verdict computed by the run
        Assert.True(r.Data.RowCount > 0);
    }

    [Fact] public void Table1() => Check(IpmExperiments.Table1);
    [Fact] public void Figure1() => Check(IpmExperiments.Figure1);
    [Fact] public void Figure2() => Check(IpmExperiments.Figure2);
    [Fact] public void Figure3() => Check(IpmExperiments.Figure3);
    [Fact] public void Table2() => Check(IpmExperiments.Table2);
    [Fact] public void Figure4() => Check(IpmExperiments.Figure4);
    [Fact] public void ChebyshevDemo() => Check(IpmExperiments.ChebyshevDemo);
    [Fact] public void P3VersusN() => Check(IpmExperiments.P3VersusN);
    [Fact] public void P3VersusEpsilon() => Check(IpmExperiments.P3VersusEpsilon);
    [Fact] public void P3Feasibility() => Check(IpmExperiments.P3Feasibility);
    [Fact] public void BenchmarkClp() => Check(IpmExperiments.BenchmarkClp);
}
