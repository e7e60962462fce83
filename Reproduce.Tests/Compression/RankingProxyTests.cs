using Reproduce.Compression;
using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Tests.Compression;

/// <summary><see cref="RankingProxy"/>: item scores against an independent computation through the model's
/// loss and causality, the pairs' construction, and the AUC's closed form.</summary>
public class RankingProxyTests
{
    private const int SeqLen = 8, Item = 3;
    private static readonly GptConfig Cfg = new(11, SeqLen, 2, 8, 2, 12);

    private static Gpt Model()
    {
        var m = new Gpt(Cfg, 3, DType.F64);
        var rng = new Rng(7);
        foreach (var p in m.Parameters.All)
            p.Assign(Matrix.Build(p.Value.Rows, p.Value.Cols, (_, _) => rng.Normal() * 0.5));
        return m;
    }

    /// <summary>log p(item | context) = T·L(window) − (T − L)·L(window without the item), where L is the model's
    /// mean cross-entropy: positions before the item see only earlier characters (causal attention), so the
    /// shorter run reproduces their terms and the difference is the item's.</summary>
    [Fact]
    public void ItemScoreEqualsTheDifferenceOfTwoMeanLosses()
    {
        var model = Model();
        var split = Enumerable.Range(0, 200).Select(i => (i * 5 + i / 7) % Cfg.VocabSize).ToArray();
        var pairs = RankingProxy.Draw(split, SeqLen, Item, 5, new Rng(1));
        var scores = RankingProxy.ItemLogProbabilities(model, pairs.Random, pairs.Count, SeqLen, Item, batch: 2);
        int w = SeqLen + 1, c = SeqLen - Item;
        for (int p = 0; p < pairs.Count; p++)
        {
            var win = pairs.Random.AsSpan(p * w, w).ToArray();
            double full = SeqLen * model.Loss(win[..SeqLen], win[1..w], 1, SeqLen);
            double prefix = c * model.Loss(win[..c], win[1..(c + 1)], 1, c);
            Assert.Equal(-(full - prefix), scores[p], 1e-10);
        }
    }

    [Fact]
    public void PairsShareTheirContextAndTheRandomItemNeverOverlapsTheRealOne()
    {
        var split = Enumerable.Range(0, 60).ToArray();   // distinct values: a character's position is its value
        var pairs = RankingProxy.Draw(split, SeqLen, Item, 500, new Rng(2));
        int w = SeqLen + 1, c = w - Item;
        for (int p = 0; p < pairs.Count; p++)
        {
            var real = pairs.Real.AsSpan(p * w, w);
            var random = pairs.Random.AsSpan(p * w, w);
            for (int i = 1; i < w; i++) Assert.Equal(real[0] + i, real[i]);           // a contiguous slice of the split
            Assert.True(real[..c].SequenceEqual(random[..c]));                      // the same context
            for (int i = 1; i < Item; i++) Assert.Equal(random[c] + i, random[c + i]);  // a contiguous random item
            Assert.True(Math.Abs(random[c] - real[c]) >= Item, $"pair {p}: random item at {random[c]} overlaps the real one at {real[c]}");
        }
    }

    [Fact]
    public void AucCountsWinsAndHalfTies()
    {
        Assert.Equal(0.625, RankingProxy.PairedAuc([3, 1, 2, 5], [1, 2, 2, 4]));
        Assert.Throws<ArgumentException>(() => RankingProxy.PairedAuc([1], [1, 2]));
    }

    [Fact]
    public void BadSettingsNameTheirRange()
    {
        var split = new int[100];
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => RankingProxy.Draw(split, SeqLen, SeqLen + 1, 3, new Rng(0)));
        Assert.Contains("1..8", e.Message);
        Assert.Throws<ArgumentException>(() => RankingProxy.Draw(new int[10], SeqLen, Item, 3, new Rng(0)));
    }
}
