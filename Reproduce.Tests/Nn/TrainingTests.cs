using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Tests.Nn;

/// <summary>Optimizers and schedules against hand-computed steps, determinism, and the NaN/Inf guard.</summary>
public class TrainingTests
{
    private static ParameterSet OneParameter(double[] w, double[] g)
    {
        var ps = new ParameterSet();
        var p = ps.Add(new Parameter("w", [w.Length], Matrix.FromColumnMajor(w.Length, 1, (double[])w.Clone())));
        Ops.Axpy(1, Matrix.FromColumnMajor(g.Length, 1, (double[])g.Clone()), p.Grad);
        return ps;
    }

    [Fact]
    public void AdamWTwoStepsMatchTheFormula()
    {
        double[] w = [0.5, -1.0], g1 = [0.3, -2.0], g2 = [-0.1, 0.4];
        const double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
        var ps = OneParameter(w, g1);
        var opt = new AdamW(b1, b2, eps, wd);
        opt.Step(ps, lr);
        ps.ZeroGrad(); Ops.Axpy(1, Matrix.FromColumnMajor(2, 1, (double[])g2.Clone()), ps["w"].Grad);
        opt.Step(ps, lr);
        for (int i = 0; i < 2; i++)
        {
            double x = w[i], m = 0, v = 0;
            foreach (var (g, t) in new[] { (g1[i], 1), (g2[i], 2) })
            {
                x *= 1 - lr * wd;
                m = b1 * m + (1 - b1) * g; v = b2 * v + (1 - b2) * g * g;
                x -= lr * (m / (1 - Math.Pow(b1, t))) / (Math.Sqrt(v / (1 - Math.Pow(b2, t))) + eps);
            }
            Assert.Equal(x, ps["w"].Value[i], 14);
        }
    }

    [Fact]
    public void SgdMomentumTwoStepsMatchTheFormula()
    {
        double[] w = [0.5, -1.0], g1 = [0.3, -2.0], g2 = [-0.1, 0.4];
        var ps = OneParameter(w, g1);
        var opt = new Sgd(momentum: 0.9, weightDecay: 0.1);
        opt.Step(ps, 0.5);
        ps.ZeroGrad(); Ops.Axpy(1, Matrix.FromColumnMajor(2, 1, (double[])g2.Clone()), ps["w"].Grad);
        opt.Step(ps, 0.5);
        for (int i = 0; i < 2; i++)
        {
            double b1 = g1[i] + 0.1 * w[i], x1 = w[i] - 0.5 * b1;
            double b2 = 0.9 * b1 + g2[i] + 0.1 * x1, x2 = x1 - 0.5 * b2;
            Assert.Equal(x2, ps["w"].Value[i], 14);
        }
    }

    [Fact]
    public void ClippingScalesToTheMaxNormAndLeavesSmallGradientsAlone()
    {
        var ps = OneParameter([0, 0], [3, 4]);
        Assert.Equal(5, GradientClipping.ClipByGlobalNorm(ps, 1), 14);
        Assert.Equal(1 / (5 + 1e-6) * 5, ps.GradNorm(), 12);
        var small = OneParameter([0, 0], [0.3, 0.4]);
        GradientClipping.ClipByGlobalNorm(small, 1);
        Assert.Equal(new[] { 0.3, 0.4 }, small.GetFlatGrad());
    }

    [Fact]
    public void WarmupCosineHitsItsCorners()
    {
        var f = LrSchedule.WarmupCosine(1.0, 10, 110, 0.1);
        Assert.Equal(0.1, f(0), 14); Assert.Equal(1.0, f(9), 14); Assert.Equal(1.0, f(10), 14);
        Assert.Equal(0.55, f(60), 14); Assert.Equal(0.1, f(110), 14); Assert.Equal(0.1, f(500), 14);
        Assert.Throws<ArgumentException>(() => LrSchedule.WarmupCosine(1, 10, 10));
    }

    private static readonly CharCorpus Corpus = CharCorpus.MobyDick();

    private static Gpt Tiny(ulong seed) => new(new GptConfig(Corpus.Vocab.Length, 16, 1, 16, 2, 32), seed);

    [Fact]
    public void TrainingIsDeterministicForASeed()
    {
        var o = new LmTrainingOptions(Steps: 4, Batch: 4, SeqLen: 16, EvalWindows: 2, Seed: 7);
        Gpt a = Tiny(1), b = Tiny(1), c = Tiny(1);
        var ha = LmTrainer.Train(a, Corpus, o); var hb = LmTrainer.Train(b, Corpus, o);
        LmTrainer.Train(c, Corpus, o with { Seed = 8 });
        Assert.Equal(ha.Select(p => (p.TrainLoss, p.ValidationLoss)), hb.Select(p => (p.TrainLoss, p.ValidationLoss)));
        Assert.Equal(a.Parameters.GetFlat(), b.Parameters.GetFlat());
        Assert.NotEqual(a.Parameters.GetFlat(), c.Parameters.GetFlat()); // the data order depends on the seed
    }

