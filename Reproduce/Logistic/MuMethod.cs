namespace Reproduce.Logistic;

/// <summary>How μ_y(X) was computed (Dexter, Drineas, Khanna, NeurIPS 2024, Definition 1 and Appendix B; brief §2.3–2.4).</summary>
public enum MuMethod
{
    /// <summary>P1's LP over z⁺, z⁻ with the dense n×n range projector (Appendix B); small n only.</summary>
    ProjectorLp,
    /// <summary>The β-form LP: min Σvᵢ s.t. Zβ − u + v = 0, Σuᵢ = 1; μ = 1/opt.</summary>
    BetaFormLp,
    /// <summary>The LAD form min ‖Zβ‖₁ s.t. (Zᵀ1)ᵀβ = 1 as a general LP (project IPM or CLP); μ = (s*+1)/(s*−1).</summary>
    LadLp,
    /// <summary>The LAD form solved by the bounded-variable interior point method on its dual (d×d normal equations).</summary>
    Lad,
    /// <summary>The certificate form 1/μ = max{τ : Zᵀλ = 0, τ ≤ λ ≤ 1} as an LP.</summary>
    DualLp,
    /// <summary>Iteratively reweighted least squares on the LAD form; every iterate is a certified lower bound.</summary>
    Irls,
    /// <summary>Brute-force sweep of β over a grid of directions (d = 2 only); a lower bound converging to μ.</summary>
    AngularSweep,
}
