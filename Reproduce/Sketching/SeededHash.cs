namespace Reproduce.Sketching;

/// <summary>Counter-based hash functions for streaming sketches: every random entry of a sketch
/// is a pure function of (seed, index), so a turnstile update can regenerate the entries it needs
/// without storing the n-sized part of the sketch matrix. SplitMix64 finaliser over the combined
/// key (fully independent in practice, not a proven k-wise independent family).</summary>
internal static class SeededHash
{
    public static ulong Mix(ulong seed, long a, long b = 0)
    {
        ulong z = seed ^ (0x9E3779B97F4A7C15UL * (ulong)(a + 1)) ^ (0xC2B2AE3D27D4EB4FUL * (ulong)(b + 1));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in (0, 1).</summary>
    public static double Uniform(ulong h) => ((h >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>Standard normal from two hashed uniforms (Box–Muller).</summary>
    public static double Normal(ulong seed, long a, long b)
    {
        double u1 = Uniform(Mix(seed, a, 2 * b)), u2 = Uniform(Mix(seed, a, 2 * b + 1));
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
