namespace Reproduce.LinearAlgebra;

/// <summary>Outcome of <see cref="Lanczos.SingularValueExtremes"/>: σ = √λ for the extreme Ritz values λ of AᵀA.</summary>
/// <param name="Largest">Estimate of σ_max(A) (from below).</param>
/// <param name="Smallest">Estimate of σ_min(A) over the n columns (from above).</param>
/// <param name="Eigen">The underlying Lanczos run on AᵀA.</param>
public sealed record LanczosSingularValues(double Largest, double Smallest, LanczosResult Eigen)
{
    /// <summary>σ_max/σ_min, the 2-norm condition number estimate.</summary>
    public double ConditionNumber => Largest / Smallest;
}
