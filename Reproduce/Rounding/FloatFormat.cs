namespace Reproduce.Rounding;

/// <summary>A binary floating-point storage format with sign, <see cref="ExponentBits"/> exponent
/// bits (bias <see cref="Bias"/>), <see cref="MantissaBits"/> stored fraction bits, gradual underflow
/// (subnormals) and, for IEEE-like formats, infinities. The four formats used with stochastic
/// rounding (Dexter et al., arXiv 2403.12278; brief §2.1) are provided, bit-exact:
/// <list type="bullet">
/// <item><see cref="BFloat16"/>: 1-8-7, bias 127, max 3.3895e38, ∞ = 0x7F80, NaN = 0x7FC0.</item>
/// <item><see cref="Float16"/> (IEEE binary16): 1-5-10, bias 15, max 65504, ∞ = 0x7C00, NaN = 0x7E00.</item>
/// <item><see cref="E4M3"/> (OCP fp8): 1-4-3, bias 7, no infinities, exponent field 1111 is a normal
/// binade except S.1111.111 = NaN, max 448, min subnormal 2^−9.</item>
/// <item><see cref="E5M2"/> (OCP fp8, IEEE-like): 1-5-2, bias 15, max 57344, ∞ = 0x7C, NaN = 0x7E.</item>
/// </list>
/// Rounding: <see cref="Nearest"/> is roundTiesToEven; <see cref="RoundingGrid.Stochastic"/> rounds the
/// magnitude up with probability (|x| − lo)/(hi − lo) between its two neighbouring representable
/// magnitudes (subnormal spacing 2^(1−Bias−M) below the smallest normal). Overflow (a rounded
/// magnitude above <see cref="MaxFinite"/>) follows <see cref="Overflow"/>: ±∞ (NaN for E4M3) by
/// default, or ±MaxFinite when saturating. NaN stays NaN; ±∞ stays ±∞ (E4M3: NaN, or ±448 when
/// saturating). The sign of zero is kept.</summary>
public sealed class FloatFormat : RoundingGrid
{
    private FloatFormat(string name, int exponentBits, int mantissaBits, bool hasInfinities, OverflowPolicy overflow)
    {
        FormatName = name;
        ExponentBits = exponentBits;
        MantissaBits = mantissaBits;
        HasInfinities = hasInfinities;
        Overflow = overflow;
        Bias = (1 << (exponentBits - 1)) - 1;
        MinExponent = 1 - Bias;
        int maxField = (1 << exponentBits) - 1;
        if (hasInfinities)
        {
            MaxExponent = maxField - 1 - Bias;
            MaxFinite = (2 - Math.ScaleB(1.0, -mantissaBits)) * Math.ScaleB(1.0, MaxExponent);
        }
        else
        {
            // OCP E4M3: the all-ones exponent is a normal binade whose all-ones mantissa is NaN.
            MaxExponent = maxField - Bias;
            MaxFinite = (2 - Math.ScaleB(1.0, 1 - mantissaBits)) * Math.ScaleB(1.0, MaxExponent);
        }
        MinNormal = Math.ScaleB(1.0, MinExponent);
        MinSubnormal = Math.ScaleB(1.0, MinExponent - mantissaBits);
    }

    /// <summary>bfloat16: 8 exponent bits, 7 fraction bits (t = 8).</summary>
    public static FloatFormat BFloat16 { get; } = new("bfloat16", 8, 7, true, OverflowPolicy.NonFinite);

    /// <summary>IEEE 754 binary16: 5 exponent bits, 10 fraction bits (t = 11).</summary>
    public static FloatFormat Float16 { get; } = new("float16", 5, 10, true, OverflowPolicy.NonFinite);

    /// <summary>OCP fp8 E4M3 (t = 4): no infinities, max 448, NaN = S.1111.111.</summary>
    public static FloatFormat E4M3 { get; } = new("fp8-e4m3", 4, 3, false, OverflowPolicy.NonFinite);

    /// <summary>OCP fp8 E5M2 (t = 3): IEEE-like, max 57344, infinities.</summary>
    public static FloatFormat E5M2 { get; } = new("fp8-e5m2", 5, 2, true, OverflowPolicy.NonFinite);

    /// <summary>The four formats, in the order bfloat16, float16, E4M3, E5M2.</summary>
    public static IReadOnlyList<FloatFormat> All { get; } = [BFloat16, Float16, E4M3, E5M2];

