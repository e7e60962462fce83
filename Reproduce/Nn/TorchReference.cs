using System.Globalization;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>The cross-check against PyTorch (issue 23 item 5). <see cref="WriteInput"/> writes a tiny
/// GPT's float64 weights and one batch to a safetensors file (committed under
/// Reproduce.Tests/Nn/Fixtures); <c>tools/nn/torch_reference.py</c> rebuilds the same model in
/// PyTorch from that file and writes its loss, logits and gradients in float64 and float32;
/// <see cref="Compare"/> checks ours against them: float64 within 1e-8 relative, float32 within 1e-4
/// (the issue's bounds).</summary>
public static class TorchReference
{
    /// <summary>The fixture model: 2 layers, d = 16, 4 heads, FFN 32, vocabulary 13, context 8.</summary>
    public static readonly GptConfig Config = new(VocabSize: 13, ContextLength: 8, Layers: 2, ModelDim: 16, Heads: 4, FfnDim: 32);

    /// <summary>The same model with rotary positions (no <c>wpe</c>; <see cref="Rotary"/>: rotate-half
    /// pairs (i, i + D/2) of each head's queries and keys by t·10000^(−2i/D), values untouched), which
    /// <c>tools/nn/torch_reference_rotary.py</c> rebuilds in the same convention (Hugging Face Llama's
    /// <c>rotate_half</c>).</summary>
    public static readonly GptConfig RotaryConfig = Config with { Positions = PositionKind.Rotary };

    /// <summary>The fixture's configuration: learned positions, or rotary with <paramref name="rotary"/>.</summary>
    public static GptConfig ConfigFor(bool rotary) => rotary ? RotaryConfig : Config;

    /// <summary>File name stem of the fixture ("gpt-tiny" or "gpt-tiny-rotary"); PyTorch's output is
    /// "{stem}-torch.safetensors" (only the learned fixture has an input file, "gpt-tiny-input.safetensors").</summary>
    public static string Stem(bool rotary) => rotary ? "gpt-tiny-rotary" : "gpt-tiny";

    /// <summary>Batch shape of the fixture.</summary>
    public const int Batch = 2, SeqLen = 8;

    /// <summary>The fixture model and batch: learned positions with weights N(0, 0.5²) from <see cref="Rng"/>
    /// (written to the input file that the script reads); rotary positions with <see cref="HashWeights"/>,
    /// which <c>tools/nn/torch_reference_rotary.py</c> computes itself. Either way every gradient is well
    /// above rounding.</summary>
    public static (Gpt Model, int[] Tokens, int[] Targets) Build(DType dtype = DType.F64, bool rotary = false, Device? device = null)
    {
        var config = ConfigFor(rotary);
        var m = new Gpt(config, 7, dtype, device);
        if (rotary) return HashWeights(m);
        var rng = new Rng(7).Fork("torch-fixture");
        foreach (var p in m.Parameters.All)
        {
            var v = rng.NormalMatrix(p.Value.Rows, p.Value.Cols);
            Ops.MapInPlace(UnaryOp.Scale, v, 0.5);
            p.Assign(v);
        }
        var tok = new int[Batch * SeqLen]; var tgt = new int[Batch * SeqLen];
        for (int i = 0; i < tok.Length; i++) { tok[i] = rng.NextInt(config.VocabSize); tgt[i] = rng.NextInt(config.VocabSize); }
        return (m, tok, tgt);
    }

    /// <summary>Sets every parameter from an integer hash, bit for bit as <c>tools/nn/torch_reference_rotary.py</c>:
    /// entry j (row-major in the PyTorch shape, which is our column-major order) of tensor <c>name</c> is
    /// ((h mod 20001) − 10000)/20000 with h = <see cref="Mix"/>(name, j), a uniform grid on [−½, ½] whose
    /// values both languages divide out exactly the same; token and target j are Mix("batch.tokens", j) and
    /// Mix("batch.targets", j) mod V.</summary>
    public static (Gpt Model, int[] Tokens, int[] Targets) HashWeights(Gpt m)
    {
        foreach (var p in m.Parameters.All)
        {
            var v = new double[p.Value.Length];
            for (int j = 0; j < v.Length; j++) v[j] = ((long)(Mix(p.Name, (uint)j) % 20001) - 10000) / 20000.0;
            p.Assign(Matrix.FromColumnMajor(p.Value.Rows, p.Value.Cols, v));
        }
        int n = Batch * SeqLen, vocab = m.Config.VocabSize;
        var tok = new int[n]; var tgt = new int[n];
        for (int j = 0; j < n; j++) { tok[j] = (int)(Mix("batch.tokens", (uint)j) % (uint)vocab); tgt[j] = (int)(Mix("batch.targets", (uint)j) % (uint)vocab); }
        return (m, tok, tgt);
    }

