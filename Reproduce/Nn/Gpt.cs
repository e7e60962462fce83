using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>A decoder-only transformer in the GPT-2 arrangement (pre-norm blocks
/// x ← x + Attn(Norm₁(x)), x ← x + MLP(Norm₂(x)), final norm, linear head), built from the layer
/// pairs of this folder. Tokens are given batch-major: id of position t of sequence b at b·T + t; all
/// activations are d×N with N = B·T. Parameter names follow GPT-2's state dict (<c>wte</c>, <c>wpe</c>,
/// <c>h.{i}.ln_1</c>, <c>h.{i}.attn.c_attn</c>, <c>h.{i}.attn.c_proj</c>, <c>h.{i}.ln_2</c>,
/// <c>h.{i}.mlp.c_fc</c>, <c>h.{i}.mlp.c_proj</c>, <c>ln_f</c>) with an untied <c>lm_head</c> and
/// <c>nn.Linear</c> weights [out, in]. Initialization as GPT-2: N(0, 0.02), residual projections
/// N(0, 0.02/√(2L)), zero biases, unit norm weights. With <see cref="PositionKind.Rotary"/> positions
/// there is no <c>wpe</c>: queries and keys are rotated in every attention layer (<see cref="Rotary"/>).</summary>
public sealed class Gpt
{
    /// <summary>A model of shape <paramref name="config"/> initialized from <paramref name="seed"/>.</summary>
    public Gpt(GptConfig config, ulong seed, DType dtype = DType.F32, Device? device = null)
    {
        config.Validate();
        Config = config;
        var dev = device ?? Device.Cpu;
        var rng = new Rng(seed).Fork("gpt-init");
        int c = config.ModelDim, f = config.FfnDim, att = config.AttentionDim;
        double sd = 0.02, sdProj = 0.02 / Math.Sqrt(2.0 * Math.Max(1, config.Layers));
        Parameters.Add(Init.Normal("wte.weight", [config.VocabSize, c], sd, rng, dtype, dev));
        if (config.Positions == PositionKind.Learned) Parameters.Add(Init.Normal("wpe.weight", [config.ContextLength, c], sd, rng, dtype, dev));
        for (int i = 0; i < config.Layers; i++)
        {
            AddNorm($"h.{i}.ln_1", c, dtype, dev);
            Parameters.Add(Init.Normal($"h.{i}.attn.c_attn.weight", [3 * att, c], sd, rng, dtype, dev));
            Parameters.Add(Init.Constant($"h.{i}.attn.c_attn.bias", [3 * att], 0, dtype, dev));
            Parameters.Add(Init.Normal($"h.{i}.attn.c_proj.weight", [c, att], sdProj, rng, dtype, dev));
            Parameters.Add(Init.Constant($"h.{i}.attn.c_proj.bias", [c], 0, dtype, dev));
            AddNorm($"h.{i}.ln_2", c, dtype, dev);
            Parameters.Add(Init.Normal($"h.{i}.mlp.c_fc.weight", [f, c], sd, rng, dtype, dev));
            Parameters.Add(Init.Constant($"h.{i}.mlp.c_fc.bias", [f], 0, dtype, dev));
            Parameters.Add(Init.Normal($"h.{i}.mlp.c_proj.weight", [c, f], sdProj, rng, dtype, dev));
            Parameters.Add(Init.Constant($"h.{i}.mlp.c_proj.bias", [c], 0, dtype, dev));
        }
        AddNorm("ln_f", c, dtype, dev);
        Parameters.Add(Init.Normal("lm_head.weight", [config.VocabSize, c], sd, rng, dtype, dev));
    }

    /// <summary>The shape.</summary>
    public GptConfig Config { get; }

    /// <summary>Named tensors (GPT-2 names; see the class remarks).</summary>
    public ParameterSet Parameters { get; } = new();

    /// <summary>Everything backward needs, and the logits (V×N). Dispose it after backward: on a GPU
    /// that returns every activation buffer to the memory pool at once, so the next step reuses them
    /// (no growth over steps, no cuMemAlloc in the steady state); on the CPU it is a no-op.</summary>
    public sealed class Activations : IDisposable
    {
        internal Activations(int batch, int seqLen, int layers) { Batch = batch; SeqLen = seqLen; Blocks = new Block[layers]; }
        /// <summary>Sequences in the batch.</summary>
        public int Batch { get; }
        /// <summary>Positions per sequence.</summary>
        public int SeqLen { get; }
        /// <summary>Output logits, vocabulary × tokens.</summary>
        public Matrix Logits { get; internal set; } = null!;
        internal int[] Tokens = [];
        internal int[] Positions = [];
        internal Block[] Blocks;
        internal Matrix FinalIn = null!, FinalOut = null!;
        internal object FinalCache = null!;

        /// <summary>Returns every activation (logits included) to its device's allocator.</summary>
        public void Dispose()
        {
            foreach (var b in Blocks)
            {
                if (b is null) continue;
                foreach (var m in new[] { b.X, b.Ln1, b.Qkv, b.QkvRot, b.Att, b.Probs, b.X2, b.Ln2, b.H, b.G }) m?.Dispose();
                DisposeCache(b.Ln1Cache); DisposeCache(b.Ln2Cache);
            }
            FinalIn?.Dispose(); FinalOut?.Dispose(); DisposeCache(FinalCache);
            Logits?.Dispose();
        }

        /// <summary>Every layer's output in forward order, under the layer's name (the embedding sum as
        /// "wte", each residual sum under the projection that feeds it), e.g. to find the first layer whose
        /// output holds NaN/Inf (<see cref="FiniteCheck.FirstNonFiniteLayer"/>).</summary>
        internal IEnumerable<(string Layer, Matrix Output)> LayerOutputs()
        {
            for (int i = 0; i < Blocks.Length; i++)
            {
                var b = Blocks[i]; string h = $"h.{i}";
                yield return (i == 0 ? "wte" : $"h.{i - 1}.mlp.c_proj", b.X);
                yield return ($"{h}.ln_1", b.Ln1);
                yield return ($"{h}.attn.c_attn", b.Qkv);
                if (b.QkvRot is not null) yield return ($"{h}.attn.rotary", b.QkvRot);
                yield return ($"{h}.attn", b.Att);
                yield return ($"{h}.attn.c_proj", b.X2);
                yield return ($"{h}.ln_2", b.Ln2);
                yield return ($"{h}.mlp.c_fc", b.H);
                yield return ($"{h}.mlp.act", b.G);
            }
            yield return (Blocks.Length == 0 ? "wte" : $"h.{Blocks.Length - 1}.mlp.c_proj", FinalIn);
            yield return ("ln_f", FinalOut);
            yield return ("lm_head", Logits);
        }

        private static void DisposeCache(object? cache)
        {
            if (cache is LayerNorm.Cache c) { c.Mean.Dispose(); c.Rstd.Dispose(); }
            else (cache as Matrix)?.Dispose();
        }
    }

    internal sealed class Block
    {
        public Matrix? QkvRot;
        public Matrix X = null!, Ln1 = null!, Qkv = null!, Att = null!, Probs = null!, X2 = null!, Ln2 = null!, H = null!, G = null!;
        public object Ln1Cache = null!, Ln2Cache = null!;
    }

    /// <summary>Runs the model on <paramref name="tokens"/> (B·T ids, batch-major).
    /// <paramref name="onLinearInput"/>, when given, sees every linear layer's input (d_in×N) under the
    /// layer's name, e.g. to accumulate calibration Grams H = XXᵀ for layer-wise compression.</summary>
    public Activations Forward(int[] tokens, int batch, int seqLen, Action<string, Matrix>? onLinearInput = null)
    {
        if (seqLen <= 0 || seqLen > Config.ContextLength) throw new ArgumentOutOfRangeException(nameof(seqLen), $"gpt: sequence length {seqLen} must be in 1..{Config.ContextLength} (the context length).");
        if (batch <= 0 || (long)batch * seqLen != tokens.Length) throw new ArgumentException($"gpt: {tokens.Length} tokens do not make {batch} sequences of {seqLen}.");
        var a = new Activations(batch, seqLen, Config.Layers) { Tokens = tokens };
        a.Positions = new int[tokens.Length];
        for (int n = 0; n < tokens.Length; n++) a.Positions[n] = n % seqLen;
        long t0 = NnProfile.Start();
        var x = Embedding.Forward("wte", tokens, P("wte.weight"));
        if (Config.Positions == PositionKind.Learned)
            using (var pos = Embedding.Forward("wpe", a.Positions, P("wpe.weight"))) Ops.Axpy(1, pos, x);
        NnProfile.Stop("embedding forward", t0);
        for (int i = 0; i < Config.Layers; i++)
        {
            var b = a.Blocks[i] = new Block { X = x };
            string h = $"h.{i}";
            (b.Ln1, b.Ln1Cache) = NormForward($"{h}.ln_1", x);
            onLinearInput?.Invoke($"{h}.attn.c_attn", b.Ln1);
            b.Qkv = Linear.Forward($"{h}.attn.c_attn", b.Ln1, P($"{h}.attn.c_attn.weight"), P($"{h}.attn.c_attn.bias"));
            if (Config.Positions == PositionKind.Rotary) b.QkvRot = Rotary.Forward($"{h}.attn.rotary", b.Qkv, seqLen, Config.Heads);
            (b.Att, b.Probs) = CausalSelfAttention.Forward($"{h}.attn", b.QkvRot ?? b.Qkv, batch, seqLen, Config.Heads);
            onLinearInput?.Invoke($"{h}.attn.c_proj", b.Att);
            using (var o = Linear.Forward($"{h}.attn.c_proj", b.Att, P($"{h}.attn.c_proj.weight"), P($"{h}.attn.c_proj.bias")))
                b.X2 = Residual(x, o);
            (b.Ln2, b.Ln2Cache) = NormForward($"{h}.ln_2", b.X2);
            onLinearInput?.Invoke($"{h}.mlp.c_fc", b.Ln2);
            b.H = Linear.Forward($"{h}.mlp.c_fc", b.Ln2, P($"{h}.mlp.c_fc.weight"), P($"{h}.mlp.c_fc.bias"));
            b.G = Activation.Forward(Config.Activation, b.H);
            onLinearInput?.Invoke($"{h}.mlp.c_proj", b.G);
            using (var m = Linear.Forward($"{h}.mlp.c_proj", b.G, P($"{h}.mlp.c_proj.weight"), P($"{h}.mlp.c_proj.bias")))
                x = Residual(b.X2, m);
        }
        a.FinalIn = x;
        (a.FinalOut, a.FinalCache) = NormForward("ln_f", x);
        onLinearInput?.Invoke("lm_head", a.FinalOut);
        a.Logits = Linear.Forward("lm_head", a.FinalOut, P("lm_head.weight"), null);
        return a;
    }

    /// <summary>Accumulates every parameter's gradient from dLogits (V×N). Every intermediate gradient
    /// is disposed as soon as it is used, so on a GPU its buffer goes back to the pool within the step.</summary>
    public void Backward(Activations a, Matrix dLogits)
    {
        NnHost.Expect("lm_head", "logit gradient", dLogits, a.Logits.Rows, a.Logits.Cols, "vocabulary × tokens");
        var d = Linear.Backward("lm_head", dLogits, a.FinalOut, P("lm_head.weight"), null);
        using (var dHead = d) d = NormBackward("ln_f", dHead, a.FinalIn, a.FinalCache);
        for (int i = Config.Layers - 1; i >= 0; i--)
        {
            var b = a.Blocks[i];
            string h = $"h.{i}";
            // x_out = x2 + mlp(ln2(x2)): d flows to x2 directly and through the MLP branch.
            using (var dg = Linear.Backward($"{h}.mlp.c_proj", d, b.G, P($"{h}.mlp.c_proj.weight"), P($"{h}.mlp.c_proj.bias")))
            using (var dh = Activation.Backward($"{h}.mlp.act", Config.Activation, dg, b.H))
            using (var dln2 = Linear.Backward($"{h}.mlp.c_fc", dh, b.Ln2, P($"{h}.mlp.c_fc.weight"), P($"{h}.mlp.c_fc.bias")))
            using (var dx2 = NormBackward($"{h}.ln_2", dln2, b.X2, b.Ln2Cache))
                ResidualBackward(dx2, d);
            // x2 = x + attn(ln1(x)).
            using (var datt = Linear.Backward($"{h}.attn.c_proj", d, b.Att, P($"{h}.attn.c_proj.weight"), P($"{h}.attn.c_proj.bias")))
            using (var dAttIn = CausalSelfAttention.Backward($"{h}.attn", datt, b.QkvRot ?? b.Qkv, b.Probs, a.Batch, a.SeqLen, Config.Heads))
            using (var dqkv = b.QkvRot is null ? null : Rotary.Backward($"{h}.attn.rotary", dAttIn, a.SeqLen, Config.Heads))
            using (var dln1 = Linear.Backward($"{h}.attn.c_attn", dqkv ?? dAttIn, b.Ln1, P($"{h}.attn.c_attn.weight"), P($"{h}.attn.c_attn.bias")))
            using (var dx = NormBackward($"{h}.ln_1", dln1, b.X, b.Ln1Cache))
                ResidualBackward(dx, d);
        }
        Embedding.Backward("wte", d, a.Tokens, P("wte.weight"));
        if (Config.Positions == PositionKind.Learned) Embedding.Backward("wpe", d, a.Positions, P("wpe.weight"));
        d.Dispose();
    }

    /// <summary>Zeroes the gradients, runs forward, mean cross-entropy against <paramref name="targets"/>
    /// and backward; returns the loss.</summary>
    public double LossAndGradients(int[] tokens, int[] targets, int batch, int seqLen)
    {
        using var reuse = ReuseActivations();
        long t0 = NnProfile.Start();
        Parameters.ZeroGrad();
        NnProfile.Stop("zeroing gradients", t0);
        using var a = Forward(tokens, batch, seqLen);
        var (loss, probs) = SoftmaxCrossEntropy.Forward("loss", a.Logits, targets);
        using (probs)
        using (var dLogits = SoftmaxCrossEntropy.Backward(probs, targets))
            Backward(a, dLogits);
        return loss;
    }

    /// <summary>Mean cross-entropy without gradients.</summary>
    public double Loss(int[] tokens, int[] targets, int batch, int seqLen)
    {
        using var a = Forward(tokens, batch, seqLen);
        var (loss, probs) = SoftmaxCrossEntropy.Forward("loss", a.Logits, targets);
        probs.Dispose();
        return loss;
    }

    private Parameter P(string name) => Parameters[name];

    /// <summary>On the CPU, a training step's activations and gradients reuse the storage of the previous
    /// step's (disposed) ones: fresh arrays would be page-faulted in again inside the GEMMs. Only
    /// matrices that never leave a training step (<see cref="LossAndGradients"/>,
    /// <see cref="LmTrainer.KdLossAndGradients"/>) come from it; it holds about one step's working set
    /// for as long as the model lives, so evaluation-only calls (<see cref="Loss"/>) do not use it.</summary>
    private readonly HostArrayPool activationPool = new();

    /// <summary>Makes the model's activation pool current on this thread for one training step.</summary>
    internal HostArrayPool.Scope ReuseActivations() => activationPool.Activate();

    /// <summary>How many activation arrays came from the pool instead of a fresh allocation (tests).</summary>
    internal long ActivationReuses => activationPool.Reuses;

    /// <summary>How many activation arrays were newly allocated instead of reused (tests: 0 per step once warm).</summary>
    internal long ActivationAllocations => activationPool.Rents - activationPool.Reuses;

    /// <summary>Bytes of activation arrays the pool holds between steps (one step's working set once warm).</summary>
    internal long ActivationPoolBytes => activationPool.IdleBytes;

    private static Matrix Residual(Matrix x, Matrix branch)
    {
        long t0 = NnProfile.Start();
        var y = Ops.Add(x, branch);
        NnProfile.Stop("residual adds", t0);
        return y;
    }

    private static void ResidualBackward(Matrix dBranch, Matrix d)
    {
        long t0 = NnProfile.Start();
        Ops.Axpy(1, dBranch, d);
        NnProfile.Stop("residual adds", t0);
    }

    private void AddNorm(string name, int c, DType dtype, Device dev)
    {
        Parameters.Add(Init.Constant($"{name}.weight", [c], 1, dtype, dev));
        if (Config.Norm == NormKind.LayerNorm) Parameters.Add(Init.Constant($"{name}.bias", [c], 0, dtype, dev));
    }

    private (Matrix Y, object Cache) NormForward(string name, Matrix x)
    {
        if (Config.Norm == NormKind.LayerNorm)
        {
            var (y, cache) = LayerNorm.Forward(name, x, P($"{name}.weight"), P($"{name}.bias"));
            return (y, cache);
        }
        var (yr, r) = RmsNorm.Forward(name, x, P($"{name}.weight"));
        return (yr, r);
    }

    private Matrix NormBackward(string name, Matrix dy, Matrix x, object cache) => Config.Norm == NormKind.LayerNorm
        ? LayerNorm.Backward(name, dy, x, (LayerNorm.Cache)cache, P($"{name}.weight"), P($"{name}.bias"))
        : RmsNorm.Backward(name, dy, x, (Matrix)cache, P($"{name}.weight"));
}
