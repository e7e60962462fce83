using Reproduce.Compute;

namespace Reproduce.Sparsifiers;

/// <summary>A = BBᵀ / max_i (BBᵀ)_ii with B ~ N(0, 1)^{n×k} (k = 20 in the brief): PSD, diagonal ≤ 1,
/// applied implicitly as B(Bᵀx) in O(nk).</summary>
public sealed class GramTestMatrix : SymmetricTestMatrix
{
    private readonly double[] _b; // row-major n×k, already scaled by 1/√max diag
    private readonly int _k;

    /// <summary>Draws B from <paramref name="rng"/>.</summary>
    public GramTestMatrix(int n, int k, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (n < 1 || k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, $"Need n ≥ 1 and rank k ≥ 1 (got n = {n}, k = {k}).");
        N0 = n;
        _k = k;
        _b = new double[n * k];
        for (int i = 0; i < _b.Length; i++) _b[i] = rng.Normal();
        double maxDiag = 0;
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int c = 0; c < k; c++) s += _b[i * k + c] * _b[i * k + c];
            maxDiag = Math.Max(maxDiag, s);
        }
        double scale = 1 / Math.Sqrt(maxDiag);
        for (int i = 0; i < _b.Length; i++) _b[i] *= scale;
    }

    private int N0 { get; }
    /// <inheritdoc />
    public override int N => N0;
    /// <inheritdoc />
    public override string Name => "Gram BBᵀ";
    /// <inheritdoc />
    public override bool IsPsd => true;

    /// <inheritdoc />
    public override double Entry(int i, int j)
    {
        double s = 0;
        for (int c = 0; c < _k; c++) s += _b[i * _k + c] * _b[j * _k + c];
        return s;
    }

    /// <inheritdoc />
    public override void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        var t = new double[_k];
        for (int i = 0; i < N; i++)
            for (int c = 0; c < _k; c++) t[c] += _b[i * _k + c] * x[i];
        for (int i = 0; i < N; i++)
        {
            double s = 0;
            for (int c = 0; c < _k; c++) s += _b[i * _k + c] * t[c];
            y[i] = s;
        }
    }
}
