using Reproduce.Compute;

namespace Reproduce.LinearAlgebra;

/// <summary>The sparse sign embedding (OSNAP; Nelson–Nguyễn 2013, Cohen 2016): each column of
/// S ∈ ℝ^{k×n} has exactly s nonzeros ±1/√s in s distinct uniformly random rows, so E[SᵀS] = I.
/// S·A costs O(s·nnz(A)). s = 1 is CountSketch.</summary>
public sealed class SparseSignSketch : ISketch
{
    private readonly ColumnSparseSketchOperator _op;

    /// <summary>Draws s distinct rows and signs for each of the n columns (1 ≤ s ≤ k).</summary>
    public SparseSignSketch(int k, int n, int s, Rng rng)
    {
        SketchExtensions.CheckShape(k, n, nameof(SparseSignSketch));
        if (s < 1 || s > k) throw new ArgumentOutOfRangeException(nameof(s), s, $"SparseSignSketch: nonzeros per column s must be in 1..k = 1..{k}.");
        ArgumentNullException.ThrowIfNull(rng);
        var rows = new int[n * s];
        var vals = new double[n * s];
        double v = 1 / Math.Sqrt(s);
        for (int j = 0; j < n; j++)
        {
            var pick = rng.SampleWithoutReplacement(k, s);
            for (int t = 0; t < s; t++) { rows[j * s + t] = pick[t]; vals[j * s + t] = v * rng.Rademacher(); }
        }
        SketchSize = k; InputDim = n; NonzerosPerColumn = s;
        _op = new ColumnSparseSketchOperator(k, n, s, rows, vals);
    }

    /// <inheritdoc />
    public int SketchSize { get; }
    /// <inheritdoc />
    public int InputDim { get; }
    /// <summary>s, the nonzeros in each column of S.</summary>
    public int NonzerosPerColumn { get; }

    /// <summary>S as a k×n CSR matrix.</summary>
    public SparseMatrix S => _op.Csr;

    /// <inheritdoc />
    public Matrix Apply(Matrix a)
    {
        SketchExtensions.CheckInput(this, a, nameof(SparseSignSketch));
        return _op.Apply(a);
    }

    /// <summary>S·A for a sparse A with n rows, in O(s·nnz(A)).</summary>
    public Matrix Apply(SparseMatrix a)
    {
        SketchExtensions.CheckInput(this, a, nameof(SparseSignSketch));
        return _op.Apply(a);
    }
}
