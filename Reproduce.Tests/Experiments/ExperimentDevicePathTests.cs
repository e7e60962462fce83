using System.Diagnostics;
using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Tests.Compute.Simulated;
using Xunit.Abstractions;

namespace Reproduce.Tests.Experiments;

/// <summary>Runs every registered experiment at smoke scale on the CPU and on the simulated
/// accelerator (<see cref="HostAccelerator"/>): the accelerator path must complete, and make the same
/// claims with the same verdicts as the CPU run. CI has no GPU, so this is where code that reads
/// device data from the host (instead of moving it with an explicit transfer) gets caught.</summary>
public class ExperimentDevicePathTests(ITestOutputHelper output)
{
    /// <summary>Experiments whose claim list depends on wall time: logistic-complexity/fig1a adds its MIP claims only for
    /// subsamples CBC solves within its 2-second smoke-scale limit.</summary>
    private static readonly HashSet<string> WallClockLimited = ["logistic-complexity/fig1a"];

    /// <summary>The seed the notebooks use.</summary>
    private const ulong Seed = 20241;

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var e in ExperimentRegistry.All) data.Add(e.Id);
        return data;
    }

    /// <summary>What a run produced: its claims and result, or the exception it ended with.</summary>
    private sealed record Outcome(IReadOnlyList<Claim> Claims, FigureResult? Result, Exception? Error, double Seconds);

    private static Outcome Run(string id, Device device)
    {
        var sink = new ClaimSink();
        var ctx = new RunContext(Scale.Smoke, Seed, device, Path.Combine(Path.GetTempPath(), "reproduce-devicepath", device.Kind.ToString()));
        var clock = Stopwatch.StartNew();
        try
        {
            FigureResult result;
            using (sink.Activate()) result = ExperimentRegistry.Find(id).Run(ctx);
            return new Outcome(sink.Claims, result, null, clock.Elapsed.TotalSeconds);
        }
        catch (Exception e)
        {
            return new Outcome(sink.Claims, null, e, clock.Elapsed.TotalSeconds);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void AcceleratorPathMatchesCpu(string id)
    {
        var cpu = Run(id, Device.Cpu);
        var sim = Run(id, HostAccelerator.Shared);
        output.WriteLine($"{id}: cpu {cpu.Seconds:F2} s, simulated accelerator {sim.Seconds:F2} s, {sim.Claims.Count} claims");
        if (cpu.Error is not null)
        {
            // An optional system part is missing (or the experiment fails on the CPU): the accelerator run must say the same.
            Assert.True(sim.Error is not null, $"CPU run failed ({cpu.Error.GetType().Name}: {cpu.Error.Message}) but the accelerator run did not.");
            Assert.Equal(cpu.Error.GetType(), sim.Error!.GetType());
            Assert.Equal(cpu.Error.Message, sim.Error.Message);
            return;
        }
        Assert.True(sim.Error is null, $"The accelerator run failed where the CPU run did not:\n{sim.Error}");
        var (cpuClaims, simClaims) = (cpu.Claims, sim.Claims);
        if (WallClockLimited.Contains(id))
        {
            // Claims that exist only when a time-limited external solver finished may appear in one run and not the
            // other on a loaded machine; compare the claims both runs made.
            var both = cpuClaims.Select(c => c.Name).Intersect(simClaims.Select(c => c.Name)).ToHashSet();
            (cpuClaims, simClaims) = (cpuClaims.Where(c => both.Contains(c.Name)).ToList(), simClaims.Where(c => both.Contains(c.Name)).ToList());
        }
        Assert.Equal(cpuClaims.Select(c => c.Name), simClaims.Select(c => c.Name));
        var verdicts = cpuClaims.Zip(simClaims).Where(p => p.First.Pass != p.Second.Pass)
            .Select(p => $"{p.First.Name}: CPU {(p.First.Pass ? "pass" : "FAIL")} ({p.First.Actual}), accelerator {(p.Second.Pass ? "pass" : "FAIL")} ({p.Second.Actual})").ToArray();
        Assert.True(verdicts.Length == 0, "Verdicts differ:\n" + string.Join("\n", verdicts));
        Assert.Equal(cpu.Result!.Data.Columns, sim.Result!.Data.Columns);
        Assert.Equal(cpu.Result.Data.RowCount, sim.Result.Data.RowCount);
        // Values may differ in the last digits (accelerator paths order sums differently, e.g. Ops products in
        // the IPM instead of CPU loops) or in timings; they are listed for the reader, the verdicts are the test.
        foreach (var (c, s) in cpuClaims.Zip(simClaims))
            if (c.Actual != s.Actual) output.WriteLine($"  differs: {c.Name}: CPU {c.Actual}, accelerator {s.Actual}");
    }
}
