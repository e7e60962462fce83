using System.Globalization;
using Reproduce.Rounding;

namespace Reproduce.Compression;

/// <summary>A simulated weight format (brief §2.7): symmetric integer with B bits (levels −(2^{B−1}−1)..2^{B−1}−1
/// times one scale per output channel, or per group of G consecutive inputs of a channel), or FP8 E4M3
/// (round to the nearest E4M3 value after scaling the tensor's or channel's max |w| to 448).</summary>
public sealed record QuantFormat
{
    private QuantFormat(int bits, int groupSize, bool fp8, bool perChannel) { Bits = bits; GroupSize = groupSize; IsFp8 = fp8; PerChannel = perChannel; }

    /// <summary>Integer bits (8 for FP8).</summary>
    public int Bits { get; }

    /// <summary>Inputs per scale group (0 = one scale per output channel / per tensor for FP8).</summary>
    public int GroupSize { get; }

    /// <summary>True for FP8 E4M3.</summary>
    public bool IsFp8 { get; }

    /// <summary>FP8: one scale per output channel (else per tensor). Integer formats are always per channel or group.</summary>
    public bool PerChannel { get; }

    /// <summary>2^{B−1} − 1, the largest integer level.</summary>
    public int MaxLevel => (1 << (Bits - 1)) - 1;

    /// <summary>Symmetric integer format, 2 ≤ bits ≤ 8, group size 0 (per channel) or ≥ 1.</summary>
    public static QuantFormat Int(int bits, int groupSize = 0)
    {
        if (bits < 2 || bits > 8) throw new ArgumentOutOfRangeException(nameof(bits), bits, "bits must lie in 2..8 (e.g. 8 for INT8, 4 for INT4).");
        if (groupSize < 0) throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "group size must be 0 (one scale per output channel) or ≥ 1 (e.g. 128).");
        return new QuantFormat(bits, groupSize, false, true);
    }

    /// <summary>FP8 E4M3 with a per-tensor or per-channel scale.</summary>
    public static QuantFormat Fp8E4M3(bool perChannel) => new(8, 0, true, perChannel);

    /// <summary>The E4M3 grid (saturating at ±448).</summary>
    internal static RoundingGrid E4M3 { get; } = FloatFormat.E4M3.WithOverflow(OverflowPolicy.Saturate);

    /// <summary>448, the largest finite E4M3 value.</summary>
    public const double E4M3Max = 448;

    /// <inheritdoc/>
    public override string ToString() => IsFp8
        ? (PerChannel ? "fp8-e4m3 per channel" : "fp8-e4m3 per tensor")
        : string.Create(CultureInfo.InvariantCulture, $"int{Bits} {(GroupSize == 0 ? "per channel" : $"g{GroupSize}")}");

    /// <summary>Checks the group size fits d_in.</summary>
    internal void CheckFits(int dIn)
    {
        if (GroupSize > 0 && dIn % GroupSize != 0)
            throw new ArgumentException($"d_in = {dIn} is not a multiple of the group size {GroupSize}: use a group size that divides d_in (or 0 for per channel).");
    }

    /// <summary>Scale for values whose largest magnitude is <paramref name="amax"/> (1 when all are zero).</summary>
    internal double Scale(double amax) => amax > 0 ? amax / (IsFp8 ? E4M3Max : MaxLevel) : 1;

    /// <summary>Nearest grid value of w for the given scale.</summary>
    internal double Round(double w, double scale)
    {
        double x = w / scale;
        if (IsFp8) return scale * E4M3.Nearest(Math.Clamp(x, -E4M3Max, E4M3Max));
        return scale * Math.Clamp(Math.Round(x, MidpointRounding.ToEven), -MaxLevel, MaxLevel);
    }
}
