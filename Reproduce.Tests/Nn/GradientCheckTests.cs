using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Tests.Nn;

/// <summary>Every layer, loss and model against float64 central differences, and the checker itself
/// against a gradient that is wrong on purpose (so a passing check means something).</summary>
public class GradientCheckTests
{
    private static readonly List<GradCheckResult> All = NnGradientChecks.RunAll(seed: 1);

    public static TheoryData<string> Layers() => new(["linear", "embedding", "layernorm", "rmsnorm", "relu", "gelu", "silu", "attention", "cross-entropy", "kl τ=2", "kl τ=2 ×τ²", "mlp", "conv2d", "conv2d-valid", "conv2d (no input gradient)", "conv2d-valid (no input gradient)", "maxpool", "cnn", "gpt", "gpt-rmsnorm", "gpt-rotary", "gpt-heads"]);

    [Theory]
    [MemberData(nameof(Layers))]
    public void BackwardMatchesCentralDifferences(string layer)
    {
        var mine = All.Where(r => r.Name.StartsWith(layer + ":", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(mine);
        var bad = mine.Where(r => !r.Pass).Select(r => $"{r.Name}: abs {r.MaxAbsError:E2}, rel {r.MaxRelError:E2}").ToList();
        Assert.True(bad.Count == 0, string.Join("\n", bad));
        Assert.All(mine, r => Assert.True(r.Entries > 0));
    }

    [Fact]
    public void EveryGptParameterIsChecked()
    {
        var gpt = new Gpt(new GptConfig(7, 5, 2, 8, 2, 12), 1, DType.F64);
        var checkedNames = All.Where(r => r.Name.StartsWith("gpt:", StringComparison.Ordinal)).Select(r => r.Name["gpt: ".Length..]).ToHashSet();
        Assert.Equal(gpt.Parameters.All.Select(p => p.Name).ToHashSet(), checkedNames);
    }

    [Fact]
    public void AHeadDimSetsTheAttentionWidthWithPyTorchShapes()
    {
        // 3 heads of width 2 in a d = 8 model (as after pruning heads): c_attn [3·6, 8], c_proj [8, 6] (nn.Linear [out, in]).
        var cfg = new GptConfig(7, 5, 1, 8, 3, 12, HeadDim: 2);
        Assert.Equal(6, cfg.AttentionDim);
        var gpt = new Gpt(cfg, 1, DType.F64);
        Assert.Equal([18, 8], gpt.Parameters["h.0.attn.c_attn.weight"].TorchShape);
        Assert.Equal([18], gpt.Parameters["h.0.attn.c_attn.bias"].TorchShape);
        Assert.Equal([8, 6], gpt.Parameters["h.0.attn.c_proj.weight"].TorchShape);
        Assert.Equal(8, new GptConfig(7, 5, 1, 8, 2, 12).AttentionDim);   // default: heads × d/heads = d
        Assert.Contains("HeadDim", Assert.Throws<ArgumentException>(() => new GptConfig(7, 5, 1, 8, 3, 12).Validate()).Message);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => new GptConfig(7, 5, 1, 8, 3, 12, HeadDim: -1).Validate()).Message);
        Assert.Contains("even", Assert.Throws<ArgumentException>(() => new GptConfig(7, 5, 1, 8, 3, 12, Positions: PositionKind.Rotary, HeadDim: 3).Validate()).Message);
    }

    [Fact]
    public void CheckerRejectsAWrongGradient()
    {
        var mlp = new Mlp([3, 4, 2], ActivationKind.Relu, 5);
        var x = new Rng(9).NormalMatrix(3, 6); int[] y = [0, 1, 1, 0, 1, 0];
        mlp.LossAndGradients(x, y);
        Assert.All(GradCheck.Compare("ok", mlp.Parameters.All, () => mlp.Loss(x, y)), r => Assert.True(r.Pass, r.ToString()));
        // A 1 % error in one entry, well above the 1e-6 tolerance, must be caught.
        var g = mlp.Parameters["fc1.weight"].Grad; g[1, 2] *= 1.01;
        var res = GradCheck.Compare("bad", mlp.Parameters.All, () => mlp.Loss(x, y));
        Assert.False(res.Single(r => r.Name == "bad: fc1.weight").Pass);
        Assert.True(res.Where(r => r.Name != "bad: fc1.weight").All(r => r.Pass));
    }
}
