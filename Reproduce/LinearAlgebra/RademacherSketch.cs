using Reproduce.Compute;

namespace Reproduce.LinearAlgebra;

/// <summary>The Rademacher (random sign) sketch: S ∈ ℝ^{k×n} with i.i.d. entries ±1/√k, so
/// E[SᵀS] = I (Achlioptas 2003; Woodruff 2014, §2.1). Applied as one dense GEMM on A's device.</summary>
public sealed class RademacherSketch : ISketch
{
    private readonly DenseSketchOperator _s;

    /// <summary>Draws S from <paramref name="rng"/> (column-major order).</summary>
    public RademacherSketch(int k, int n, Rng rng)
    {
        SketchExtensions.CheckShape(k, n, nameof(RademacherSketch));
        ArgumentNullException.ThrowIfNull(rng);
        var s = Matrix.Zeros(k, n);
        double scale = 1 / Math.Sqrt(k);
        var span = s.Span;
        for (int i = 0; i < span.Length; i++) span[i] = scale * rng.Rademacher();
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
        SketchExtensions.CheckInput(this, a, nameof(RademacherSketch));
        return _s.Apply(a);
    }
}
