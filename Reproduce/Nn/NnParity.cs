using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>The same GPT (same seed, weights, batch) on two devices: loss, logits and every gradient
/// must agree. Float64 within 1e-10 relative (the devices sum in different orders: ~1e-15 per
/// operation, far below the bound); float32 within 1e-4 relative (the bound; 2⁻²⁴ ≈ 6e-8 per
/// operation accumulated over sums of a few hundred terms).</summary>
public static class NnParity
{
    /// <summary>Runs the comparison in float64 and float32.</summary>
    public static List<NnCheckResult> Run(Device device, Device reference, ulong seed = 1)
    {
        var results = new List<NnCheckResult>();
        var cfg = new GptConfig(VocabSize: 23, ContextLength: 16, Layers: 2, ModelDim: 32, Heads: 4, FfnDim: 64);
        var rng = new Rng(seed).Fork("parity-batch");
        const int batch = 3, seq = 16;
        var tok = new int[batch * seq]; var tgt = new int[batch * seq];
        for (int i = 0; i < tok.Length; i++) { tok[i] = rng.NextInt(cfg.VocabSize); tgt[i] = rng.NextInt(cfg.VocabSize); }
        foreach (var dtype in new[] { DType.F64, DType.F32 })
        {
            double tol = dtype == DType.F64 ? 1e-10 : 1e-4;
            var a = new Gpt(cfg, seed, dtype, device); var b = new Gpt(cfg, seed, dtype, reference);
            double la = a.LossAndGradients(tok, tgt, batch, seq), lb = b.LossAndGradients(tok, tgt, batch, seq);
            double el = Math.Abs(la - lb) / Math.Max(1, Math.Abs(lb));
            results.Add(new NnCheckResult($"parity {dtype} loss", el <= tol, $"{device.Name} {la:R} vs {reference.Name} {lb:R}: rel {el:E2} (bound {tol:E0})"));
            double eLogits = RelDiff(a.Forward(tok, batch, seq).Logits.ToArray(), b.Forward(tok, batch, seq).Logits.ToArray());
            results.Add(new NnCheckResult($"parity {dtype} logits", eLogits <= tol, $"rel {eLogits:E2} (bound {tol:E0})"));
            double worst = 0; string worstName = "";
            foreach (var p in b.Parameters.All)
            {
                double e = RelDiff(a.Parameters[p.Name].Grad.ToArray(), p.Grad.ToArray());
                if (e >= worst) { worst = e; worstName = p.Name; }
            }
            results.Add(new NnCheckResult($"parity {dtype} gradients ({b.Parameters.Count} tensors)", worst <= tol, $"worst {worstName}: rel {worst:E2} (bound {tol:E0})"));
        }
        return results;
    }

    /// <summary>max |a − b| / max(max |b|, 1e-30).</summary>
    internal static double RelDiff(double[] a, double[] b)
    {
        double m = 0, s = 1e-30;
        for (int i = 0; i < b.Length; i++) { s = Math.Max(s, Math.Abs(b[i])); if (!(Math.Abs(a[i] - b[i]) <= m)) m = Math.Abs(a[i] - b[i]); }
        return m / s;
    }
}
