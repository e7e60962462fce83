using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Compression;

/// <summary>The sequential block driver (brief §2.2): blocks are compressed in order; block i's calibration
/// inputs come from one forward pass of the model whose blocks 0..i−1 are already compressed and whose block i
/// is still dense, so every linear map of block i gets H = XᵀX from the same pass. lm_head is left dense.</summary>
public static class SequentialCompressor
{
    /// <summary>The four linear maps of GPT block i, in forward order.</summary>
    public static string[] BlockLinears(int i) => [$"h.{i}.attn.c_attn", $"h.{i}.attn.c_proj", $"h.{i}.mlp.c_fc", $"h.{i}.mlp.c_proj"];

    /// <summary>Compresses every block's linear maps in place with <paramref name="compress"/> (given the
    /// layer name and its problem, in PyTorch layout W d_out × d_in); returns the per-layer results.
    /// <paramref name="compress"/> is called for the four maps of a block concurrently, so it must be thread-safe.</summary>
    public static List<(string Layer, CompressionResult Result)> Run(Gpt model, int[] calibration, int batch, int seqLen,
        Func<string, LayerProblem, CompressionResult> compress)
    {
        ArgumentNullException.ThrowIfNull(model); ArgumentNullException.ThrowIfNull(calibration); ArgumentNullException.ThrowIfNull(compress);
        var results = new List<(string, CompressionResult)>();
        for (int i = 0; i < model.Config.Layers; i++)
        {
            var names = BlockLinears(i);
            var grams = new Dictionary<string, Matrix>();
            int tokens = 0;
            model.Forward(calibration, batch, seqLen, (name, x) =>
            {
                if (!names.Contains(name)) return;
                var x64 = x.ToCpu().AsType(DType.F64);   // d_in × N (one column per token)
                grams[name] = Ops.Gram(x64, outer: true);
                tokens = x64.Cols;
            });
            // The four maps of a block are independent given the pass above, so they are compressed in
            // parallel on the CPU; device transfers stay on this thread (before and after).
            var ws = names.Select(n => Ops.Transpose(model.Parameters[n + ".weight"].Value.ToCpu().AsType(DType.F64))).ToArray();  // held d_in × d_out → d_out × d_in
            var done = new CompressionResult[names.Length];
            Parallel.For(0, names.Length, k => done[k] = compress(names[k], new LayerProblem(ws[k], grams[names[k]], tokens)));
            for (int k = 0; k < names.Length; k++)
            {
                var param = model.Parameters[names[k] + ".weight"];
                param.Assign(Ops.Transpose(done[k].Weights).To(param.Value.Device));
                results.Add((names[k], done[k]));
            }
        }
        return results;
    }
}
