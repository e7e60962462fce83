namespace Reproduce.LinearProgramming;

/// <summary>Outer interior point iteration.</summary>
public enum IpmMethod
{
    /// <summary>Mehrotra predictor–corrector (infeasible start, fraction-to-boundary steps); the practical default.</summary>
    Mehrotra,
    /// <summary>Mizuno–Todd–Ye predictor–corrector in the N₂ neighbourhood (Wright 1997, ch. 5); the P3 reconstruction.</summary>
    MizunoToddYe,
    /// <summary>Long-step infeasible path following, Algorithm 3 of Chowdhury et al. (2022): N(γ) neighbourhood with the
    /// residual condition ‖r‖/‖r⁰‖ ≤ μ/μ⁰ and a μ-minimising line search.</summary>
    LongStepInfeasible,
    /// <summary>Long-step feasible path following, Algorithm 2 of Chowdhury et al. (2022); needs a strictly feasible start.</summary>
    LongStepFeasible,
    /// <summary>The authors' code: fixed σ, fraction-to-boundary 0.9 with a common step, no neighbourhood test.</summary>
    AuthorsCode,
}
