using System.Globalization;
using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;

namespace Reproduce.Compression;

/// <summary>The compression notebook's figures (issue 20; brief §3). Layer-level figures use the brief's
/// synthetic layer (AR(1) inputs with ρ = 0.9 and 4 outlier channels ×10, Ŵ ~ N(0, 1/d_in)); the papers'
/// models and data are out of reach, so every number here is a small-scale stand-in.</summary>
public static partial class CompressionExperiments
{
    /// <summary>Synthetic layers, one per seed: d_in = d_out = 64 and N = 256 at smoke scale; 128 and 512 at paper scale (brief §3).</summary>
    internal static List<LayerProblem> Problems(RunContext ctx, int seeds)
    {
        int d = ctx.Pick(64, 128), n = ctx.Pick(256, 512);
        return Enumerable.Range(0, seeds).Select(s => SyntheticLayer.Create(d, d, n, ctx.Rng("layer").Fork(s))).ToList();
    }

    internal static string F(double v) => v.ToString("G3", CultureInfo.InvariantCulture);

    internal static string Pct(double v) => v.ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + " %";
}
