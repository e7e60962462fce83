using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>The float64 gradient checks of every layer, loss and model of the engine, on tiny random
/// inputs (shared by the tests and <c>reproduce nn check</c>). A layer y = f(x, θ) is checked through
/// the scalar L = Σ R∘f(x, θ) with a fixed random R, so backward is called with dY = R and both the
/// input gradient and every parameter gradient are compared with central differences.</summary>
public static class NnGradientChecks
{
    /// <summary>Runs every check (deterministic for a seed).</summary>
    public static List<GradCheckResult> RunAll(ulong seed = 1)
    {
        var rng = new Rng(seed);
        var r = new List<GradCheckResult>();
        r.AddRange(LinearCheck(rng.Fork("linear")));
        r.AddRange(EmbeddingCheck(rng.Fork("embedding")));
        r.AddRange(LayerNormCheck(rng.Fork("layernorm")));
        r.AddRange(RmsNormCheck(rng.Fork("rmsnorm")));
        foreach (var k in Enum.GetValues<ActivationKind>()) r.AddRange(ActivationCheck(k, rng.Fork(k.ToString())));
        r.AddRange(AttentionCheck(rng.Fork("attention")));
        r.AddRange(RotaryCheck(rng.Fork("rotary")));
        r.AddRange(CrossEntropyCheck(rng.Fork("ce")));
        r.AddRange(KlCheck(rng.Fork("kl"), scaled: false));
        r.AddRange(KlCheck(rng.Fork("kl2"), scaled: true));
        r.AddRange(MlpCheck(seed));
        r.AddRange(Conv2dCheck(rng.Fork("conv2d"), padding: 1));
        r.AddRange(Conv2dCheck(rng.Fork("conv2d-valid"), padding: 0));
        r.AddRange(MaxPoolCheck(rng.Fork("maxpool")));
        r.AddRange(CnnCheck(seed));
        r.AddRange(GptCheck(seed, NormKind.LayerNorm));
        r.AddRange(GptCheck(seed, NormKind.RmsNorm));
        r.AddRange(GptCheck(seed, NormKind.LayerNorm, PositionKind.Rotary));
        r.AddRange(GptCheck(seed, NormKind.LayerNorm, PositionKind.Rotary, heads: 3, headDim: 2));   // attention width 6 ≠ d = 8 (pruned heads)
        return r;
    }

    private static Parameter Rand(string name, int[] shape, Rng rng, double sd = 1, double mean = 0)
    {
        var p = Init.Normal(name, shape, sd, rng, DType.F64, Device.Cpu);
        Ops.MapInPlace(UnaryOp.AddScalar, p.Value, mean);
        return p;
    }

    /// <summary>The input of a layer as a parameter (so its gradient is checked too); shape rows×cols.</summary>
    private static Parameter Input(int rows, int cols, Rng rng) => new("input", [cols, rows], rng.NormalMatrix(rows, cols));

    private static List<GradCheckResult> Probe(string layer, Parameter[] ps, Func<Matrix> forward, Func<Matrix, Matrix?> backward, Parameter? input, Rng rng)
    {
        foreach (var p in ps) p.ZeroGrad();
        var y = forward();
        var rMat = rng.NormalMatrix(y.Rows, y.Cols);
        var dx = backward(rMat);
        if (input is not null && dx is not null) Ops.Axpy(1, dx, input.Grad);
        return GradCheck.Compare(layer, ps, () => Ops.Dot(rMat, forward()));
    }

    private static List<GradCheckResult> LinearCheck(Rng rng)
    {
        var x = Input(4, 5, rng); var w = Rand("weight", [3, 4], rng); var b = Rand("bias", [3], rng);
        return Probe("linear", [x, w, b], () => Linear.Forward("linear", x.Value, w, b), dy => Linear.Backward("linear", dy, x.Value, w, b), x, rng);
    }

    private static List<GradCheckResult> EmbeddingCheck(Rng rng)
    {
        var e = Rand("weight", [5, 3], rng); int[] ids = [1, 4, 1, 0, 1]; // repeats: scatter-add must accumulate
        return Probe("embedding", [e], () => Embedding.Forward("embedding", ids, e), dy => { Embedding.Backward("embedding", dy, ids, e); return null; }, null, rng);
    }

