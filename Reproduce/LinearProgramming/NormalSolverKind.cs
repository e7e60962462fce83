namespace Reproduce.LinearProgramming;

/// <summary>How the normal equations A D² Aᵀ Δy = p are solved (Chowdhury et al. 2022, §3).</summary>
public enum NormalSolverKind
{
    /// <summary>Form A D² Aᵀ and factor it by Cholesky (the direct baseline).</summary>
    Cholesky,
    /// <summary>Unpreconditioned conjugate gradients (the "standard IPM" baseline).</summary>
    ConjugateGradient,
    /// <summary>CG preconditioned with Q = A D W Wᵀ D Aᵀ, Q^{−1/2} from the SVD of A D W (§2.2 of the brief).</summary>
    SketchPcg,
    /// <summary>Chebyshev iteration on the sketch-preconditioned system (no inner products).</summary>
    SketchChebyshev,
}
