using System.CommandLine;
using Reproduce.Cli.Verbs;
using Reproduce.Compute;
using Reproduce.Nn;
using Reproduce.Tests.Compute.Simulated;

namespace Reproduce.Tests.Nn;

/// <summary>`reproduce nn check` and the device parity it runs with --device cuda (here against the
/// simulated accelerator, which computes with the CPU backend behind device-resident buffers).</summary>
[Collection("Console")]
public class NnVerbTests
{
    private static (int Code, string Out) Run(params string[] args)
    {
        var root = new RootCommand("test");
        root.Add(new NnVerb().Build());
        var old = Console.Out;
        var sw = new StringWriter();
        Console.SetOut(sw);
        try { return (root.Parse(args).Invoke(), sw.ToString()); }
        finally { Console.SetOut(old); }
    }

    [Fact]
    public void CheckPrintsOneLinePerCheckAndPasses()
    {
        var (code, output) = Run("nn", "check", "--steps", "60", "--torch", TorchReferenceTests.FixtureDirectory);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(0, code);
        Assert.Contains(lines, l => l.StartsWith("pass  gradcheck gpt: h.1.attn.c_attn.weight", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("pass  training on cpu", StringComparison.Ordinal));
        // --torch: the committed PyTorch outputs, learned and rotary positions, both precisions.
        foreach (var name in new[] { "pytorch f64 loss", "pytorch f32 grad wpe.weight", "pytorch rotary f64 grad h.1.attn.c_attn.weight", "pytorch rotary f32 logits" })
            Assert.Contains(lines, l => l.StartsWith("pass  " + name + " ", StringComparison.Ordinal));
        Assert.Matches(@"^\d+ passed, 0 failed", lines[^1]);
        Assert.DoesNotContain(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
    }

    /// <summary>A planted failure: one training step cannot take the validation loss from log V ≈ 4.3 nats
    /// below the unigram baseline (3.06), so the training check fails while every gradient check passes;
    /// the verb must say so and exit 1 (a CI script relies on the code, not on the text).</summary>
    [Fact]
    public void CheckExitsOneWhenACheckFails()
    {
        var (code, output) = Run("nn", "check", "--steps", "1");
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1, code);
        Assert.Single(lines, l => l.StartsWith("FAIL", StringComparison.Ordinal));
        Assert.StartsWith("FAIL  training on cpu (1 steps)", lines.Single(l => l.StartsWith("FAIL", StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.Matches(@"^\d+ passed, 1 failed", lines[^1]);
    }

    [Fact]
    public void BenchRunsAtTinySizeAndReportsEveryPart()
    {
        var (code, output) = Run("nn", "bench", "--layers", "1", "--dim", "16", "--heads", "2", "--batch", "2", "--seq", "8", "--steps", "2");
        Assert.Equal(0, code);
        foreach (var part in new[] { "tokens/s", "GEMMs (linear layers)", "managed heap", "gemm c_fc", "managed/openblas" }) Assert.Contains(part, output);
        Assert.Equal(2, Run("nn", "bench", "--device", "tpu").Code);
    }

    [Fact]
    public void UnknownDeviceExitsWithTwo() => Assert.Equal(2, Run("nn", "check", "--device", "tpu").Code);

    [Fact]
    public void ParityAgainstTheSimulatedAcceleratorPassesAndDetectsADifference()
    {
        var results = NnParity.Run(HostAccelerator.Shared, Device.Cpu);
        Assert.Equal(40, results.Count); // 18 GPT and activation checks and 2 CNN checks per element type
        Assert.All(results, r => Assert.True(r.Pass, $"{r.Name}: {r.Detail}"));
        // The comparison sees a 3e-5 relative change, so the 1e-10 and 1e-4 bounds are not vacuous.
        Assert.True(NnParity.RelDiff([1, 2, 3.0001], [1, 2, 3]) > 1e-5);
    }
}
