using Reproduce.Compute;

namespace Reproduce.LinearAlgebra;

/// <summary>CountSketch (Charikar, Chen, Farach-Colton 2002; Clarkson–Woodruff 2013): each
/// column j of S ∈ ℝ^{k×n} has a single nonzero ±1 in a uniformly random row h(j). So E‖Sx‖² = ‖x‖²
/// and S·A costs O(nnz(A)).</summary>
public sealed class CountSketch : ISketch
{
    private readonly ColumnSparseSketchOperator _op;

    /// <summary>Draws the hash h(j) ∈ [0, k) and sign σ(j) ∈ {±1} for each of the n columns.</summary>
    public CountSketch(int k, int n, Rng rng)
    {
        SketchExtensions.CheckShape(k, n, nameof(CountSketch));
        ArgumentNullException.ThrowIfNull(rng);
        var rows = new int[n];
        var vals = new double[n];
        for (int j = 0; j < n; j++) { rows[j] = rng.NextInt(k); vals[j] = rng.Rademacher(); }
        SketchSize = k; InputDim = n;
        _op = new ColumnSparseSketchOperator(k, n, 1, rows, vals);
    }

    /// <inheritdoc />
    public int SketchSize { get; }
    /// <inheritdoc />
    public int InputDim { get; }

    /// <summary>h(j): the row that input coordinate j lands in.</summary>
    public int Bucket(int j) => _op.RowOf(j, 0);

    /// <summary>σ(j) ∈ {±1}: the sign of input coordinate j.</summary>
    public double Sign(int j) => _op.ValueOf(j, 0);

    /// <summary>S as a k×n CSR matrix.</summary>
    public SparseMatrix S => _op.Csr;

    /// <inheritdoc />
    public Matrix Apply(Matrix a)
    {
        SketchExtensions.CheckInput(this, a, nameof(CountSketch));
        return _op.Apply(a);
    }

    /// <summary>S·A for a sparse A with n rows, in O(nnz(A)).</summary>
    public Matrix Apply(SparseMatrix a)
    {
        SketchExtensions.CheckInput(this, a, nameof(CountSketch));
        return _op.Apply(a);
    }
}
