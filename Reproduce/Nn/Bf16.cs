namespace Reproduce.Nn;

/// <summary>bfloat16 on the host: the top 16 bits of a float32 (sign, 8-bit exponent, 7 stored + 1
/// implicit significand bits), rounded to nearest with ties to even, exactly as the CUDA conversion
/// kernel <c>f32_to_bf16</c> of the bf16 GEMM option does. Used to build the reference of the bf16
/// parity check (<see cref="NnBf16Parity"/>).</summary>
public static class Bf16
{
    /// <summary>Unit roundoff of bfloat16: 8 significand bits, so |round(x) − x| ≤ 2⁻⁸|x|.</summary>
    public const double UnitRoundoff = 1.0 / 256;

    /// <summary>The bfloat16 bits of <paramref name="x"/> (NaN stays a quiet NaN).</summary>
    public static ushort Bits(float x)
    {
        uint u = BitConverter.SingleToUInt32Bits(x);
        if ((u & 0x7FFFFFFFu) > 0x7F800000u) return (ushort)((u >> 16) | 0x40u);
        return (ushort)((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
    }

    /// <summary><paramref name="x"/> rounded to the nearest bfloat16, as a float32.</summary>
    public static float Round(float x) => BitConverter.UInt32BitsToSingle((uint)Bits(x) << 16);
}
