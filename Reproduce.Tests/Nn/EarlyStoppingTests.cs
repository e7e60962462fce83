using Reproduce.Nn;

namespace Reproduce.Tests.Nn;

/// <summary><see cref="LmTrainingOptions.KeepBest"/>: a run whose validation loss turns upwards ends with the
/// parameters of its best evaluation, bit for bit, checked against snapshots taken by an independent run.</summary>
public class EarlyStoppingTests
{
    // A corpus built to overfit. Both texts put 'a' at every other position and have the same character
    // frequencies, so what a model learns first (non-'a' → 'a', the unigram) lowers the validation loss too. After
    // an 'a' the training text cycles b, c, d and the validation/test text d, c, b: once the model reads the longer
    // context (… b a → c) it predicts the wrong letter on validation text, whose loss then rises.
    private static readonly CharCorpus Overfit = CharCorpus.FromText(
        string.Concat(Enumerable.Repeat("abacad", 600)) + string.Concat(Enumerable.Repeat("adacab", 67)).Substring(0, 400), "overfit");

    private static Gpt Model() => new(new GptConfig(Overfit.Vocab.Length, 16, 1, 16, 2, 32), 11);
    private static LmTrainingOptions Opts(bool keepBest) =>
        new(Steps: 120, Batch: 8, SeqLen: 16, PeakLr: 1e-2, WarmupSteps: 5, Seed: 4, EvalEvery: 10, EvalWindows: 12, KeepBest: keepBest);

    [Fact]
    public void TheCorpusSplitsAsTheCommentSays()
    {
        Assert.Equal(3600, Overfit.Train.Length);
        Assert.Equal(Overfit.Encode(string.Concat(Enumerable.Repeat("adacab", 34)))[..200], Overfit.Validation);
    }

    [Fact]
    public void KeepBestRestoresTheLowestValidationPointExactly()
    {
        var a = Model();
        var kept = LmTrainer.Train(a, Overfit, Opts(keepBest: true));

        // The same run without KeepBest, snapshotting the parameters at every evaluation.
        var b = Model();
        var snapshots = new Dictionary<int, double[]>();
        var plain = LmTrainer.Train(b, Overfit, Opts(keepBest: false), p => snapshots[p.Step] = b.Parameters.GetFlat());

        Assert.Equal(plain.Select(p => p.ValidationLoss), kept.Select(p => p.ValidationLoss));   // same run up to the restore
        int best = Enumerable.Range(0, kept.Count).MinBy(i => kept[i].ValidationLoss);
        // The construction must overfit, else this test would check nothing: the best point is neither the first nor the last.
        Assert.True(best > 0 && best < kept.Count - 1 && kept[^1].ValidationLoss > kept[best].ValidationLoss + 0.1,
            $"validation loss did not fall then rise: {string.Join(", ", kept.Select(p => $"{p.Step}: {p.ValidationLoss:F3}"))}");

        Assert.Equal([kept[best].Step], kept.Where(p => p.Kept).Select(p => p.Step));
        Assert.Equal(snapshots[kept[best].Step], a.Parameters.GetFlat());
        Assert.NotEqual(b.Parameters.GetFlat(), a.Parameters.GetFlat());
        Assert.Equal(kept[best].ValidationLoss, CharCorpus.Evaluate(a, Overfit.Validation, 16, 12));

        // Without KeepBest the last point is the kept one and the model holds the last step's parameters.
        Assert.Equal([plain[^1].Step], plain.Where(p => p.Kept).Select(p => p.Step));
        Assert.Equal(snapshots[plain[^1].Step], b.Parameters.GetFlat());
    }

    [Fact]
    public void DistillationKeepsTheBestPointToo()
    {
        // α = 0 distillation is plain SFT bit for bit (DistillationTrainingTests), so it must restore the same point.
        var sft = Model();
        LmTrainer.Train(sft, Overfit, Opts(keepBest: true));
        var kd = Model();
        var h = LmTrainer.Distill(kd, new Gpt(Model().Config, 2), Overfit, Opts(keepBest: true), new DistillationOptions(Alpha: 0));
        Assert.False(h[^1].Kept);
        Assert.Equal(sft.Parameters.GetFlat(), kd.Parameters.GetFlat());
    }

    [Fact]
    public void PatienceStopsOnceTheLossHasNotImprovedForThatManyEvaluationsAndKeepsTheSameBest()
    {
        var full = Model();
        var all = LmTrainer.Train(full, Overfit, Opts(keepBest: true));
        int best = Enumerable.Range(0, all.Count).MinBy(i => all[i].ValidationLoss);
        const int patience = 2;
        // The first evaluation after the best from which `patience` evaluations in a row have not gone below the best so far.
        int expectedStop = Enumerable.Range(1, all.Count - 1).First(i =>
        {
            int bestSoFar = Enumerable.Range(0, i + 1).MinBy(j => all[j].ValidationLoss);
            return i - bestSoFar >= patience;
        });
        Assert.True(expectedStop < all.Count - 1, "the corpus must overfit early enough for patience to stop the run");

        var early = Model();
        var h = LmTrainer.Train(early, Overfit, Opts(keepBest: true) with { Patience = patience });
        Assert.Equal(all.Take(expectedStop + 1).Select(p => p.ValidationLoss), h.Select(p => p.ValidationLoss));   // same run, cut short
        Assert.Equal(all[best].Step, h.Single(p => p.Kept).Step);
        Assert.Equal(full.Parameters.GetFlat(), early.Parameters.GetFlat());   // the kept (best) parameters, bit for bit
    }

    [Fact]
    public void NegativePatienceIsRejectedWithTheFix()
    {
        var e = Assert.Throws<ArgumentException>(() => LmTrainer.Train(Model(), Overfit, Opts(keepBest: true) with { Patience = -1 }));
        Assert.Contains("Patience must be 0 (off)", e.Message);
    }

    [Fact]
    public void WithoutEvaluationsTheLastStepIsKept()
    {
        var m = Model();
        var h = LmTrainer.Train(m, Overfit, Opts(keepBest: true) with { Steps = 30, EvalEvery = 0 });
        Assert.Single(h);
        Assert.True(h[0].Kept);
        Assert.Equal(30, h[0].Step);
    }
}
