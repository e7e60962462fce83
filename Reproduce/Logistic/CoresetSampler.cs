using Reproduce.Compute;

namespace Reproduce.Logistic;

/// <summary>Coreset constructions for logistic regression, all by i.i.d. importance sampling of m rows with probability
/// pᵢ and weight 1/(m pᵢ) (an unbiased estimate of the loss): uniform; sensitivity sampling with pᵢ ∝ √ℓᵢ + 1/n, ℓᵢ the
/// leverage scores of Z (Munteanu et al. 2018, with the √-leverage variant of Munteanu &amp; Omlor); and ℓ1 Lewis weights
/// (Mai, Musco, Rao 2021), the fixed point wᵢ = (zᵢᵀ(ZᵀW⁻¹Z)⁻¹zᵢ)^{1/2} computed by the iteration of Cohen &amp; Peng (2015).</summary>
public static class CoresetSampler
{
    /// <summary>Uniform sampling with replacement.</summary>
    public static Coreset Uniform(int n, int m, Rng rng) => Sample("uniform", Enumerable.Repeat(1.0 / n, n).ToArray(), m, rng);

    /// <summary>Sensitivity sampling with pᵢ ∝ √ℓᵢ + 1/n.</summary>
    public static Coreset Sensitivity(Matrix z, int m, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(z);
        var lev = Leverage(z, null);
        int n = z.Rows;
        var p = lev.Select(l => Math.Sqrt(Math.Max(l, 0)) + 1.0 / n).ToArray();
        return Sample("sqrt-leverage", Normalize(p), m, rng);
    }

    /// <summary>Sampling by ℓ1 Lewis weights.</summary>
    public static Coreset LewisWeights(Matrix z, int m, Rng rng, int iterations = 20)
    {
        ArgumentNullException.ThrowIfNull(z);
        var w = L1LewisWeights(z, iterations);
        return Sample("lewis", Normalize(w), m, rng);
    }

    /// <summary>Leverage scores ℓᵢ = zᵢᵀ(ZᵀDZ)⁻¹zᵢ with D = diag(<paramref name="rowWeights"/>) (identity when null).</summary>
    public static double[] Leverage(Matrix z, double[]? rowWeights)
    {
        int n = z.Rows, d = z.Cols;
        var g = Linalg.WeightedGram(z, rowWeights ?? Enumerable.Repeat(1.0, n).ToArray());
        for (int j = 0; j < d; j++) g[j, j] += 1e-12 * Math.Max(g[j, j], 1e-300);
        var l = Ops.Cholesky(g);
        // Rows of Z L⁻ᵀ: ℓᵢ = ‖L⁻¹zᵢ‖².
        var zt = Ops.Transpose(z.Device.Kind == DeviceKind.Cpu ? z : z.ToCpu());
        var y = Ops.TriangularSolve(l, zt, lower: true);
        var norms = Ops.ColumnNorms(y).ToArray();
        return norms.Select(v => v * v).ToArray();
    }

    /// <summary>ℓ1 Lewis weights by the fixed-point iteration wᵢ ← (zᵢᵀ(ZᵀW⁻¹Z)⁻¹zᵢ)^{1/2} (Σwᵢ → d).</summary>
    public static double[] L1LewisWeights(Matrix z, int iterations = 20)
    {
        ArgumentNullException.ThrowIfNull(z);
        int n = z.Rows;
        var w = Enumerable.Repeat(1.0, n).ToArray();
        for (int k = 0; k < iterations; k++)
        {
            var inv = w.Select(v => 1 / Math.Max(v, 1e-300)).ToArray();
            var lev = Leverage(z, inv);
            for (int i = 0; i < n; i++) w[i] = Math.Sqrt(Math.Max(lev[i], 0));
        }
        return w;
    }

    private static double[] Normalize(double[] p) { double s = p.Sum(); return p.Select(v => v / s).ToArray(); }

    private static Coreset Sample(string kind, double[] p, int m, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (m < 1) throw new ArgumentException($"CoresetSampler: coreset size m = {m}; it must be at least 1.", nameof(m));
        var idx = rng.SampleWithReplacement(p, m);
        var w = idx.Select(i => 1.0 / (m * p[i])).ToArray();
        return new Coreset(kind, idx, w);
    }
}
