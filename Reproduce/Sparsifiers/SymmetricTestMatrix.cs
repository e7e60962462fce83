namespace Reproduce.Sparsifiers;

/// <summary>A symmetric n×n test matrix with bounded entries, available entry by entry (what a
/// sparsifier reads) and as an implicit operator (for exact-in-exact-arithmetic error norms without n²
/// memory where the structure allows). Families follow the brief's demonstrations U2–U6.</summary>
public abstract class SymmetricTestMatrix
{
    /// <summary>n.</summary>
    public abstract int N { get; }

    /// <summary>Family name for tables.</summary>
    public abstract string Name { get; }

    /// <summary>True when the family is positive semidefinite by construction.</summary>
    public abstract bool IsPsd { get; }

    /// <summary>A_ij.</summary>
    public abstract double Entry(int i, int j);

    /// <summary>y = A x.</summary>
    public abstract void Apply(ReadOnlySpan<double> x, Span<double> y);

    /// <summary>max_i A_ii (the constant in ‖A∘M‖₂ ≤ max_i A_ii·‖M‖₂ for PSD A).</summary>
    public virtual double MaxDiagonal()
    {
        double m = double.NegativeInfinity;
        for (int i = 0; i < N; i++) m = Math.Max(m, Entry(i, i));
        return m;
    }
}
