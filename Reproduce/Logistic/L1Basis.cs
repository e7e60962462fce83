using Reproduce.Compute;

namespace Reproduce.Logistic;

/// <summary>An ℓ1 well-conditioned basis U = A R⁻¹ of range(A), R from the QR factorisation of Π A for a Fast Cauchy
/// Transform Π (Munteanu et al. 2018's FastL1Basis as used by Dexter et al. 2024, Appendix C). The normalisation of U is
/// not given in either paper; we use U = A R⁻¹ as is (so the Munteanu t is not scale-free; see <see cref="MunteanuMip"/>).</summary>
public static class L1Basis
{
    /// <summary>(U, R) for A (n×d); sketch rows r default to min(n, 4d) as in the reference runs, block size the power of two ≥ 2d.</summary>
    public static (Matrix U, Matrix R) Compute(Matrix a, Rng rng, int sketchRows = 0)
    {
        ArgumentNullException.ThrowIfNull(a); ArgumentNullException.ThrowIfNull(rng);
        int n = a.Rows, d = a.Cols;
        int r = sketchRows > 0 ? sketchRows : Math.Min(n, 4 * d);
        if (r < d) throw new ArgumentException($"L1Basis: sketch rows r = {r} < d = {d}; the sketch needs at least d rows.", nameof(sketchRows));
        int s = 1; while (s < 2 * d) s <<= 1;
        var pi = new FastCauchyTransform(n, r, Math.Min(s, 1 << 12), rng);
        var (_, rm) = Ops.Qr(pi.Apply(a));
        // Aᵀ stays on A's device: R comes back on that device (Π·A is moved there), and Ops refuses to mix devices.
        var at = Ops.Transpose(a);
        var ut = Ops.TriangularSolve(rm, at, lower: false, transpose: true);   // R⁻ᵀ Aᵀ
        return (Ops.Transpose(ut), rm);
    }
}
