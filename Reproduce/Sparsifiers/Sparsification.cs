using Reproduce.Compute;

namespace Reproduce.Sparsifiers;

/// <summary>Universal sparsification B = A∘S (Bhattacharjee et al., arXiv 2305.05826): reads A only on
/// supp(S). PSD theorem: ‖𝟏 − S‖₂ ≤ εn ⇒ ‖A − A∘S‖₂ ≤ εn for every PSD A with |A_ij| ≤ 1 (more precisely
/// ‖A − A∘S‖₂ ≤ max_i A_ii·‖𝟏 − S‖₂, the Schur-product bound of brief §2.2). Non-PSD theorem:
/// ‖𝟏 − S‖₂ ≤ ε²n/(c·log²(1/ε)) ⇒ ‖A − A∘S‖₂ ≤ ε·max(n, ‖A‖₁).</summary>
public static class Sparsification
{
    /// <summary>B = A∘S as CSR (same pattern as S; nnz(S) entries of A are read).</summary>
    public static SparseMatrix Sparsify(SymmetricTestMatrix a, SamplingMatrix s)
    {
        Check(a, s);
        var rp = s.Csr.RowPtr; var ci = s.Csr.ColIdx; var va = s.Csr.Values;
        var values = new double[va.Length];
        for (int i = 0; i < s.N; i++)
            for (int k = rp[i]; k < rp[i + 1]; k++) values[k] = a.Entry(i, ci[k]) * va[k];
        return new SparseMatrix(s.N, s.N, rp, ci, values);
    }

    /// <summary>y = B x for a CSR matrix.</summary>
    public static void Apply(SparseMatrix b, ReadOnlySpan<double> x, Span<double> y)
    {
        ArgumentNullException.ThrowIfNull(b);
        var rp = b.RowPtr; var ci = b.ColIdx; var va = b.Values;
        for (int i = 0; i < b.Rows; i++)
        {
            double acc = 0;
            for (int k = rp[i]; k < rp[i + 1]; k++) acc += va[k] * x[ci[k]];
            y[i] = acc;
        }
    }

    /// <summary>‖A − A∘S‖₂ by Lanczos on the implicit operator x ↦ Ax − (A∘S)x.</summary>
    public static double ErrorNorm(SymmetricTestMatrix a, SamplingMatrix s, Rng rng, int steps = SpectralNorm.DefaultSteps) =>
        ErrorNorm(a, Sparsify(a, s), rng, steps);

    /// <summary>‖A − B‖₂ for a precomputed B = A∘S.</summary>
    public static double ErrorNorm(SymmetricTestMatrix a, SparseMatrix b, Rng rng, int steps = SpectralNorm.DefaultSteps)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var tmp = new double[a.N];
        return SpectralNorm.Of((x, y) =>
        {
            a.Apply(x, y);
            Apply(b, x, tmp);
            for (int i = 0; i < y.Length; i++) y[i] -= tmp[i];
        }, a.N, steps, rng);
    }

    private static void Check(SymmetricTestMatrix a, SamplingMatrix s)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(s);
        if (a.N != s.N) throw new ArgumentException($"Matrix has n = {a.N} but the sampling matrix has n = {s.N}; build S for the same n.", nameof(s));
    }
}
