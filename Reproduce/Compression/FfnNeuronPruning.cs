using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Compression;

/// <summary>Structured pruning of FFN neurons (OSSCAR's FFN groups, brief §2.3): in every block keep
/// <c>keep</c> hidden neurons of the MLP, chosen on the down-projection <c>mlp.c_proj</c> (input group = one
/// neuron, G = 1) with the sequential driver's calibration (block i sees the outputs of the already-pruned
/// blocks 0..i−1), its kept columns refit by the pruner; then the model is rebuilt physically smaller:
/// <c>c_fc</c> keeps only the kept neurons' rows and bias, <c>c_proj</c> only their columns, FfnDim = keep.
/// Zeroing a neuron's c_proj column and deleting it give the same outputs (its contribution is W[:, j]·g_j),
/// which is why the pruned blocks can be calibrated in the original shape before the rebuild.</summary>
public static class FfnNeuronPruning
{
    /// <summary>A new model with FfnDim = <paramref name="keep"/>, on <paramref name="model"/>'s device;
    /// <paramref name="model"/> is not changed. <paramref name="prune"/>(problem, keep) returns weights whose
    /// pruned columns are zero (e.g. <see cref="Osscar.Prune"/> or <see cref="GroupMagnitudePruner.Prune"/> with G = 1).
    /// Also returns each block's layer result.</summary>
    public static (Gpt Pruned, List<CompressionResult> Layers) Prune(Gpt model, int[] calibration, int batch, int seqLen, int keep,
        Func<LayerProblem, int, CompressionResult> prune, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model); ArgumentNullException.ThrowIfNull(prune);
        int f = model.Config.FfnDim;
        if (keep < 1 || keep > f) throw new ArgumentOutOfRangeException(nameof(keep), keep, $"neurons to keep must lie in 1..{f} (the model's FFN width).");
        var dev = model.Parameters["wte.weight"].Value.Device;
        var work = new Gpt(model.Config, seed, model.Parameters["wte.weight"].Value.DType, dev);
        work.Parameters.SetFlat(model.Parameters.GetFlat());
        var keptPerBlock = new int[model.Config.Layers][];
        var layers = new List<CompressionResult>();
        for (int i = 0; i < model.Config.Layers; i++)
        {
            string name = $"h.{i}.mlp.c_proj";
            Matrix? gram = null; int tokens = 0;
            using (work.Forward(calibration, batch, seqLen, (n, x) =>
            {
                if (n != name) return;
                var x64 = x.ToCpu().AsType(DType.F64);
                gram = Ops.Gram(x64, outer: true); tokens = x64.Cols;
            })) { }
            var param = work.Parameters[name + ".weight"];                       // held f × d (torch [d, f])
            var w = Ops.Transpose(param.Value.ToCpu().AsType(DType.F64));        // d_out × f
            var r = prune(new LayerProblem(w, gram!, tokens), keep);
            // The kept neurons are the `keep` columns of largest norm (the pruned ones are exactly zero).
            keptPerBlock[i] = Enumerable.Range(0, f).Select(j => (j, n: Enumerable.Range(0, r.Weights.Rows).Sum(q => r.Weights[q, j] * r.Weights[q, j])))
                .OrderByDescending(t => t.n).ThenBy(t => t.j).Take(keep).Select(t => t.j).Order().ToArray();
            var keptSet = keptPerBlock[i].ToHashSet();
            var zeroed = Matrix.Build(r.Weights.Rows, f, (q, j) => keptSet.Contains(j) ? r.Weights[q, j] : 0);
            param.Assign(Ops.Transpose(zeroed).To(dev));
            layers.Add(r);
        }
        var small = new Gpt(model.Config with { FfnDim = keep }, seed, work.Parameters["wte.weight"].Value.DType, dev);
        foreach (var p in small.Parameters.All)
        {
            var src = work.Parameters[p.Name].Value.ToCpu();
            int blk = BlockOf(p.Name);
            Matrix v = src;
            if (blk >= 0 && p.Name.Contains(".mlp.c_fc.", StringComparison.Ordinal))
                v = src.Rows == f && src.Cols != f ? Ops.GatherRows(src, keptPerBlock[blk]) : Ops.GatherColumns(src, keptPerBlock[blk]);  // weight d × f: columns; bias: its f entries
            else if (blk >= 0 && p.Name == $"h.{blk}.mlp.c_proj.weight")
                v = Ops.GatherRows(src, keptPerBlock[blk]);                      // held f × d: rows
            p.Assign(v);
        }
        return (small, layers);
    }

    private static int BlockOf(string name) =>
        name.StartsWith("h.", StringComparison.Ordinal) ? int.Parse(name[2..name.IndexOf('.', 2)], System.Globalization.CultureInfo.InvariantCulture) : -1;
}
