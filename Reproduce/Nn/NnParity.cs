using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>The same GPT (same seed, weights, batch) on two devices: loss, logits, every gradient and
/// an optimizer step must agree, for several shapes (so every NVRTC kernel of the CUDA engine, forward
/// and backward, is compared against the host kernels). Float64 within 1e-10 relative (the devices sum in different orders: ~1e-15 per
/// operation, far below the bound); float32 within 1e-4 relative (the bound; 2⁻²⁴ ≈ 6e-8 per
/// operation accumulated over sums of a few hundred terms).</summary>
public static class NnParity
{
    /// <summary>The model shapes compared: GPT-2's arrangement (LayerNorm, GELU) at a width that fills
    /// one warp; RMSNorm with SiLU; rotary positions; and an odd shape whose width (40), vocabulary (70 &gt; 64) and
    /// sequence (40 &gt; 32) make every per-column kernel loop more than once over a partial warp.</summary>
    internal static readonly (string Name, GptConfig Config, int Batch, int Seq)[] Cases =
    [
        ("gpt", new GptConfig(VocabSize: 23, ContextLength: 16, Layers: 2, ModelDim: 32, Heads: 4, FfnDim: 64), 3, 16),
        ("rmsnorm-silu", new GptConfig(23, 16, 2, 32, 4, 64, NormKind.RmsNorm, ActivationKind.Silu), 2, 16),
        ("odd-shape", new GptConfig(70, 40, 1, 40, 5, 72), 2, 40),
        ("rotary", new GptConfig(23, 16, 2, 32, 4, 64, Positions: PositionKind.Rotary), 2, 16),
    ];

    /// <summary>Runs the comparison in float64 and float32: per case the loss, the logits and every
    /// gradient, then one AdamW and one SGD step from those gradients (parameters compared), and each
    /// activation's forward and backward on its own (ReLU appears in no case model).</summary>
    public static List<NnCheckResult> Run(Device device, Device reference, ulong seed = 1)
    {
        var results = new List<NnCheckResult>();
        foreach (var dtype in new[] { DType.F64, DType.F32 })
        {
            double tol = dtype == DType.F64 ? 1e-10 : 1e-4;
            foreach (var (name, cfg, batch, seq) in Cases)
            {
                var rng = new Rng(seed).Fork("parity-batch-" + name);
                var tok = new int[batch * seq]; var tgt = new int[batch * seq];
                for (int i = 0; i < tok.Length; i++) { tok[i] = rng.NextInt(cfg.VocabSize); tgt[i] = rng.NextInt(cfg.VocabSize); }
                string tag = name == "gpt" ? $"{dtype}" : $"{dtype} {name}";
                var a = new Gpt(cfg, seed, dtype, device); var b = new Gpt(cfg, seed, dtype, reference);
                double la = a.LossAndGradients(tok, tgt, batch, seq), lb = b.LossAndGradients(tok, tgt, batch, seq);
                double el = Math.Abs(la - lb) / Math.Max(1, Math.Abs(lb));
                results.Add(new NnCheckResult($"parity {tag} loss", el <= tol, $"{device.Name} {la:R} vs {reference.Name} {lb:R}: rel {el:E2} (bound {tol:E0})"));
                double eLogits;
                using (var fa = a.Forward(tok, batch, seq))
                using (var fb = b.Forward(tok, batch, seq))
                    eLogits = RelDiff(fa.Logits.ToArray(), fb.Logits.ToArray());
                results.Add(new NnCheckResult($"parity {tag} logits", eLogits <= tol, $"rel {eLogits:E2} (bound {tol:E0})"));
                var (worst, worstName) = Worst(a, b, p => p.Grad);
                results.Add(new NnCheckResult($"parity {tag} gradients ({b.Parameters.Count} tensors)", worst <= tol, $"worst {worstName}: rel {worst:E2} (bound {tol:E0})"));
                if (name != "gpt") continue;
                // Optimizer kernels: the same update from the same values and gradients on both devices.
                // The gradients are copied over first: some are zero up to rounding (the key bias cannot
                // change a softmax over keys), and AdamW's first step, g/(|g| + ε), turns two different
                // round-offs of zero into updates of ±lr, so the devices' own gradients would test noise.
                CopyState(b, a);
                new AdamW(weightDecay: 0.1).Step(a.Parameters, 1e-2);
                new AdamW(weightDecay: 0.1).Step(b.Parameters, 1e-2);
                (worst, worstName) = Worst(a, b, p => p.Value);
                results.Add(new NnCheckResult($"parity {tag} AdamW step", worst <= tol, $"worst {worstName}: rel {worst:E2} (bound {tol:E0})"));
                CopyState(b, a);
                new Sgd(0.9, 0.01).Step(a.Parameters, 1e-1);
                new Sgd(0.9, 0.01).Step(b.Parameters, 1e-1);
                (worst, worstName) = Worst(a, b, p => p.Value);
                results.Add(new NnCheckResult($"parity {tag} SGD step", worst <= tol, $"worst {worstName}: rel {worst:E2} (bound {tol:E0})"));
            }
            results.Add(KlParity(device, reference, dtype, tol, seed));
            results.AddRange(CnnParity(device, reference, dtype, tol, seed));
            foreach (var kind in Enum.GetValues<ActivationKind>())
            {
                var rng = new Rng(seed).Fork("parity-activation");
                var x = rng.NormalMatrix(37, 29).AsType(dtype); var dy = rng.NormalMatrix(37, 29).AsType(dtype);
                using var xd = x.To(device); using var dyd = dy.To(device);
                using var ya = Activation.Forward(kind, xd); using var yb = Activation.Forward(kind, x.To(reference));
                using var da = Activation.Backward("act", kind, dyd, xd); using var db = Activation.Backward("act", kind, dy.To(reference), x.To(reference));
                double e = Math.Max(RelDiff(ya.ToArray(), yb.ToArray()), RelDiff(da.ToArray(), db.ToArray()));
                results.Add(new NnCheckResult($"parity {dtype} {kind} forward and backward", e <= tol, $"rel {e:E2} (bound {tol:E0})"));
            }
        }
        return results;
    }

