namespace Reproduce.Sparsifiers;

/// <summary>Small modular-arithmetic helpers for the LPS construction.</summary>
internal static class NumberTheory
{
    public static bool IsPrime(long n)
    {
        if (n < 2) return false;
        if (n % 2 == 0) return n == 2;
        for (long f = 3; f * f <= n; f += 2) if (n % f == 0) return false;
        return true;
    }

    public static long Mod(long a, long m) => ((a % m) + m) % m;

    public static long PowMod(long b, long e, long m)
    {
        long r = 1;
        b = Mod(b, m);
        while (e > 0)
        {
            if ((e & 1) == 1) r = r * b % m;
            b = b * b % m;
            e >>= 1;
        }
        return r;
    }

    /// <summary>Legendre symbol (a/q) ∈ {−1, 0, 1} for an odd prime q (Euler's criterion).</summary>
    public static int Legendre(long a, long q)
    {
        long r = PowMod(a, (q - 1) / 2, q);
        return r == 0 ? 0 : r == 1 ? 1 : -1;
    }

    /// <summary>ι with ι² ≡ −1 (mod q), q ≡ 1 (mod 4) prime.</summary>
    public static long SqrtMinusOne(long q)
    {
        for (long x = 1; x < q; x++) if (x * x % q == q - 1) return x;
        throw new InvalidOperationException($"−1 is not a square modulo {q}; q must be a prime ≡ 1 (mod 4).");
    }
}
