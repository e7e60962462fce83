namespace Reproduce.LinearAlgebra;

/// <summary>The fast Walsh–Hadamard transform: x ← H·x for the unnormalized Sylvester Hadamard
/// matrix H (entries ±1, H² = n·I), in n·log₂n additions. n must be a power of two.</summary>
public static class WalshHadamard
{
    /// <summary>In-place unnormalized transform of <paramref name="x"/> (length a power of two).</summary>
    public static void Transform(Span<double> x)
    {
        int n = x.Length;
        if (n == 0 || (n & (n - 1)) != 0)
            throw new ArgumentException($"Walsh–Hadamard transform needs a power-of-two length, got {n}. Zero-pad to {NextPowerOfTwo(Math.Max(n, 1))}.", nameof(x));
        for (int h = 1; h < n; h <<= 1)
            for (int i = 0; i < n; i += h << 1)
                for (int j = i; j < i + h; j++)
                {
                    double u = x[j], v = x[j + h];
                    x[j] = u + v;
                    x[j + h] = u - v;
                }
    }

    /// <summary>The smallest power of two ≥ n (n ≥ 1).</summary>
    public static int NextPowerOfTwo(int n)
    {
        if (n < 1 || n > 1 << 30) throw new ArgumentOutOfRangeException(nameof(n), n, "NextPowerOfTwo needs 1 ≤ n ≤ 2³⁰.");
        int p = 1;
        while (p < n) p <<= 1;
        return p;
    }
}