    /// <summary>FNV-1a of the ASCII name, xor j·2654435761, then two multiply-xorshift rounds (all mod 2³²).</summary>
    public static uint Mix(string name, uint j)
    {
        unchecked
        {
            uint h = 2166136261;
            foreach (char ch in name) h = (h ^ ch) * 16777619;
            h ^= j * 2654435761;
            h = (h ^ (h >> 15)) * 2246822519;
            h = (h ^ (h >> 13)) * 3266489917;
            return h ^ (h >> 16);
        }
    }

    /// <summary>The input file's bytes: every parameter (F64, PyTorch names and shapes), the batch as
    /// "batch.tokens"/"batch.targets" [B, T], and the configuration in the metadata.</summary>
    public static byte[] InputBytes()
    {
        var (m, tok, tgt) = Build();
        var tensors = m.Parameters.All.Select(p => new SafetensorsTensor(p.Name, "F64", p.TorchShape, p.Value.ToArray())).ToList();
        tensors.Add(new SafetensorsTensor("batch.tokens", "F64", [Batch, SeqLen], tok.Select(t => (double)t).ToArray()));
        tensors.Add(new SafetensorsTensor("batch.targets", "F64", [Batch, SeqLen], tgt.Select(t => (double)t).ToArray()));
        var ci = CultureInfo.InvariantCulture;
        var meta = new Dictionary<string, string>
        {
            ["vocab_size"] = Config.VocabSize.ToString(ci), ["context_length"] = Config.ContextLength.ToString(ci),
            ["layers"] = Config.Layers.ToString(ci), ["model_dim"] = Config.ModelDim.ToString(ci), ["heads"] = Config.Heads.ToString(ci),
            ["ffn_dim"] = Config.FfnDim.ToString(ci), ["norm"] = "layernorm", ["norm_eps"] = "1e-5", ["activation"] = "gelu_tanh",
        };
        return Safetensors.Serialize(tensors, meta);
    }

    /// <summary>Writes <see cref="InputBytes"/>.</summary>
    public static void WriteInput(string path) => File.WriteAllBytes(path, InputBytes());

    /// <summary>Our loss, logits and gradients against the PyTorch output file, per precision, computed on
    /// <paramref name="device"/> (the CPU by default).</summary>
    public static List<NnCheckResult> Compare(string torchOutputPath, bool rotary = false, Device? device = null)
    {
        string label = (rotary ? " rotary" : "") + (device is null || device.Kind == DeviceKind.Cpu ? "" : $" on {device.Name}");
        var (torch, meta) = Safetensors.Read(torchOutputPath);
        var byName = torch.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var results = new List<NnCheckResult>();
        foreach (var (dtype, prefix, tol) in new[] { (DType.F64, "f64", 1e-8), (DType.F32, "f32", 1e-4) })
        {
            var (m, tok, tgt) = Build(dtype, rotary, device);
            double loss = m.LossAndGradients(tok, tgt, Batch, SeqLen);
            double[] logits;
            using (var a = m.Forward(tok, Batch, SeqLen)) logits = a.Logits.ToCpu().ToArray(); // V×N column-major = [N, V] row-major
            T Get<T>(string n, Func<SafetensorsTensor, T> f) => byName.TryGetValue($"{prefix}.{n}", out var t) ? f(t)
                : throw new InvalidDataException($"{torchOutputPath}: tensor '{prefix}.{n}' is missing; regenerate it with tools/nn/torch_reference.py.");
            double tl = Get("loss", t => t.Data[0]);
            double el = Math.Abs(loss - tl) / Math.Abs(tl);
            results.Add(new NnCheckResult($"pytorch{label} {prefix} loss", el <= tol, $"ours {loss:R}, torch {tl:R}: rel {el:E2} (bound {tol:E0}; torch {meta.GetValueOrDefault("torch", "?")})"));
            double eg = NnParity.RelDiff(logits, Get("logits", t => t.Data));
            results.Add(new NnCheckResult($"pytorch{label} {prefix} logits", eg <= tol, $"rel {eg:E2} (bound {tol:E0})"));
            foreach (var p in m.Parameters.All)
            {
                double e = NnParity.RelDiff(p.Grad.ToCpu().ToArray(), Get("grad." + p.Name, t => t.Data));
                results.Add(new NnCheckResult($"pytorch{label} {prefix} grad {p.Name}", e <= tol, $"rel {e:E2} (bound {tol:E0})"));
            }
        }
        return results;
    }
}