    /// <summary>Distillation KL at τ = 2 (both scalings): loss, both tempered softmaxes, the student gradient.</summary>
    private static NnCheckResult KlParity(Device device, Device reference, DType dtype, double tol, ulong seed)
    {
        var rng = new Rng(seed).Fork("parity-kl");
        var zs = rng.NormalMatrix(70, 37).AsType(dtype); var zt = rng.NormalMatrix(70, 37).AsType(dtype);
        double worst = 0;
        foreach (bool scaled in new[] { false, true })
        {
            using var zsd = zs.To(device); using var ztd = zt.To(device);
            var (la, qa, pa) = DistillationKl.Forward("kl", zsd, ztd, 2, scaled);
            var (lb, qb, pb) = DistillationKl.Forward("kl", zs.To(reference), zt.To(reference), 2, scaled);
            using var ga = DistillationKl.Backward(qa, pa, 2, scaled); using var gb = DistillationKl.Backward(qb, pb, 2, scaled);
            worst = Math.Max(worst, Math.Abs(la - lb) / Math.Max(1, Math.Abs(lb)));
            worst = Math.Max(worst, Math.Max(RelDiff(qa.ToArray(), qb.ToArray()), RelDiff(pa.ToArray(), pb.ToArray())));
            worst = Math.Max(worst, RelDiff(ga.ToArray(), gb.ToArray()));
            foreach (var m in new[] { qa, pa, qb, pb }) m.Dispose();
        }
        return new NnCheckResult($"parity {dtype} distillation KL (τ = 2, both scalings)", worst <= tol, $"loss, q, p, gradient: worst rel {worst:E2} (bound {tol:E0})");
    }

