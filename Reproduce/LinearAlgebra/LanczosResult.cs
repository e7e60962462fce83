namespace Reproduce.LinearAlgebra;

/// <summary>Outcome of <see cref="Lanczos.ExtremeEigenvalues"/>.</summary>
/// <param name="Largest">The largest Ritz value (approaches λ_max from below).</param>
/// <param name="Smallest">The smallest Ritz value (approaches λ_min from above).</param>
/// <param name="RitzValues">Eigenvalues of the Lanczos tridiagonal T, ascending.</param>
/// <param name="Steps">Lanczos steps taken (fewer than asked when an invariant subspace was found; then the Ritz values are exact eigenvalues).</param>
public sealed record LanczosResult(double Largest, double Smallest, double[] RitzValues, int Steps);
