using Reproduce.Compute;

namespace Reproduce.LinearAlgebra;

/// <summary>The Gaussian sketch S ∈ ℝ^{k×n} with i.i.d. N(0, 1/k) entries, so E[SᵀS] = I and
/// ‖Sx‖² ≈ ‖x‖² (Johnson–Lindenstrauss; Woodruff 2014, Thm 2.3). Applied as one dense GEMM on A's
/// device: O(k·n·cols).</summary>
public sealed class GaussianSketch : ISketch
{
    private readonly DenseSketchOperator _s;

    /// <summary>Draws S from <paramref name="rng"/> (column-major order, so the same seed gives the same S).</summary>
    public GaussianSketch(int k, int n, Rng rng)
    {
        SketchExtensions.CheckShape(k, n, nameof(GaussianSketch));
        ArgumentNullException.ThrowIfNull(rng);
        var s = rng.NormalMatrix(k, n);
        double scale = 1 / Math.Sqrt(k);
        var span = s.Span;
        for (int i = 0; i < span.Length; i++) span[i] *= scale;
        SketchSize = k; InputDim = n;
        _s = new DenseSketchOperator(s);
    }

    /// <inheritdoc />
    public int SketchSize { get; }
    /// <inheritdoc />
    public int InputDim { get; }

    /// <summary>The explicit k×n matrix S (CPU, float64; do not modify).</summary>
    public Matrix S => _s.Host;

    /// <inheritdoc />
    public Matrix Apply(Matrix a)
    {
        SketchExtensions.CheckInput(this, a, nameof(GaussianSketch));
        return _s.Apply(a);
    }
}