    private static List<GradCheckResult> LayerNormCheck(Rng rng)
    {
        var x = Input(6, 4, rng); var g = Rand("weight", [6], rng, 0.5, 1); var b = Rand("bias", [6], rng);
        return Probe("layernorm", [x, g, b], () => LayerNorm.Forward("layernorm", x.Value, g, b).Y,
            dy => LayerNorm.Backward("layernorm", dy, x.Value, LayerNorm.Forward("layernorm", x.Value, g, b).Cache, g, b), x, rng);
    }

    private static List<GradCheckResult> RmsNormCheck(Rng rng)
    {
        var x = Input(6, 4, rng); var g = Rand("weight", [6], rng, 0.5, 1);
        return Probe("rmsnorm", [x, g], () => RmsNorm.Forward("rmsnorm", x.Value, g).Y,
            dy => RmsNorm.Backward("rmsnorm", dy, x.Value, RmsNorm.Forward("rmsnorm", x.Value, g).Rstd, g), x, rng);
    }

    private static List<GradCheckResult> ActivationCheck(ActivationKind k, Rng rng)
    {
        var x = Input(5, 4, rng); string n = k.ToString().ToLowerInvariant();
        return Probe(n, [x], () => Activation.Forward(k, x.Value), dy => Activation.Backward(n, k, dy, x.Value), x, rng);
    }

    private static List<GradCheckResult> AttentionCheck(Rng rng)
    {
        const int c = 4, heads = 2, batch = 2, seq = 3;
        var qkv = Input(3 * c, batch * seq, rng);
        return Probe("attention", [qkv], () => CausalSelfAttention.Forward("attention", qkv.Value, batch, seq, heads).Y,
            dy => CausalSelfAttention.Backward("attention", dy, qkv.Value, CausalSelfAttention.Forward("attention", qkv.Value, batch, seq, heads).Probs, batch, seq, heads), qkv, rng);
    }

    private static List<GradCheckResult> RotaryCheck(Rng rng)
    {
        const int c = 8, heads = 2, batch = 2, seq = 3;
        var qkv = Input(3 * c, batch * seq, rng);
        return Probe("rotary", [qkv], () => Rotary.Forward("rotary", qkv.Value, seq, heads), dy => Rotary.Backward("rotary", dy, seq, heads), qkv, rng);
    }

    private static List<GradCheckResult> CrossEntropyCheck(Rng rng)
    {
        var z = Input(5, 4, rng); int[] y = [0, 4, 2, 4];
        z.ZeroGrad();
        var (_, p) = SoftmaxCrossEntropy.Forward("ce", z.Value, y);
        Ops.Axpy(1, SoftmaxCrossEntropy.Backward(p, y), z.Grad);
        return GradCheck.Compare("cross-entropy", [z], () => SoftmaxCrossEntropy.Forward("ce", z.Value, y).Loss);
    }

    private static List<GradCheckResult> KlCheck(Rng rng, bool scaled)
    {
        const double tau = 2;
        var z = Input(5, 4, rng); var t = rng.NormalMatrix(5, 4);
        z.ZeroGrad();
        var (_, q, p) = DistillationKl.Forward("kl", z.Value, t, tau, scaled);
        Ops.Axpy(1, DistillationKl.Backward(q, p, tau, scaled), z.Grad);
        return GradCheck.Compare(scaled ? "kl τ=2 ×τ²" : "kl τ=2", [z], () => DistillationKl.Forward("kl", z.Value, t, tau, scaled).Loss);
    }

    private static List<GradCheckResult> MlpCheck(ulong seed)
    {
        var mlp = new Mlp([4, 6, 5, 3], ActivationKind.Gelu, seed);
        var x = new Rng(seed).Fork("mlp-x").NormalMatrix(4, 7); int[] y = [0, 1, 2, 2, 1, 0, 1];
        mlp.LossAndGradients(x, y);
        return GradCheck.Compare("mlp", mlp.Parameters.All, () => mlp.Loss(x, y));
    }

