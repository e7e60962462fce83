using Reproduce.Compute;

namespace Reproduce.Sketching;

/// <summary>The right (dimension-reducing) sketch G ∈ R^{d×t} with entries N(0, 1/t) drawn from a
/// seeded hash of (row, column) (brief §2.2): AG keeps every k-means (and r-sparse) cost up to
/// 1 ± ε for t = Õ(1/ε²) (Makarychev–Makarychev–Razenshteyn 2019 for k-means), and all
/// assignments are computed from AG alone. Entries are rounded to multiples of 2⁻²⁴ (a relative
/// change below 10⁻⁶ of a typical entry) so that with integer turnstile updates of moderate size
/// every partial sum of AG is exact in float64 and insert-then-delete is bit-exact.</summary>
public sealed class HashedGaussianMap
{
    private const double Grid = 1 << 24;
    private readonly ulong _seed;
    private Matrix? _g;

    /// <summary>G for inputs of dimension <paramref name="d"/> into <paramref name="t"/> dimensions.</summary>
    public HashedGaussianMap(int d, int t, ulong seed)
    {
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, "Input dimension d must be >= 1.");
        if (t < 1) throw new ArgumentOutOfRangeException(nameof(t), t, "Sketch dimension t must be >= 1.");
        InputDim = d; Dim = t; _seed = seed;
    }

    /// <summary>Input dimension d.</summary>
    public int InputDim { get; }
    /// <summary>Sketch dimension t.</summary>
    public int Dim { get; }

    /// <summary>G[j, c].</summary>
    public double Entry(int j, int c) => Math.Round(SeededHash.Normal(_seed, j, c) / Math.Sqrt(Dim) * Grid) / Grid;

    /// <summary>G as a d×t matrix (generated once and cached; d·t words).</summary>
    public Matrix Materialize()
    {
        if (_g is null)
        {
            var g = Matrix.Zeros(InputDim, Dim);
            for (int c = 0; c < Dim; c++) for (int j = 0; j < InputDim; j++) g[j, c] = Entry(j, c);
            _g = g;
        }
        return _g;
    }

    /// <summary>A·G (n×t) through one GEMM.</summary>
    public Matrix Apply(Matrix a)
    {
        if (a.Cols != InputDim) throw new ArgumentException($"G is {InputDim}×{Dim} but A is {a.ShapeText}; A must have d = {InputDim} columns.", nameof(a));
        return Ops.MatMul(a, Materialize().To(a.Device));
    }
}