    /// <summary>The CNN of the mSAM figures at an odd shape (2×9×7 images, so pooling drops a row and a
    /// column; blocks of 3 and 5 channels; 4 classes; batch 5): im2col, col2im and max pooling forward and
    /// backward on their own must agree exactly (they copy values, and col2im sums in the same order on
    /// every device), then the loss, the logits and every gradient within <paramref name="tol"/>.</summary>
    private static List<NnCheckResult> CnnParity(Device device, Device reference, DType dtype, double tol, ulong seed)
    {
        var results = new List<NnCheckResult>();
        var rng = new Rng(seed).Fork("parity-cnn");
        var s = new ImageShape(2, 9, 7);
        const int n = 5, k = 3, p = 1;
        var x = rng.NormalMatrix(s.Features, n).AsType(dtype);
        var dcols = rng.NormalMatrix(k * k * s.Channels, s.Pixels * n).AsType(dtype);
        var dpool = rng.NormalMatrix(MaxPool2d.OutputShape("pool", s, 2).Features, n).AsType(dtype);
        using var xd = x.To(device); using var dcd = dcols.To(device); using var dpd = dpool.To(device);
        var xr = x.To(reference); var dcr = dcols.To(reference); var dpr = dpool.To(reference);
        double e = 0;
        using (var a = Conv2d.Im2Col(xd, s, k, p)) using (var b = Conv2d.Im2Col(xr, s, k, p)) e = Math.Max(e, RelDiff(a.ToArray(), b.ToArray()));
        using (var a = Conv2d.Col2Im(dcd, s, k, p, n)) using (var b = Conv2d.Col2Im(dcr, s, k, p, n)) e = Math.Max(e, RelDiff(a.ToArray(), b.ToArray()));
        using (var a = MaxPool2d.Forward("pool", xd, s, 2)) using (var b = MaxPool2d.Forward("pool", xr, s, 2)) e = Math.Max(e, RelDiff(a.ToArray(), b.ToArray()));
        using (var a = MaxPool2d.Backward("pool", dpd, xd, s, 2)) using (var b = MaxPool2d.Backward("pool", dpr, xr, s, 2)) e = Math.Max(e, RelDiff(a.ToArray(), b.ToArray()));
        results.Add(new NnCheckResult($"parity {dtype} im2col, col2im, max-pool forward and backward", e == 0, $"worst rel {e:E2} (must be exact)"));

        var labels = Enumerable.Range(0, n).Select(i => rng.NextInt(4)).ToArray();
        var ca = new Cnn(s, [3, 5], 4, seed, k, dtype, device); var cb = new Cnn(s, [3, 5], 4, seed, k, dtype, reference);
        double la = ca.LossAndGradients(xd, labels), lb = cb.LossAndGradients(xr, labels);
        double el = Math.Abs(la - lb) / Math.Max(1, Math.Abs(lb));
        double eLogits;
        using (var za = ca.Logits(xd)) using (var zb = cb.Logits(xr)) eLogits = RelDiff(za.ToArray(), zb.ToArray());
        double worst = 0; string worstName = "";
        foreach (var q in cb.Parameters.All)
        {
            double eg = RelDiff(ca.Parameters[q.Name].Grad.ToArray(), q.Grad.ToArray());
            if (eg >= worst) { worst = eg; worstName = q.Name; }
        }
        bool ok = el <= tol && eLogits <= tol && worst <= tol;
        results.Add(new NnCheckResult($"parity {dtype} cnn loss, logits and gradients", ok,
            $"loss rel {el:E2}, logits rel {eLogits:E2}, worst gradient {worstName} rel {worst:E2} (bound {tol:E0})"));
        return results;
    }

    /// <summary>Copies every value and gradient of <paramref name="from"/> into <paramref name="to"/> exactly.</summary>
    private static void CopyState(Gpt from, Gpt to)
    {
        foreach (var p in from.Parameters.All)
        {
            var q = to.Parameters[p.Name];
            using var v = p.Value.ToCpu(); using var g = p.Grad.ToCpu();
            NnHost.WriteBack(v, q.Value);
            NnHost.WriteBack(g, q.Grad);
        }
    }

    private static (double Worst, string Name) Worst(Gpt a, Gpt b, Func<Parameter, Matrix> what)
    {
        double worst = 0; string worstName = "";
        foreach (var p in b.Parameters.All)
        {
            double e = RelDiff(what(a.Parameters[p.Name]).ToArray(), what(p).ToArray());
            if (e >= worst) { worst = e; worstName = p.Name; }
        }
        return (worst, worstName);
    }

    /// <summary>max |a − b| / max(max |b|, 1e-30).</summary>
    internal static double RelDiff(double[] a, double[] b)
    {
        double m = 0, s = 1e-30;
        for (int i = 0; i < b.Length; i++) { s = Math.Max(s, Math.Abs(b[i])); if (!(Math.Abs(a[i] - b[i]) <= m)) m = Math.Abs(a[i] - b[i]); }
        return m / s;
    }
}
