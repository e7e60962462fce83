using Reproduce.Compute;

namespace Reproduce.Logistic;

/// <summary>Certificates for μ_y(X) (brief §2.4.3, derived from Dexter et al. 2024, Definition 1): any β gives
/// μ ≥ ‖(Zβ)⁺‖₁/‖(Zβ)⁻‖₁ (maximised over ±β); any λ &gt; 0 with Zᵀλ = 0 gives μ ≤ max λ / min λ.</summary>
public static class MuCertificates
{
    /// <summary>The lower bound max(‖(Zβ)⁺‖₁/‖(Zβ)⁻‖₁, ‖(Zβ)⁻‖₁/‖(Zβ)⁺‖₁) certified by β (+∞ when Zβ ≥ 0 or ≤ 0, β ≠ 0 with Zβ ≠ 0).</summary>
    public static double Lower(Matrix z, double[] beta)
    {
        ArgumentNullException.ThrowIfNull(z); ArgumentNullException.ThrowIfNull(beta);
        if (beta.Length != z.Cols) throw new ArgumentException($"MuCertificates.Lower: β has length {beta.Length} but Z has {z.Cols} columns.", nameof(beta));
        return LowerFromValues(Linalg.MatVec(z, beta));
    }

    /// <summary>The same bound from the values Zβ.</summary>
    public static double LowerFromValues(double[] zb)
    {
        var (p, q) = Linalg.Parts(zb);
        if (p == 0 && q == 0) return 1;
        if (p == 0 || q == 0) return double.PositiveInfinity;
        return Math.Max(p / q, q / p);
    }

    /// <summary>The upper bound max λ' / min λ' where λ' is λ projected exactly onto null(Zᵀ) with the thin QR factor
    /// <paramref name="q"/> of Z (λ' = λ − Q Qᵀ λ); +∞ when λ' is not strictly positive. Returns λ' too.</summary>
    public static (double Upper, double[] Lambda) Upper(Matrix q, double[] lambda)
    {
        ArgumentNullException.ThrowIfNull(q); ArgumentNullException.ThrowIfNull(lambda);
        var c = Linalg.MatVec(q, lambda, trans: true);
        var qc = Linalg.MatVec(q, c);
        var l = new double[lambda.Length];
        double mn = double.PositiveInfinity, mx = double.NegativeInfinity;
        for (int i = 0; i < l.Length; i++) { l[i] = lambda[i] - qc[i]; mn = Math.Min(mn, l[i]); mx = Math.Max(mx, l[i]); }
        if (!(mn > 0)) { for (int i = 0; i < l.Length; i++) l[i] = -l[i]; (mn, mx) = (-mx, -mn); }
        return (mn > 0 ? mx / mn : double.PositiveInfinity, l);
    }

    /// <summary>Thin QR factor Q of Z (n×d) for <see cref="Upper"/>.</summary>
    public static Matrix OrthonormalBasis(Matrix z) => Ops.Qr(z).Q;
}
