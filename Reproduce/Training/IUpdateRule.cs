using Reproduce.Nn;

namespace Reproduce.Training;

/// <summary>A training rule that turns a batch into an update direction G and hands G to a base
/// optimizer (<see cref="IOptimizer"/>: SGD with momentum, AdamW, …) as the gradient.</summary>
public interface IUpdateRule
{
    /// <summary>Short name for tables and legends ("SGD", "SAM ρ=0.05", "mSAM m=4 ρ=0.05").</summary>
    string Name { get; }

    /// <summary>The optimizer G is passed to.</summary>
    IOptimizer BaseOptimizer { get; }

    /// <summary>Writes the update direction G at w for <paramref name="batch"/> into
    /// <paramref name="direction"/> and returns the batch loss L_𝔅(w) at the unperturbed w.</summary>
    double Direction(IBatchObjective objective, ReadOnlySpan<double> w, ReadOnlySpan<int> batch, Span<double> direction);
}
