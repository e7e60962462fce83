namespace Reproduce.Rounding;

/// <summary>The float32 → bfloat16 stochastic-rounding bit trick (brief §2.1): add a uniform random
/// 16-bit integer to the low half of the float32 bit pattern, then clear it. For finite x the carry
/// into the high half happens with probability (low 16 bits)/2^16 = (|x| − lo)/(hi − lo), so this is
/// exact stochastic rounding of the magnitude, for both signs and across binades; a carry out of
/// the largest finite bfloat16 gives ±∞ (the <see cref="OverflowPolicy.NonFinite"/> rule). NaN stays a (quiet) NaN and
/// ±∞ stays ±∞.</summary>
public static class BFloat16StochasticRounding
{
    /// <summary>SR(x) as a bfloat16 bit pattern, given 16 random bits.</summary>
    public static ushort RoundBits(float x, ushort random)
    {
        uint bits = BitConverter.SingleToUInt32Bits(x);
        if (float.IsNaN(x)) return (ushort)((bits >> 16) | 0x0040);
        if (float.IsInfinity(x)) return (ushort)(bits >> 16);
        return (ushort)((bits + random) >> 16);
    }

    /// <summary>SR(x) as a float32 value (a bfloat16 widened).</summary>
    public static float Round(float x, ushort random) => BitConverter.UInt32BitsToSingle((uint)RoundBits(x, random) << 16);
}
