namespace Reproduce.LinearProgramming;

/// <summary>Outcome of an inner solve of A D² Aᵀ Δy = p: the solution, iterations, whether the stopping rule
/// was met, and the per-iteration residual norms ‖p − K Δy_j‖ (unpreconditioned) and ‖Q^{−1/2}(p − K Δy_j)‖
/// (preconditioned; equal to the unpreconditioned norm when there is no preconditioner). Index 0 is the start.</summary>
public sealed record PcgResult(double[] X, int Iterations, bool Converged, IReadOnlyList<double> ResidualHistory, IReadOnlyList<double> PreconditionedResidualHistory);
