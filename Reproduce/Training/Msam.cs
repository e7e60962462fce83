using System.Globalization;
using Reproduce.Nn;

namespace Reproduce.Training;

/// <summary>Micro-batch-averaged sharpness-aware minimization (Behdin et al., arXiv:2302.09693;
/// update rule as in brief §2.1). The batch 𝔅 (b examples) is split into m = <see cref="NumMicroBatches"/>
/// disjoint micro-batches 𝔅ⱼ of b/m examples (<see cref="MicroBatches"/>: m is a count and must divide b).
/// For each j, from the <b>unperturbed</b> w: gⱼ = ∇L_{𝔅ⱼ}(w), εⱼ = ρ·gⱼ/(‖gⱼ‖₂ + 1e-12),
/// ĝⱼ = ∇L_{𝔅ⱼ}(w + εⱼ); then G = (1/m)Σⱼ ĝⱼ goes to the base optimizer. m = 1 is SAM, m = b is
/// per-example SAM, ρ = 0 is the base optimizer. Cost: 2 gradient evaluations over the b examples
/// per step, as SAM, in this reference loop. On a ReLU <see cref="MlpObjective"/> (and ρ &gt; 0) the
/// same direction is computed by <see cref="MlpMsamKernel"/>, which never forms the m perturbed
/// weight copies (each perturbation is rank b/m) and so costs about one SGD step for large m;
/// <c>fused: false</c> forces the reference loop.</summary>
public sealed class Msam : IUpdateRule
{
    /// <summary>mSAM with radius <paramref name="rho"/> ≥ 0 and <paramref name="numMicroBatches"/> ≥ 1
    /// micro-batches per batch, around <paramref name="baseOptimizer"/>.</summary>
    public Msam(IOptimizer baseOptimizer, double rho, int numMicroBatches, bool fused = true)
    {
        Fused = fused;
        BaseOptimizer = baseOptimizer ?? throw new ArgumentNullException(nameof(baseOptimizer));
        SharpnessAwareGuard.Rho(rho);
        if (numMicroBatches < 1) throw new ArgumentOutOfRangeException(nameof(numMicroBatches), numMicroBatches, "numMicroBatches must be at least 1 (1 is SAM).");
        Rho = rho;
        NumMicroBatches = numMicroBatches;
    }

    /// <summary>Perturbation radius ρ.</summary>
    public double Rho { get; }

    /// <summary>m, the number of micro-batches per batch (a count, not a size).</summary>
    public int NumMicroBatches { get; }

    /// <inheritdoc />
    public IOptimizer BaseOptimizer { get; }

    /// <summary>Whether ReLU MLP objectives use the fused kernel (true) or the reference loop.</summary>
    public bool Fused { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"mSAM m={NumMicroBatches} ρ={Rho}");

    /// <inheritdoc />
    public double Direction(IBatchObjective objective, ReadOnlySpan<double> w, ReadOnlySpan<int> batch, Span<double> direction)
    {
        SharpnessAwareGuard.Batch(objective, w, batch, direction);
        int m = NumMicroBatches, size = MicroBatches.SizeOf(batch.Length, m);
        if (Fused && Rho > 0 && objective is MlpObjective { Kernel: { } kernel })
            return kernel.MsamDirection(w, batch, m, Rho, direction);
        var g = new double[w.Length];
        var gHat = new double[w.Length];
        var perturbed = new double[w.Length];
        direction.Clear();
        double loss = 0;
        for (int j = 0; j < m; j++)
        {
            var micro = batch.Slice(j * size, size);
            loss += objective.LossAndGradient(w, micro, g);
            if (Rho == 0)
            {
                // ε = 0·g = 0 exactly, so ĝⱼ = gⱼ: skip the second evaluation at the same point.
                for (int i = 0; i < g.Length; i++) direction[i] += g[i];
                continue;
            }
            double scale = Rho / (FlatVector.Norm(g) + SharpnessAwareGuard.NormGuard);
            // Perturbed copy of the unperturbed w (never of the previous micro-batch's w + εⱼ₋₁).
            for (int i = 0; i < w.Length; i++) perturbed[i] = w[i] + scale * g[i];
            objective.LossAndGradient(perturbed, micro, gHat);
            for (int i = 0; i < gHat.Length; i++) direction[i] += gHat[i];
        }
        if (m > 1)
        {
            double inv = 1.0 / m;
            for (int i = 0; i < direction.Length; i++) direction[i] *= inv;
        }
        return loss / m;
    }
}
