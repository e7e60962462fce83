using Reproduce.Cli.Verbs;

namespace Reproduce.Tests.Compute;

/// <summary>`reproduce bench compute --only random` at --quick size: the rows exist and are timed,
/// and --only rejects unknown group names.</summary>
public class RandomBenchTests
{
    [Fact]
    public void TheRandomGroupsRunAtQuickSize()
    {
        var rows = ComputeBench.Run(quick: true, repeats: 1, _ => { }, new HashSet<string> { "random" });
        Assert.Equal(["RandNormal", "RandUniform", "RandSign"], rows.Select(r => r.Operation).Distinct());
        Assert.Contains(rows, r => r.Implementation == "rng-normalmatrix");
        Assert.Contains(rows, r => r.Implementation == "philox-ops");
        Assert.All(rows, r => Assert.True(r.Seconds > 0 && r.Flops == 1e6));
        var text = new StringWriter();
        ComputeBench.Print(rows, text);
        Assert.Contains("philox-fill", text.ToString());
        Assert.Contains("the speed of rng-normalmatrix", text.ToString());
    }

    [Fact]
    public void OnlyAcceptsKnownGroups()
    {
        Assert.Equal(ComputeBench.Groups.Length, ComputeBench.ParseGroups(null, out var none).Count);
        Assert.Null(none);
        Assert.Equal(["gemm", "random"], ComputeBench.ParseGroups(" GEMM, random ", out _).Order());
        ComputeBench.ParseGroups("random,fft", out var bad);
        Assert.Equal("fft", bad);
    }
}
