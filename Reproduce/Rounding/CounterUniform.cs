using System.Runtime.CompilerServices;

namespace Reproduce.Rounding;

/// <summary>Counter-based uniform numbers: u(key, i) = (SplitMix64(key + (i + 1)·γ) >> 11)·2^−53 with
/// γ = 0x9E3779B97F4A7C15. Each matrix element draws its own uniform from its index, so the CPU loop,
/// a parallel loop and a GPU kernel produce identical roundings for the same key.</summary>
public static class CounterUniform
{
    private const ulong Gamma = 0x9E3779B97F4A7C15UL;

    /// <summary>The 64 random bits for element <paramref name="index"/> of stream <paramref name="key"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Bits(ulong key, long index)
    {
        ulong z = key + (ulong)(index + 1) * Gamma;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform in [0, 1) with 53 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Uniform(ulong key, long index) => (Bits(key, index) >> 11) * (1.0 / (1UL << 53));
}
