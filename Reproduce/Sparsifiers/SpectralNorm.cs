using Reproduce.Compute;
using Reproduce.LinearAlgebra;

namespace Reproduce.Sparsifiers;

/// <summary>Spectral norm and extreme eigenvalues of implicit symmetric operators by Lanczos with full
/// reorthogonalisation (O(n·steps²) besides the matrix–vector products). Lanczos Ritz values lie inside
/// the spectrum, so a result is a lower bound on ‖M‖₂ that converges from below; tests check it against a
/// dense eigensolver for n ≤ 1000.</summary>
public static class SpectralNorm
{
    /// <summary>Default number of Lanczos steps for the certificate.</summary>
    public const int DefaultSteps = 150;

    /// <summary>(λ_min, λ_max) of the operator.</summary>
    public static (double Min, double Max) Extremes(Action<double[], double[]> apply, int n, int steps, Rng rng)
    {
        var r = RitzValues(apply, n, steps, rng);
        return (r[0], r[^1]);
    }

    /// <summary>All Ritz values (ascending) of <see cref="Lanczos.ExtremeEigenvalues"/> with full
    /// reorthogonalisation on an array-based operator (y = Mx written into the second array).</summary>
    public static double[] RitzValues(Action<double[], double[]> apply, int n, int steps, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(apply);
        var result = Lanczos.ExtremeEigenvalues(x =>
        {
            var y = new double[n];
            apply(x.ToArray(), y);
            return Matrix.FromColumnMajor(n, 1, y);
        }, n, steps, rng);
        return result.RitzValues;
    }

    /// <summary>‖M‖₂ = max(|λ_min|, |λ_max|) of a symmetric operator.</summary>
    public static double Of(Action<double[], double[]> apply, int n, int steps, Rng rng)
    {
        var (lo, hi) = Extremes(apply, n, steps, rng);
        return Math.Max(Math.Abs(lo), Math.Abs(hi));
    }

    /// <summary>The universal certificate ‖𝟏 − S‖₂ (Bhattacharjee et al., §1: ‖𝟏 − S‖₂ ≤ εn ⇒
    /// ‖A − A∘S‖₂ ≤ εn for every PSD A with entries bounded by 1), by Lanczos on x ↦ 𝟏(Σx) − Sx.</summary>
    public static double Certificate(SamplingMatrix s, Rng rng, int steps = DefaultSteps)
    {
        ArgumentNullException.ThrowIfNull(s);
        return Of((x, y) => s.ApplyCertificateOperator(x, y), s.N, steps, rng);
    }

    /// <summary>True when τ is a proven upper bound on the certificate ‖𝟏 − S‖₂: by Sylvester's law of inertia every
    /// eigenvalue of M = 𝟏 − S lies in (−τ, τ) exactly when τI − M and τI + M are both positive definite, which a
    /// Cholesky factorisation of each decides. A Lanczos value is only a lower estimate; this turns it (times a
    /// margin) into a bound. Cholesky is backward stable, so a success in floating point proves positive definiteness
    /// up to a perturbation of order n·u·‖τI ± M‖₂ ≤ 2n·u·τ (u = 2⁻⁵³); callers keep τ a relative margin far above
    /// that above the estimate. Dense: O(n³) time and n² memory, for n up to a few thousand; the factorisations run on
    /// <paramref name="device"/> (default: the CPU).</summary>
    public static bool IsCertifiedUpperBound(SamplingMatrix s, double tau, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (!(tau > 0) || !double.IsFinite(tau))
            throw new ArgumentOutOfRangeException(nameof(tau), tau, "The candidate bound τ must be positive and finite.");
        using var m = s.DenseCertificateMatrix();
        foreach (double sign in new[] { -1.0, 1.0 })
        {
            // τI + sign·M, built in place of a copy.
            using var shifted = Matrix.Build(s.N, s.N, (i, j) => sign * m[i, j] + (i == j ? tau : 0));
            using var onDevice = device is null || device.Kind == DeviceKind.Cpu ? null : shifted.To(device);
            try
            {
                Ops.Cholesky(onDevice ?? shifted).Dispose();
            }
            catch (NotPositiveDefiniteException)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>‖M‖₂ of a dense symmetric matrix by the dense eigensolver (oracle).</summary>
    public static double Dense(Matrix m)
    {
        var (values, vectors) = Ops.SymmetricEigen(m);
        vectors.Dispose();
        return Math.Max(Math.Abs(values[0]), Math.Abs(values[values.Rows - 1]));
    }
}
