using Reproduce.Nn;

namespace Reproduce.Training;

/// <summary>The base optimizer alone: G = ∇L_𝔅(w) (SGD with momentum when the base is
/// <see cref="Sgd"/>). The baseline of every mSAM figure.</summary>
public sealed class GradientRule(IOptimizer baseOptimizer) : IUpdateRule
{
    /// <inheritdoc />
    public string Name => "SGD";

    /// <inheritdoc />
    public IOptimizer BaseOptimizer { get; } = baseOptimizer ?? throw new ArgumentNullException(nameof(baseOptimizer));

    /// <inheritdoc />
    public double Direction(IBatchObjective objective, ReadOnlySpan<double> w, ReadOnlySpan<int> batch, Span<double> direction)
    {
        SharpnessAwareGuard.Batch(objective, w, batch, direction);
        return objective.LossAndGradient(w, batch, direction);
    }
}
