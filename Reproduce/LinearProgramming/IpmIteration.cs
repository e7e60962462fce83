namespace Reproduce.LinearProgramming;

/// <summary>One outer iteration's log (the quantities §2.9 of the brief asks for): μ, residual norms, gap,
/// inner iterations, ‖v‖ against γσμ/4, and optionally the condition numbers κ(A D² Aᵀ) and
/// κ(Q^{−1/2} A D² Aᵀ Q^{−1/2}).</summary>
public sealed record IpmIteration(
    int Iteration, double Mu, double PrimalResidual, double DualResidual, double Gap,
    double StepPrimal, double StepDual, int InnerIterations, double CorrectionNorm, double CorrectionBound,
    double KappaUnpreconditioned, double KappaPreconditioned, double PrimalResidualRatio)
{
    /// <summary>min_j x_j s_j of the new iterate: with <see cref="Mu"/> it says whether the iterate lies in the wide
    /// neighbourhood N₋∞(γ) = {min_j x_j s_j ≥ (1 − γ)μ} that the long-step methods must keep.</summary>
    public double MinComplementarity { get; init; }
}
