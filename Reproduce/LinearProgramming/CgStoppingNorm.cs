namespace Reproduce.LinearProgramming;

/// <summary>Which residual the inner solver's stopping rule measures.</summary>
public enum CgStoppingNorm
{
    /// <summary>‖p − A D² Aᵀ Δy‖₂ ≤ tol·‖p‖₂ (the paper's experiments and the authors' code).</summary>
    Unpreconditioned,
    /// <summary>‖Q^{−1/2}(p − A D² Aᵀ Δy)‖₂ ≤ tol·‖Q^{−1/2}p‖₂ (the norm of the paper's analysis, §2.3).</summary>
    Preconditioned,
}
