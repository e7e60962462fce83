using Reproduce.Compute;

namespace Reproduce.Stability;

/// <summary>The coherence measure of arXiv:2401.12332 (§3; brief §2.4): the coherence matrix
/// S_ij = ‖Hᵢ^{1/2}Hⱼ^{1/2}‖_F = √tr(HᵢHⱼ) and σ = λ₁(S)/maxᵢ λ₁(Hᵢ). Large σ means the
/// per-sample Hessians share directions; mutually orthogonal Hessians give σ near 1.</summary>
public static class Coherence
{
    /// <summary>S ∈ ℝ^{n×n} with S_ij = √max(0, tr(HᵢHⱼ)); tr(HᵢHⱼ) = Σ_ab (Hᵢ)_ab(Hⱼ)_ab is the Gram
    /// matrix of the vectorised Hessians (one Ops.Gram call).</summary>
    public static Matrix CoherenceMatrix(HessianFamily family)
    {
        ArgumentNullException.ThrowIfNull(family);
        int n = family.N, dd = family.D * family.D;
        var v = Reproduce.Compute.Matrix.Zeros(dd, n);
        for (int i = 0; i < n; i++) family.Hessians[i].Span.CopyTo(v.Column(i));
        var s = Ops.Gram(v);
        return Ops.MapInPlace(UnaryOp.Sqrt, Ops.MapInPlace(UnaryOp.MaxScalar, s, 0));
    }

    /// <summary>σ = λ₁(S)/maxᵢ λ₁(Hᵢ). Throws when every Hessian is zero (σ undefined).</summary>
    public static double Sigma(HessianFamily family)
    {
        ArgumentNullException.ThrowIfNull(family);
        double denom = family.MaxSampleSharpness;
        if (!(denom > 0)) throw new ArgumentException("Every Hessian of the family is zero, so the coherence σ = λ₁(S)/maxᵢλ₁(Hᵢ) is undefined.", nameof(family));
        return HessianFamily.TopEigenvalue(CoherenceMatrix(family)) / denom;
    }

    /// <summary>Closed form for least squares (Hᵢ = xᵢxᵢᵀ, xᵢ = row i of X): S = |XXᵀ| entrywise and
    /// σ = λ₁(|XXᵀ|)/maxᵢ‖xᵢ‖² (brief §2.4). Costs one n×n Gram instead of n² d×d traces.</summary>
    public static double LeastSquaresSigma(Matrix x)
    {
        ArgumentNullException.ThrowIfNull(x);
        x = x.ToCpu().AsType(DType.F64);
        Ops.CheckFinite("Coherence.LeastSquaresSigma", x);
        var g = Ops.Gram(x, outer: true);
        double maxNorm = 0;
        for (int i = 0; i < g.Rows; i++) maxNorm = Math.Max(maxNorm, g[i, i]);
        if (!(maxNorm > 0)) throw new ArgumentException("Every row of X is zero, so the coherence is undefined.", nameof(x));
        return HessianFamily.TopEigenvalue(Ops.MapInPlace(UnaryOp.Abs, g)) / maxNorm;
    }
}
