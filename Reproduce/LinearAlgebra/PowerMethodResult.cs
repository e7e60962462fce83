using Reproduce.Compute;

namespace Reproduce.LinearAlgebra;

/// <summary>Outcome of <see cref="PowerMethod.TopEigenvalue"/>.</summary>
/// <param name="Value">The Rayleigh quotient xᵀAx at the last unit iterate x (the dominant eigenvalue).</param>
/// <param name="Vector">The last unit iterate x (n×1, on the operator's device).</param>
/// <param name="Iterations">Matrix–vector products used.</param>
/// <param name="History">The Rayleigh quotient after each iteration.</param>
/// <param name="Converged">True when successive estimates agreed to the tolerance.</param>
public sealed record PowerMethodResult(double Value, Matrix Vector, int Iterations, double[] History, bool Converged);