    /// <summary>The same at a size where the parallel host kernels split their work: 8 × 64 = 512 tokens
    /// are 4 LayerNorm column chunks (128), 2 bias-gradient chunks (256) and several GELU chunks (4096
    /// elements), whose partial sums must be added in chunk order, not in the order threads finish.</summary>
    [Fact]
    public void TrainingIsDeterministicForASeedWhenTheKernelsRunInParallelChunks()
    {
        var o = new LmTrainingOptions(Steps: 3, Batch: 8, SeqLen: 64, EvalWindows: 2, Seed: 5);
        var cfg = new GptConfig(Corpus.Vocab.Length, 64, 2, 32, 4, 128);
        Gpt a = new(cfg, 2), b = new(cfg, 2);
        var ha = LmTrainer.Train(a, Corpus, o); var hb = LmTrainer.Train(b, Corpus, o);
        Assert.Equal(ha.Select(p => (p.TrainLoss, p.ValidationLoss)), hb.Select(p => (p.TrainLoss, p.ValidationLoss)));
        Assert.Equal(a.Parameters.GetFlat(), b.Parameters.GetFlat());
    }

    [Fact]
    public void NonFiniteLossOrGradientStopsWithStepAndLayer()
    {
        var m = Tiny(1);
        var w = m.Parameters["h.0.mlp.c_fc.weight"];
        var bad = w.Value.ToCpu(); bad[0, 0] = double.NaN; w.Assign(bad);
        var e = Assert.Throws<TrainingDivergedException>(() => LmTrainer.Train(m, Corpus, new LmTrainingOptions(3, 2, 8)));
        // The loss is NaN; the layer named is the one whose weights hold the NaN, not just "loss".
        Assert.Equal(0, e.Step); Assert.Equal("h.0.mlp.c_fc", e.Layer);
        Assert.Contains("step 0", e.Message); Assert.Contains("h.0.mlp.c_fc.weight", e.Message);

        // Finite weights whose product overflows float32 (|x| ≤ 3.4e38): c_proj's weights all 3e38 times a
        // sum of GELU outputs far above 1. Its output is the first non-finite activation; the loss is NaN.
        var big = Tiny(1);
        big.Parameters["h.0.mlp.c_fc.weight"].Assign(new Rng(4).NormalMatrix(16, 32));
        big.Parameters["h.0.mlp.c_proj.weight"].Assign(Matrix.Build(32, 16, (_, _) => 3e38));
        Assert.All(big.Parameters.All, p => Assert.True(double.IsFinite(Ops.Sum(Ops.Map(UnaryOp.Abs, p.Value))), p.Name));
        var eo = Assert.Throws<TrainingDivergedException>(() => LmTrainer.Train(big, Corpus, new LmTrainingOptions(3, 2, 8)));
        Assert.Equal(0, eo.Step); Assert.Equal("h.0.mlp.c_proj", eo.Layer); Assert.Contains("output of layer 'h.0.mlp.c_proj'", eo.Message);

        var ok = Tiny(2);
        ok.LossAndGradients(Corpus.Train[..8], Corpus.Train[1..9], 1, 8);
        var g = ok.Parameters["h.0.attn.c_proj.weight"].Grad; g[1, 1] = double.PositiveInfinity;
        var e2 = Assert.Throws<TrainingDivergedException>(() => FiniteCheck.AfterBackward(12, 2.5, ok.Parameters));
        Assert.Equal(12, e2.Step); Assert.Equal("h.0.attn.c_proj", e2.Layer);
        Assert.Contains("step 12", e2.Message); Assert.Contains("h.0.attn.c_proj", e2.Message);

        // With finite gradients the check returns their global norm, which clipping then reuses.
        g[1, 1] = 0;
        Assert.Equal(ok.Parameters.GradNorm(), FiniteCheck.AfterBackward(13, 2.5, ok.Parameters));
    }

    [Fact]
    public void SamplingFollowsSoftmaxOverTemperatureAndIsGreedyAtZero()
    {
        var m = Tiny(3);
        var rng = new Rng(5);
        foreach (var p in m.Parameters.All) p.Assign(rng.NormalMatrix(p.Value.Rows, p.Value.Cols)); // sharper than the 0.02 init
        int[] prompt = Corpus.Encode("the whale");
        var logits = m.Forward(prompt, 1, prompt.Length).Logits.ToArray().AsSpan((prompt.Length - 1) * Corpus.Vocab.Length, Corpus.Vocab.Length).ToArray();
        int greedy = Array.IndexOf(logits, logits.Max());
        Assert.Equal(greedy, Sampler.Generate(m, prompt, 1, 0, new Rng(1))[0]);
        // At τ = 2 each token's frequency over n draws must lie within 5 binomial standard deviations of softmax(z/τ).
        const int n = 1500; const double tau = 2;
        var counts = new int[logits.Length];
        var srng = new Rng(11);
        for (int i = 0; i < n; i++) counts[Sampler.Generate(m, prompt, 1, tau, srng)[0]]++;
        double max = logits.Max(), z = logits.Sum(l => Math.Exp((l - max) / tau));
        for (int k = 0; k < logits.Length; k++)
        {
            double p = Math.Exp((logits[k] - max) / tau) / z;
            Assert.True(Math.Abs(counts[k] / (double)n - p) <= 5 * Math.Sqrt(p * (1 - p) / n) + 1e-12, $"token {k}: {counts[k]}/{n} vs p = {p}");
        }
    }
}
