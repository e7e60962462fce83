namespace Reproduce.Logistic;

/// <summary>Outcome of the Big-M MIP of Dexter et al. (2024, Appendix C) solved by CBC: the incumbent t (Σbᵢ), CBC's best
/// bound and relative gap, whether optimality was proven, the incumbent β and the scale-free ratio
/// ‖(Uβ)⁺‖₁/‖(Uβ)⁻‖₁ (a valid lower bound on μ), or why it did not run.</summary>
public sealed record MunteanuMipResult(bool Ran, string Status, double Incumbent, double BestBound, double Gap, bool Optimal, double[] Beta, double RatioBound, double Seconds, string Message);
