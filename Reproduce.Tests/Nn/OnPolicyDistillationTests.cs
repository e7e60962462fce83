using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Tests.Nn;

/// <summary>Two-stage distillation (<see cref="LmTrainer.DistillOnPolicy"/>) and the batched sampler it uses.</summary>
public class OnPolicyDistillationTests
{
    private static readonly CharCorpus Corpus = CharCorpus.MobyDick();
    private static GptConfig Tiny(int layers = 1, int dim = 16) => new(Corpus.Vocab.Length, 16, layers, dim, 2, 2 * dim);
    private static LmTrainingOptions Opts(int steps) => new(steps, 4, 16, PeakLr: 1e-2, WarmupSteps: 2, Seed: 3, WeightDecay: 0);
    private static readonly DistillationOptions Kd = new(Temperature: 2, Alpha: 0.5);

    [Fact]
    public void BatchedGreedySamplingGivesEachRowWhatItGetsAlone()
    {
        // Independent rows: a row's continuation may not depend on its neighbours in the batch (greedy, so no draws).
        var model = new Gpt(Tiny(2), 5);
        LmTrainer.Train(model, Corpus, Opts(30));
        int batch = 3, prompt = 6, count = 14;   // 6 + 14 > context 16: the window slides
        var prompts = Enumerable.Range(0, batch).SelectMany(b => Corpus.Train.Skip(100 * b).Take(prompt)).ToArray();
        var together = Sampler.GenerateBatch(model, prompts, batch, prompt, count, 0, new Rng(1));
        for (int b = 0; b < batch; b++)
            Assert.Equal(Sampler.Generate(model, prompts[(b * prompt)..((b + 1) * prompt)], count, 0, new Rng(1)), together[(b * count)..((b + 1) * count)]);
    }

    [Fact]
    public void WithoutAnOnPolicyStageItIsDistillationBitForBit()
    {
        var teacher = new Gpt(Tiny(2), 1);
        var a = new Gpt(Tiny(), 2); var b = new Gpt(Tiny(), 2);
        var ha = LmTrainer.Distill(a, teacher, Corpus, Opts(12), Kd);
        var hb = LmTrainer.DistillOnPolicy(b, teacher, Corpus, Opts(12), Kd, new OnPolicyOptions(StartFraction: 1, GenerationLength: 8));
        Assert.Equal(ha.Select(p => p.TrainLoss), hb.Select(p => p.TrainLoss));
        Assert.Equal(a.Parameters.GetFlat(), b.Parameters.GetFlat());
    }

    [Fact]
    public void OnPolicyStepsChangeTheRunAndAStudentEqualToItsTeacherIsAFixedPoint()
    {
        var teacher = new Gpt(Tiny(), 4);
        LmTrainer.Train(teacher, Corpus, Opts(20));
        var onPolicy = new OnPolicyOptions(StartFraction: 0.5, GenerationLength: 8);

        // A student that is a copy of its teacher: KL 0 on any tokens, zero gradients, no weight decay, so Adam leaves it as it is.
        var copy = new Gpt(teacher.Config, 0); copy.Parameters.SetFlat(teacher.Parameters.GetFlat());
        var h = LmTrainer.DistillOnPolicy(copy, teacher, Corpus, Opts(10) with { EvalEvery = 5 }, Kd with { Alpha = 1 }, onPolicy);
        Assert.All(h, p => Assert.True(Math.Abs(p.TrainLoss) < 1e-6, $"step {p.Step}: KL {p.TrainLoss:E2}"));
        Assert.Equal(teacher.Parameters.GetFlat(), copy.Parameters.GetFlat());

        // A different student: the on-policy half takes other steps than text distillation would.
        var a = new Gpt(Tiny(), 9); var b = new Gpt(Tiny(), 9);
        LmTrainer.Distill(a, teacher, Corpus, Opts(10), Kd);
        LmTrainer.DistillOnPolicy(b, teacher, Corpus, Opts(10), Kd, onPolicy);
        Assert.NotEqual(a.Parameters.GetFlat(), b.Parameters.GetFlat());
    }

    [Fact]
    public void OnPolicyDistillationLowersTheKlOnTheStudentsOwnSamples()
    {
        // What stage 2 optimises, measured independently: KL(teacher ‖ student) at τ = 1 on greedy continuations the
        // student writes after validation prompts, before and after 40 on-policy steps.
        var teacher = new Gpt(Tiny(2, 24), 4);
        LmTrainer.Train(teacher, Corpus, Opts(150) with { Batch = 8 });
        var student = new Gpt(Tiny(), 6);
        double before = KlOnOwnSamples(student, teacher);
        LmTrainer.DistillOnPolicy(student, teacher, Corpus, Opts(40) with { Batch = 8 }, Kd, new OnPolicyOptions(StartFraction: 0, GenerationLength: 8));
        double after = KlOnOwnSamples(student, teacher);
        Assert.True(after < 0.8 * before, $"KL on the student's own samples {before:F4} → {after:F4} nats per token");
    }

    private static double KlOnOwnSamples(Gpt student, Gpt teacher)
    {
        int batch = 8, prompt = 8, g = 8, v = Corpus.Vocab.Length;
        var prompts = Enumerable.Range(0, batch).SelectMany(b => Corpus.Validation.Skip(37 * b).Take(prompt)).ToArray();
        var gen = Sampler.GenerateBatch(student, prompts, batch, prompt, g, 0, new Rng(2));
        var x = Enumerable.Range(0, batch).SelectMany(b => prompts[(b * prompt)..((b + 1) * prompt)].Concat(gen[(b * g)..((b + 1) * g)])).ToArray();
        double[] zs, zt;
        using (var a = student.Forward(x, batch, prompt + g)) zs = a.Logits.ToArray();
        using (var a = teacher.Forward(x, batch, prompt + g)) zt = a.Logits.ToArray();
        double kl = 0;
        for (int t = 0; t < batch * (prompt + g); t++)
        {
            var ps = Softmax(zs.AsSpan(t * v, v)); var pt = Softmax(zt.AsSpan(t * v, v));
            for (int k = 0; k < v; k++) if (pt[k] > 0) kl += pt[k] * Math.Log(pt[k] / ps[k]);
        }
        return kl / (batch * (prompt + g));
    }

    private static double[] Softmax(ReadOnlySpan<double> z)
    {
        double max = double.NegativeInfinity; foreach (var a in z) max = Math.Max(max, a);
        var p = new double[z.Length]; double s = 0;
        for (int k = 0; k < z.Length; k++) s += p[k] = Math.Exp(z[k] - max);
        for (int k = 0; k < z.Length; k++) p[k] /= s;
        return p;
    }

    [Theory]
    [InlineData(1.5, 1, 8, 0.85, "start must be a fraction")]
    [InlineData(0.5, -0.1, 8, 0.85, "sampling fraction")]
    [InlineData(0.5, 1, 17, 0.85, "generation length must lie in 1..16")]
    [InlineData(0.5, 1, 8, 0, "temperature must be positive")]
    public void BadOnPolicySettingsAreRejectedWithTheRange(double start, double fraction, int g, double temperature, string expected)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => LmTrainer.DistillOnPolicy(new Gpt(Tiny(), 1), new Gpt(Tiny(), 2), Corpus, Opts(2), Kd,
            new OnPolicyOptions(start, fraction, g, temperature)));
        Assert.Contains(expected, e.Message);
    }
}
