namespace Reproduce.Training;

/// <summary>m-sharpness (Foret et al. 2021, §4; Andriushchenko and Flammarion 2022): the examples are
/// split into disjoint subsets S_k of <c>subsetSize</c> examples (the "m" of m-sharpness is a size)
/// and the inner maximum is approximated by one normalised gradient step, as SAM does:
/// (1/K)Σ_k [L_{S_k}(w + ε_k) − L_{S_k}(w)], ε_k = ρ·∇L_{S_k}(w)/(‖∇L_{S_k}(w)‖ + 1e-12).
/// Same remainder rule as <see cref="MicroBatches"/>: the subset size must divide the example count.</summary>
public static class MSharpness
{
    /// <summary>The estimate at w over <paramref name="examples"/>.</summary>
    public static double Estimate(IBatchObjective objective, ReadOnlySpan<double> w, ReadOnlySpan<int> examples, int subsetSize, double rho)
    {
        SharpnessAwareGuard.Rho(rho);
        ArgumentNullException.ThrowIfNull(objective);
        var g = new double[objective.ParameterCount];
        SharpnessAwareGuard.Batch(objective, w, examples, g);
        int k = MicroBatches.CountFromSize(examples.Length, subsetSize);
        var perturbed = new double[w.Length];
        double sum = 0;
        for (int s = 0; s < k; s++)
        {
            var subset = examples.Slice(s * subsetSize, subsetSize);
            double l0 = objective.LossAndGradient(w, subset, g);
            double scale = rho / (FlatVector.Norm(g) + SharpnessAwareGuard.NormGuard);
            for (int i = 0; i < w.Length; i++) perturbed[i] = w[i] + scale * g[i];
            double l1 = objective.LossAndGradient(perturbed, subset, g);
            sum += l1 - l0;
        }
        return sum / k;
    }
}
