namespace Reproduce.LinearProgramming;

/// <summary>One outer iteration's log (the quantities §2.9 of the brief asks for): μ, residual norms, gap,
/// inner iterations, ‖v‖ against γσμ/4, and optionally the condition numbers κ(A D² Aᵀ) and
/// κ(Q^{−1/2} A D² Aᵀ Q^{−1/2}).</summary>
public sealed record IpmIteration(
    int Iteration, double Mu, double PrimalResidual, double DualResidual, double Gap,
    double StepPrimal, double StepDual, int InnerIterations, double CorrectionNorm, double CorrectionBound,
    double KappaUnpreconditioned, double KappaPreconditioned, double PrimalResidualRatio);
