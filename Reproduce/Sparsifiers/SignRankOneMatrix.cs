using Reproduce.Compute;

namespace Reproduce.Sparsifiers;

/// <summary>A = xxᵀ with x ∈ {±1}ⁿ: the family on which the PSD bound is attained exactly,
/// ‖A − A∘S‖₂ = ‖𝟏 − S‖₂ (A∘M = D(x)MD(x) is orthogonally similar to M).</summary>
public sealed class SignRankOneMatrix : SymmetricTestMatrix
{
    private readonly double[] _x;

    /// <summary>Random signs from <paramref name="rng"/>.</summary>
    public SignRankOneMatrix(int n, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 1.");
        _x = new double[n];
        for (int i = 0; i < n; i++) _x[i] = rng.Rademacher();
    }

    /// <inheritdoc />
    public override int N => _x.Length;
    /// <inheritdoc />
    public override string Name => "sign xxᵀ";
    /// <inheritdoc />
    public override bool IsPsd => true;
    /// <inheritdoc />
    public override double Entry(int i, int j) => _x[i] * _x[j];

    /// <inheritdoc />
    public override void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        double s = 0;
        for (int i = 0; i < N; i++) s += _x[i] * x[i];
        for (int i = 0; i < N; i++) y[i] = _x[i] * s;
    }
}
