using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Compression;

/// <summary>Structured pruning of attention heads (OSSCAR's head groups, brief §2.3): in every block keep
/// <c>keep</c> heads, chosen on the output projection <c>attn.c_proj</c> (input group = one head's head_dim
/// consecutive columns) with the sequential driver's calibration (block i sees the outputs of the already-pruned
/// blocks 0..i−1), the kept heads' columns refit by the pruner; then the model is rebuilt physically smaller:
/// <c>c_attn</c> keeps only the kept heads' query, key and value rows (and bias), <c>c_proj</c> only their columns,
/// Heads = keep at the same head_dim (<see cref="GptConfig.HeadDim"/>). A head reaches the residual stream only
/// through its c_proj columns, so zeroing them and deleting the head give the same outputs; that is why the
/// pruned blocks can be calibrated in the original shape before the rebuild.</summary>
public static class AttentionHeadPruning
{
    /// <summary>A new model with Heads = <paramref name="keep"/>, on <paramref name="model"/>'s device;
    /// <paramref name="model"/> is not changed. <paramref name="prune"/>(problem, head_dim, keep) returns weights whose
    /// pruned groups are zero (e.g. <see cref="Osscar.Prune"/> or <see cref="GroupMagnitudePruner.Prune"/>).
    /// Also returns each block's layer result (weights d × A with the pruned heads' columns zero).</summary>
    public static (Gpt Pruned, List<CompressionResult> Layers) Prune(Gpt model, int[] calibration, int batch, int seqLen, int keep,
        Func<LayerProblem, int, int, CompressionResult> prune, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model); ArgumentNullException.ThrowIfNull(prune);
        var cfg = model.Config;
        int heads = cfg.Heads, hd = cfg.AttentionHeadDim, att = cfg.AttentionDim;
        if (keep < 1 || keep > heads) throw new ArgumentOutOfRangeException(nameof(keep), keep, $"heads to keep must lie in 1..{heads} (the model's heads per block).");
        var dev = model.Parameters["wte.weight"].Value.Device;
        var dtype = model.Parameters["wte.weight"].Value.DType;
        var work = new Gpt(cfg, seed, dtype, dev);
        work.Parameters.SetFlat(model.Parameters.GetFlat());
        var keptPerBlock = new int[cfg.Layers][];
        var layers = new List<CompressionResult>();
        for (int i = 0; i < cfg.Layers; i++)
        {
            string name = $"h.{i}.attn.c_proj";
            Matrix? gram = null; int tokens = 0;
            using (work.Forward(calibration, batch, seqLen, (n, x) =>
            {
                if (n != name) return;
                var x64 = x.ToCpu().AsType(DType.F64);
                gram = Ops.Gram(x64, outer: true); tokens = x64.Cols;
            })) { }
            var param = work.Parameters[name + ".weight"];                       // held A × d (torch [d, A])
            var w = Ops.Transpose(param.Value.ToCpu().AsType(DType.F64));        // d × A
            var r = prune(new LayerProblem(w, gram!, tokens), hd, keep);
            // The kept heads are the `keep` groups of largest norm (the pruned ones are exactly zero).
            double GroupNorm(int g) { double s = 0; for (int q = 0; q < r.Weights.Rows; q++) for (int c = g * hd; c < (g + 1) * hd; c++) s += r.Weights[q, c] * r.Weights[q, c]; return s; }
            keptPerBlock[i] = Enumerable.Range(0, heads).OrderByDescending(GroupNorm).ThenBy(g => g).Take(keep).Order().ToArray();
            var keptCols = Osscar.Columns(keptPerBlock[i], hd).ToHashSet();
            var zeroed = Matrix.Build(r.Weights.Rows, att, (q, c) => keptCols.Contains(c) ? r.Weights[q, c] : 0);
            param.Assign(Ops.Transpose(zeroed).To(dev));
            layers.Add(r);
        }
        var small = new Gpt(cfg with { Heads = keep, HeadDim = hd }, seed, dtype, dev);
        foreach (var p in small.Parameters.All)
        {
            var src = work.Parameters[p.Name].Value.ToCpu();
            int blk = BlockOf(p.Name);
            Matrix v = src;
            if (blk >= 0 && p.Name.StartsWith($"h.{blk}.attn.c_attn.", StringComparison.Ordinal))
            {
                // Rows [0, A) are queries, [A, 2A) keys, [2A, 3A) values; head h owns rows h·hd..(h+1)·hd of each.
                var idx = QkvRows(keptPerBlock[blk], hd, att);
                v = src.Cols == 1 ? Ops.GatherRows(src, idx) : Ops.GatherColumns(src, idx);   // bias 3A × 1: rows; weight held d × 3A: columns
            }
            else if (blk >= 0 && p.Name == $"h.{blk}.attn.c_proj.weight")
                v = Ops.GatherRows(src, Osscar.Columns(keptPerBlock[blk], hd));    // held A × d: rows
            p.Assign(v);
        }
        return (small, layers);
    }

    /// <summary>The rows of packed QKV (3A) that belong to <paramref name="heads"/>, in query, key, value order.</summary>
    internal static int[] QkvRows(int[] heads, int headDim, int attentionDim) =>
        Enumerable.Range(0, 3).SelectMany(part => Osscar.Columns(heads, headDim).Select(c => part * attentionDim + c)).ToArray();

    private static int BlockOf(string name) =>
        name.StartsWith("h.", StringComparison.Ordinal) ? int.Parse(name[2..name.IndexOf('.', 2)], System.Globalization.CultureInfo.InvariantCulture) : -1;
}
