using Reproduce.Compute;

namespace Reproduce.LinearAlgebra;

/// <summary>Outcome of <see cref="ConjugateGradient.Solve"/>.</summary>
public sealed record CgResult
{
    /// <summary>The final iterate (same shape and device as b).</summary>
    public required Matrix X { get; init; }
    /// <summary>Iterations taken (operator applications after the initial residual).</summary>
    public required int Iterations { get; init; }
    /// <summary>True when ‖b − AX‖/‖b‖ (recurrence residual) reached the tolerance.</summary>
    public required bool Converged { get; init; }
    /// <summary>Relative residual ‖r_i‖/‖b‖ for i = 0 (the start) … Iterations.</summary>
    public required double[] ResidualHistory { get; init; }
}