    /// <summary>Looks a format up by name: "bfloat16"/"bf16", "float16"/"fp16"/"half",
    /// "fp8-e4m3"/"e4m3", "fp8-e5m2"/"e5m2" (case-insensitive).</summary>
    public static FloatFormat Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "bfloat16" or "bf16" => BFloat16,
        "float16" or "fp16" or "half" or "binary16" => Float16,
        "fp8-e4m3" or "e4m3" or "fp8_e4m3" => E4M3,
        "fp8-e5m2" or "e5m2" or "fp8_e5m2" => E5M2,
        _ => throw new ArgumentException($"Unsupported floating format '{name}'. Use one of: bfloat16, float16, fp8-e4m3, fp8-e5m2.", nameof(name)),
    };

    /// <summary>The same format with another overflow policy.</summary>
    public FloatFormat WithOverflow(OverflowPolicy policy) =>
        policy == Overflow ? this : new FloatFormat(FormatName, ExponentBits, MantissaBits, HasInfinities, policy);

    /// <summary>Format name without the policy.</summary>
    public string FormatName { get; }

    /// <inheritdoc />
    public override string Name => Overflow == OverflowPolicy.Saturate ? FormatName + " (saturating)" : FormatName;

    /// <summary>Exponent field width.</summary>
    public int ExponentBits { get; }

    /// <summary>Stored fraction bits M; the significand has t = M + 1 bits.</summary>
    public int MantissaBits { get; }

    /// <summary>Significand precision t = M + 1 (bfloat16 8, float16 11, E4M3 4, E5M2 3).</summary>
    public int Precision => MantissaBits + 1;

    /// <summary>Total width in bits (1 + E + M).</summary>
    public int TotalBits => 1 + ExponentBits + MantissaBits;

    /// <summary>Exponent bias 2^(E−1) − 1.</summary>
    public int Bias { get; }

    /// <summary>Whether the format has ±∞ (all but E4M3).</summary>
    public bool HasInfinities { get; }

    /// <summary>What happens on overflow.</summary>
    public OverflowPolicy Overflow { get; }

    /// <summary>Smallest normal exponent 1 − Bias.</summary>
    public int MinExponent { get; }

    /// <summary>Largest finite exponent.</summary>
    public int MaxExponent { get; }

    /// <summary>Largest finite value.</summary>
    public double MaxFinite { get; }

    /// <summary>Smallest positive normal value 2^MinExponent.</summary>
    public double MinNormal { get; }

    /// <summary>Smallest positive subnormal value 2^(MinExponent − M).</summary>
    public double MinSubnormal { get; }

    /// <summary>Number of distinct codes, 2^TotalBits.</summary>
    public int CodeCount => 1 << TotalBits;

    /// <summary>Spacing of the representable magnitudes in the binade of |x| (ulp), using the
    /// subnormal spacing below <see cref="MinNormal"/>: 2^(max(⌊log₂|x|⌋, MinExponent) − M).</summary>
    public double Quantum(double x)
    {
        double a = Math.Abs(x);
        int e = a == 0 ? MinExponent : Math.Max(Math.ILogB(a), MinExponent);
        return Math.ScaleB(1.0, e - MantissaBits);
    }

    // Magnitude neighbours of a finite a ≥ 0 on the exponent-unbounded grid.
    private (double Lo, double Hi, double Q) MagnitudeBracket(double a)
    {
        double q = Quantum(a);
        double lo = Math.Floor(a / q) * q;
        return lo == a ? (a, a, q) : (lo, lo + q, q);
    }

    private double OverflowValue(double sign) =>
        Overflow == OverflowPolicy.Saturate ? Math.CopySign(MaxFinite, sign)
        : HasInfinities ? Math.CopySign(double.PositiveInfinity, sign) : double.NaN;

    /// <summary>Neighbouring representable values lo ≤ x ≤ hi. Above <see cref="MaxFinite"/> the grid
    /// is continued with the top binade's spacing (so hi may exceed MaxFinite); NaN gives (NaN, NaN),
    /// ±∞ gives (x, x).</summary>
    public override (double Lo, double Hi) Bracket(double x)
    {
        if (!double.IsFinite(x)) return (x, x);
        var (lo, hi, _) = MagnitudeBracket(Math.Abs(x));
        return x >= 0 ? (lo, hi) : (-hi, -lo);
    }

    /// <summary>roundTiesToEven to this format (result as float64, exactly representable in the
    /// format), with the format's overflow policy.</summary>
    public override double Nearest(double x)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (double.IsInfinity(x)) return HasInfinities ? x : OverflowValue(x);
        double a = Math.Abs(x);
        double q = Quantum(a);
        double v = Math.Round(a / q, MidpointRounding.ToEven) * q;
        if (v > MaxFinite) return OverflowValue(x);
        return Math.CopySign(v, x);
    }

    /// <summary>Stochastic rounding of the magnitude (sign kept): up with probability
    /// (|x| − lo)/(hi − lo), driven by u ∈ [0, 1). A rounded magnitude above MaxFinite overflows
    /// according to <see cref="Overflow"/>.</summary>
    public override double Stochastic(double x, double u)
    {
        if (double.IsNaN(x)) return double.NaN;
        if (double.IsInfinity(x)) return HasInfinities ? x : OverflowValue(x);
        double a = Math.Abs(x);
        var (lo, hi, q) = MagnitudeBracket(a);
        double v = lo == hi ? lo : (u < (a - lo) / q ? hi : lo);
        if (v > MaxFinite) return OverflowValue(x);
        return Math.CopySign(v, x);
    }

    /// <summary>True for codes that decode to NaN.</summary>
    public bool IsNaNCode(int code)
    {
        CheckCode(code);
        int expField = (code >> MantissaBits) & ((1 << ExponentBits) - 1);
        int mant = code & ((1 << MantissaBits) - 1);
        int maxField = (1 << ExponentBits) - 1;
        return HasInfinities ? expField == maxField && mant != 0 : expField == maxField && mant == (1 << MantissaBits) - 1;
    }

    /// <summary>The value of a bit pattern (code in [0, 2^TotalBits)).</summary>
    public double Decode(int code)
    {
        CheckCode(code);
        double sign = ((code >> (ExponentBits + MantissaBits)) & 1) == 1 ? -1.0 : 1.0;
        int expField = (code >> MantissaBits) & ((1 << ExponentBits) - 1);
        int mant = code & ((1 << MantissaBits) - 1);
        if (IsNaNCode(code)) return double.NaN;
        if (HasInfinities && expField == (1 << ExponentBits) - 1) return sign * double.PositiveInfinity;
        double mag = expField == 0
            ? Math.ScaleB(mant, MinExponent - MantissaBits)
            : Math.ScaleB((1 << MantissaBits) + mant, expField - Bias - MantissaBits);
        return sign * mag;
    }

    /// <summary>The bit pattern of a value that is exactly representable (including ±0, ±∞ where the
    /// format has them, and NaN, which gets the canonical quiet NaN code). Use
    /// <see cref="EncodeNearest"/> for arbitrary values.</summary>
    public int Encode(double v)
    {
        int signBit = double.IsNegative(v) ? 1 << (ExponentBits + MantissaBits) : 0;
        int maxField = (1 << ExponentBits) - 1;
        if (double.IsNaN(v))
            return HasInfinities ? (maxField << MantissaBits) | (1 << (MantissaBits - 1)) : (maxField << MantissaBits) | ((1 << MantissaBits) - 1);
        if (double.IsInfinity(v))
        {
            if (!HasInfinities) throw new ArgumentOutOfRangeException(nameof(v), v, $"{FormatName} has no infinities; round with EncodeNearest (overflow policy {Overflow}) instead.");
            return signBit | (maxField << MantissaBits);
        }
        double a = Math.Abs(v);
        if (a == 0) return signBit;
        if (a > MaxFinite || Nearest(a) != a)
            throw new ArgumentOutOfRangeException(nameof(v), v, $"{v:R} is not representable in {FormatName}; use EncodeNearest or round first.");
        int e = Math.ILogB(a);
        if (e < MinExponent)
            return signBit | (int)Math.ScaleB(a, MantissaBits - MinExponent);
        int mantissa = (int)(Math.ScaleB(a, MantissaBits - e) - (1 << MantissaBits));
        return signBit | ((e + Bias) << MantissaBits) | mantissa;
    }

    /// <summary>Encode(Nearest(x)): the roundTiesToEven bit pattern of x.</summary>
    public int EncodeNearest(double x) => Encode(Nearest(x));

    private void CheckCode(int code)
    {
        if (code < 0 || code >= CodeCount)
            throw new ArgumentOutOfRangeException(nameof(code), code, $"{FormatName} codes lie in [0, {CodeCount}).");
    }
}
