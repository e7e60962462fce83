using Reproduce.Compression;
using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Tests.Compression;

/// <summary><see cref="FfnNeuronPruning"/>: the physically smaller model computes exactly what the original
/// computes with the pruned neurons' down-projection columns zeroed (an independent construction).</summary>
public class FfnNeuronPruningTests
{
    private static readonly GptConfig Cfg = new(11, 8, 2, 8, 2, 12);

    private static Gpt Model()
    {
        var m = new Gpt(Cfg, 3, DType.F64);
        // Non-zero biases everywhere, so a c_fc bias gathered from the wrong neuron would show in the output.
        var rng = new Rng(5);
        foreach (var p in m.Parameters.All)
            p.Assign(Matrix.Build(p.Value.Rows, p.Value.Cols, (_, _) => rng.Normal() * 0.3));
        return m;
    }

    [Fact]
    public void SmallerModelEqualsZeroedColumnsOfTheOriginal()
    {
        var model = Model();
        var tokens = Enumerable.Range(0, 16).Select(i => (i * 7) % Cfg.VocabSize).ToArray();
        const int keep = 5;
        var (small, _) = FfnNeuronPruning.Prune(model, tokens, 2, 8, keep, (p, k) => GroupMagnitudePruner.Prune(p, 1, k));
        Assert.Equal(keep, small.Config.FfnDim);

        // Expected: magnitude keeps the `keep` neurons of largest down-projection column norm in each block;
        // zero the others' columns in a copy of the original and run it unchanged.
        var zeroed = new Gpt(Cfg, 3, DType.F64);
        zeroed.Parameters.SetFlat(model.Parameters.GetFlat());
        for (int i = 0; i < Cfg.Layers; i++)
        {
            var p = zeroed.Parameters[$"h.{i}.mlp.c_proj.weight"];   // held f × d: row j is neuron j's column of W
            var v = p.Value;
            var kept = Enumerable.Range(0, Cfg.FfnDim).OrderByDescending(j => Enumerable.Range(0, v.Cols).Sum(c => v[j, c] * v[j, c])).Take(keep).ToHashSet();
            p.Assign(Matrix.Build(v.Rows, v.Cols, (j, c) => kept.Contains(j) ? v[j, c] : 0));
        }
        using var a = small.Forward(tokens, 2, 8);
        using var b = zeroed.Forward(tokens, 2, 8);
        for (int r = 0; r < a.Logits.Rows; r++)
            for (int c = 0; c < a.Logits.Cols; c++)
                Assert.Equal(b.Logits[r, c], a.Logits[r, c], 1e-12);
        Assert.Equal(model.Parameters.GetFlat(), Model().Parameters.GetFlat());   // the input model is untouched
    }

    [Fact]
    public void KeepOutOfRangeIsNamed()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FfnNeuronPruning.Prune(Model(), new int[8], 1, 8, 13, (p, k) => GroupMagnitudePruner.Prune(p, 1, k)));
        Assert.Contains("1..12", e.Message);
    }
}
