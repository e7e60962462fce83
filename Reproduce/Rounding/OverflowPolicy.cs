namespace Reproduce.Rounding;

/// <summary>What rounding does with a finite value whose rounded magnitude would exceed the largest
/// finite number of a floating format.</summary>
public enum OverflowPolicy
{
    /// <summary>IEEE 754 behaviour: ±∞ for formats with infinities (bfloat16, float16, E5M2);
    /// NaN for OCP fp8 E4M3, which has no infinities.</summary>
    NonFinite,

    /// <summary>Clamp to ±MaxFinite (the OCP "saturating" conversion). Stochastic rounding is then
    /// biased above MaxFinite; use it only when values can exceed the range.</summary>
    Saturate,
}
