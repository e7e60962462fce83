using Reproduce.Compute;

namespace Reproduce.Sparsifiers;

/// <summary>A dense symmetric test matrix (n ≤ ~8000): the RBF kernel exp(−‖pᵢ − pⱼ‖²/2) on Gaussian points
/// in ℝ³ (PSD, unit diagonal) or a random symmetric ±1 Wigner matrix (not PSD).</summary>
public sealed class DenseTestMatrix : SymmetricTestMatrix
{
    private readonly double[] _a; // row-major n×n
    private readonly int _n;

    private DenseTestMatrix(int n, double[] a, string name, bool psd)
    {
        _n = n;
        _a = a;
        Name0 = name;
        IsPsd0 = psd;
    }

    private string Name0 { get; }
    private bool IsPsd0 { get; }

    /// <summary>RBF kernel on n standard Gaussian points in ℝ³.</summary>
    public static DenseTestMatrix Rbf(int n, Rng rng)
    {
        CheckN(n);
        ArgumentNullException.ThrowIfNull(rng);
        var p = new double[n * 3];
        for (int i = 0; i < p.Length; i++) p[i] = rng.Normal();
        var a = new double[(long)n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double dx = p[3 * i] - p[3 * j], dy = p[3 * i + 1] - p[3 * j + 1], dz = p[3 * i + 2] - p[3 * j + 2];
                a[(long)i * n + j] = Math.Exp(-(dx * dx + dy * dy + dz * dz) / 2);
            }
        return new DenseTestMatrix(n, a, "RBF kernel", true);
    }

    /// <summary>Symmetric matrix of independent ±1 entries (diagonal included).</summary>
    public static DenseTestMatrix Wigner(int n, Rng rng)
    {
        CheckN(n);
        ArgumentNullException.ThrowIfNull(rng);
        var a = new double[(long)n * n];
        for (int i = 0; i < n; i++)
            for (int j = i; j < n; j++)
            {
                double v = rng.Rademacher();
                a[(long)i * n + j] = v;
                a[(long)j * n + i] = v;
            }
        return new DenseTestMatrix(n, a, "random ±1 Wigner", false);
    }

    private static void CheckN(int n)
    {
        if (n < 1 || n > 8000) throw new ArgumentOutOfRangeException(nameof(n), n, "Dense test matrices need 1 ≤ n ≤ 8000 (n² doubles in memory); use an implicit family for larger n.");
    }

    /// <inheritdoc />
    public override int N => _n;
    /// <inheritdoc />
    public override string Name => Name0;
    /// <inheritdoc />
    public override bool IsPsd => IsPsd0;
    /// <inheritdoc />
    public override double Entry(int i, int j) => _a[(long)i * _n + j];

    /// <inheritdoc />
    public override void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        var a = _a.AsSpan();
        for (int i = 0; i < _n; i++)
        {
            var row = a.Slice(i * _n, _n);
            double s = 0;
            for (int j = 0; j < _n; j++) s += row[j] * x[j];
            y[i] = s;
        }
    }
}