    /// <summary>A 2-channel 5×4 image batch of 3 into 3 channels with a 3×3 kernel: "conv2d" with padding 1
    /// (every border case of im2col), "conv2d-valid" without.</summary>
    private static List<GradCheckResult> Conv2dCheck(Rng rng, int padding)
    {
        var s = new ImageShape(2, 5, 4);
        var x = Input(s.Features, 3, rng); var w = Rand("weight", [3, 9 * s.Channels], rng); var b = Rand("bias", [3], rng);
        Matrix? cols = null;
        string name = padding == 0 ? "conv2d-valid" : "conv2d";
        return Probe(name, [x, w, b], () => { var (y, c) = Conv2d.Forward(name, x.Value, s, w, b, 3, padding); cols = c; return y; },
            dy => Conv2d.Backward(name, dy, cols!, s, w, b, 3, padding), x, rng)
            .Concat(Probe(name + " (no input gradient)", [w, b], () => { var (y, c) = Conv2d.Forward(name, x.Value, s, w, b, 3, padding); cols = c; return y; },
                dy => Conv2d.Backward(name, dy, cols!, s, w, b, 3, padding, inputGradient: false), null, rng)).ToList();
    }

    /// <summary>2×2 max pooling of a 3-channel 5×6 batch of 2 (5 rows: the last row is dropped, floor mode).</summary>
    private static List<GradCheckResult> MaxPoolCheck(Rng rng)
    {
        var s = new ImageShape(3, 5, 6);
        var x = Input(s.Features, 2, rng);
        return Probe("maxpool", [x], () => MaxPool2d.Forward("maxpool", x.Value, s, 2), dy => MaxPool2d.Backward("maxpool", dy, x.Value, s, 2), x, rng);
    }

    /// <summary>The CNN of the mSAM figures, shrunk: 1×8×6 images, blocks of 3 and 4 channels, 3 classes.</summary>
    private static List<GradCheckResult> CnnCheck(ulong seed)
    {
        var cnn = new Cnn(new ImageShape(1, 8, 6), [3, 4], 3, seed);
        var x = new Rng(seed).Fork("cnn-x").NormalMatrix(48, 5); int[] y = [0, 1, 2, 2, 1];
        cnn.LossAndGradients(x, y);
        return GradCheck.Compare("cnn", cnn.Parameters.All, () => cnn.Loss(x, y));
    }

    private static List<GradCheckResult> GptCheck(ulong seed, NormKind norm, PositionKind positions = PositionKind.Learned, int heads = 2, int headDim = 0)
    {
        var cfg = new GptConfig(VocabSize: 7, ContextLength: 5, Layers: 2, ModelDim: 8, Heads: heads, FfnDim: 12, Norm: norm, Positions: positions, HeadDim: headDim);
        var gpt = new Gpt(cfg, seed, DType.F64);
        // GPT-2's 0.02 initialization makes every gradient tiny; larger weights exercise every path.
        var rng = new Rng(seed).Fork("gpt-weights");
        foreach (var p in gpt.Parameters.All) p.Assign(rng.NormalMatrix(p.Value.Rows, p.Value.Cols).Let(m => Ops.MapInPlace(UnaryOp.Scale, m, 0.5)));
        const int batch = 2, seq = 4;
        var tok = new int[batch * seq]; var tgt = new int[batch * seq];
        for (int i = 0; i < tok.Length; i++) { tok[i] = rng.NextInt(cfg.VocabSize); tgt[i] = rng.NextInt(cfg.VocabSize); }
        gpt.LossAndGradients(tok, tgt, batch, seq);
        string name = headDim > 0 ? "gpt-heads" : positions == PositionKind.Rotary ? "gpt-rotary" : norm == NormKind.LayerNorm ? "gpt" : "gpt-rmsnorm";
        return GradCheck.Compare(name, gpt.Parameters.All, () => gpt.Loss(tok, tgt, batch, seq));
    }

    private static Matrix Let(this Matrix m, Func<Matrix, Matrix> f) => f(m);
}
