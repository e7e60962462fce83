using System.Globalization;
using Reproduce.Nn;

namespace Reproduce.Training;

/// <summary>Sharpness-aware minimization (Foret et al. 2021, arXiv:2010.01412) on the whole batch:
/// g = ∇L_𝔅(w), ε = ρ·g/(‖g‖₂ + 1e-12), G = ∇L_𝔅(w + ε); G goes to the base optimizer. Written
/// separately from <see cref="Msam"/> so that "mSAM with one micro-batch is SAM" is a test, not a
/// definition.</summary>
public sealed class Sam : IUpdateRule
{
    /// <summary>SAM with radius <paramref name="rho"/> ≥ 0 around <paramref name="baseOptimizer"/>.</summary>
    public Sam(IOptimizer baseOptimizer, double rho)
    {
        BaseOptimizer = baseOptimizer ?? throw new ArgumentNullException(nameof(baseOptimizer));
        SharpnessAwareGuard.Rho(rho);
        Rho = rho;
    }

    /// <summary>Perturbation radius ρ.</summary>
    public double Rho { get; }

    /// <inheritdoc />
    public IOptimizer BaseOptimizer { get; }

    /// <inheritdoc />
    public string Name => string.Create(CultureInfo.InvariantCulture, $"SAM ρ={Rho}");

    /// <inheritdoc />
    public double Direction(IBatchObjective objective, ReadOnlySpan<double> w, ReadOnlySpan<int> batch, Span<double> direction)
    {
        SharpnessAwareGuard.Batch(objective, w, batch, direction);
        // Pooled buffers: for an MLP these are large-object-heap sized, and two allocations per step made
        // garbage collection a visible share of SAM's epoch time.
        var gBuf = System.Buffers.ArrayPool<double>.Shared.Rent(w.Length);
        var pBuf = System.Buffers.ArrayPool<double>.Shared.Rent(w.Length);
        try
        {
            var g = gBuf.AsSpan(0, w.Length); var perturbed = pBuf.AsSpan(0, w.Length);
            double loss = objective.LossAndGradient(w, batch, g);
            double scale = Rho / (FlatVector.Norm(g) + SharpnessAwareGuard.NormGuard);
            for (int i = 0; i < w.Length; i++) perturbed[i] = w[i] + scale * g[i];
            objective.LossAndGradient(perturbed, batch, direction);
            return loss;
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(gBuf);
            System.Buffers.ArrayPool<double>.Shared.Return(pBuf);
        }
    }
}
