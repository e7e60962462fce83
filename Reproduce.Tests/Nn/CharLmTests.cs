using Reproduce.Nn;
using Xunit.Abstractions;

namespace Reproduce.Tests.Nn;

/// <summary>The tiny character-level language model learns: validation loss falls below the unigram
/// baseline (the best a model that ignores context can do) within a CI-sized run.</summary>
public class CharLmTests(ITestOutputHelper output)
{
    [Fact]
    public void SplitsAreContiguousAndCoverTheText()
    {
        var c = CharCorpus.MobyDick();
        Assert.Equal(76, c.Vocab.Length);
        int n = c.Train.Length + c.Validation.Length + c.Test.Length;
        Assert.Equal(169_577, n);
        Assert.Equal((int)(0.9 * n), c.Train.Length);
        Assert.StartsWith("CHAPTER 1. Loomings.", c.Decode(c.Train[..20]));
        Assert.Equal("Call me Ishmael.", c.Decode(c.Encode("Call me Ishmael.")));
    }

    [Fact]
    public void ValidationLossFallsBelowTheUnigramBaseline()
    {
        var corpus = CharCorpus.MobyDick();
        double unigram = corpus.UnigramCrossEntropy(corpus.Validation);
        var model = new Gpt(new GptConfig(corpus.Vocab.Length, 32, 2, 32, 4, 128), 1);
        var o = new LmTrainingOptions(Steps: 60, Batch: 16, SeqLen: 32, PeakLr: 1e-2, WarmupSteps: 10, EvalEvery: 0, EvalWindows: 64, Seed: 1);
        var h = LmTrainer.Train(model, corpus, o, p => output.WriteLine($"step {p.Step}: train {p.TrainLoss:F3}, val {p.ValidationLoss:F3} (unigram {unigram:F3}), {p.Seconds:F1} s"));
        // The uniform model's loss is log V; the unigram baseline is lower, and a context model lower still.
        Assert.True(unigram < Math.Log(corpus.Vocab.Length));
        Assert.True(h[^1].ValidationLoss < unigram, $"validation {h[^1].ValidationLoss:F3} nats is not below the unigram baseline {unigram:F3}");
    }
}
