using Reproduce.Compute;
using Reproduce.LinearAlgebra;

namespace Reproduce.Rounding;

/// <summary>The smallest singular value σ_min = σ_d of a tall matrix A ∈ ℝ^{n×d}, n &gt; d, the
/// quantity bounded in Dexter et al. (arXiv 2403.12278, main theorem: σ_d(Ã) ≳ 𝓡√n(√ν − ε)).
/// Three independent routes: eigenvalues of the Gram matrix AᵀA (<see cref="ByGramEigen"/>,
/// streamed for large n by <see cref="GramAccumulator"/>), Lanczos on the implicit operator
/// x ↦ Aᵀ(Ax) (<see cref="ByLanczos"/>), and the thin SVD (<see cref="BySvd"/>, the reference).</summary>
public static class SigmaMin
{
    /// <summary>√λ_min(AᵀA) via <see cref="Ops.Gram"/> and <see cref="Ops.SymmetricEigen"/>.</summary>
    public static double ByGramEigen(Matrix a) => SingularValueExtremesByGram(a).Min;

    /// <summary>(σ_min, σ_max) from the Gram matrix.</summary>
    public static (double Min, double Max) SingularValueExtremesByGram(Matrix a)
    {
        CheckTall(a);
        using var g = Ops.Gram(a);
        return ExtremesFromGram(g);
    }

    /// <summary>(√λ_min, √λ_max) of a Gram matrix; λ_min below 0 (rounding) counts as 0.</summary>
    public static (double Min, double Max) ExtremesFromGram(Matrix gram)
    {
        ArgumentNullException.ThrowIfNull(gram);
        var (values, vectors) = Ops.SymmetricEigen(gram);
        using var host = values.ToCpu();
        values.Dispose();
        vectors.Dispose();
        double lo = host[0], hi = host[host.Rows - 1];
        return (Math.Sqrt(Math.Max(lo, 0)), Math.Sqrt(Math.Max(hi, 0)));
    }

    /// <summary>σ_min from the thin SVD (reference for small sizes).</summary>
    public static double BySvd(Matrix a)
    {
        CheckTall(a);
        var (u, s, v) = Ops.Svd(a);
        using var host = s.ToCpu();
        double result = host[host.Rows - 1];
        u.Dispose(); s.Dispose(); v.Dispose();
        return result;
    }

    /// <summary>(σ_min, σ_max) by the shared symmetric Lanczos (<see cref="Lanczos.SingularValueExtremes"/>, full reorthogonalisation) on the implicit
    /// operator x ↦ Aᵀ(Ax) (two matrix–vector products per step; AᵀA is never formed). With
    /// <paramref name="steps"/> ≥ d the Krylov space is all of ℝ^d and the result is exact up to
    /// rounding; fewer steps give inner bounds (σ_min over-, σ_max underestimated).</summary>
    public static (double Min, double Max) ByLanczos(Matrix a, int steps, Rng rng)
    {
        CheckTall(a);
        ArgumentNullException.ThrowIfNull(rng);
        var r = Lanczos.SingularValueExtremes(x => Ops.MatVec(a, x), y => Ops.MatVec(a, y, trans: true), a.Cols, steps, rng, a.Device);
        return (r.Smallest, r.Largest);
    }

    /// <summary>Throws unless A is tall (n &gt; d ≥ 1) and finite.</summary>
    public static void CheckTall(Matrix a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Cols < 1 || a.Rows <= a.Cols)
            throw new ArgumentException($"σ_min of a tall matrix needs n > d, got n = {a.Rows}, d = {a.Cols}; transpose the matrix or add rows.", nameof(a));
    }
}
