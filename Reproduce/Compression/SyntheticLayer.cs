using Reproduce.Compute;

namespace Reproduce.Compression;

/// <summary>The brief's synthetic layer problem (§3, proposal): calibration rows X ~ N(0, Σ) with
/// Σ_ij = ρ^{|i−j|} (ρ = 0.9, an AR(1) correlation so H is far from diagonal) and a few outlier input
/// channels scaled ×10 (as in LLM activations); weights Ŵ_ij ~ N(0, 1/d_in).</summary>
public static class SyntheticLayer
{
    /// <summary>Builds one problem. <paramref name="outliers"/> channels (evenly spaced) are scaled by 10.</summary>
    public static LayerProblem Create(int dOut, int dIn, int rows, Rng rng, double correlation = 0.9, int outliers = 4)
    {
        var (w, x) = WeightsAndInputs(dOut, dIn, rows, rng, correlation, outliers);
        return LayerProblem.FromInputs(w, x);
    }

    /// <summary>The weights Ŵ and calibration inputs X of <see cref="Create"/> (same draws), before H = XᵀX is formed.</summary>
    public static (Matrix Weights, Matrix Inputs) WeightsAndInputs(int dOut, int dIn, int rows, Rng rng, double correlation = 0.9, int outliers = 4)
    {
        if (dOut < 1 || dIn < 1 || rows < 1) throw new ArgumentOutOfRangeException(nameof(dIn), $"{dOut}×{dIn}, N = {rows}", "sizes must be ≥ 1.");
        if (!(correlation >= 0 && correlation < 1)) throw new ArgumentOutOfRangeException(nameof(correlation), correlation, "correlation must lie in [0, 1).");
        var x = new double[(long)rows * dIn];
        double innov = Math.Sqrt(1 - correlation * correlation);
        var xr = rng.Fork("x");
        for (int i = 0; i < rows; i++)
        {
            double prev = xr.Normal();
            x[i] = prev;
            for (int j = 1; j < dIn; j++) { prev = correlation * prev + innov * xr.Normal(); x[i + (long)j * rows] = prev; }
        }
        for (int k = 0; k < Math.Min(outliers, dIn); k++)
        {
            int j = (int)((k + 0.5) * dIn / Math.Min(outliers, dIn));
            for (int i = 0; i < rows; i++) x[i + (long)j * rows] *= 10;
        }
        var wr = rng.Fork("w");
        double sd = 1 / Math.Sqrt(dIn);
        var w = Matrix.Build(dOut, dIn, (_, _) => sd * wr.Normal());
        return (w, Matrix.FromColumnMajor(rows, dIn, x));
    }
}
