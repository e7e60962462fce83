using System.Runtime.CompilerServices;

namespace Reproduce.Compute;

/// <summary>
/// The Box–Muller transform of <see cref="Philox"/>'s normal stream, written with IEEE-754 basic
/// operations only — add, subtract, multiply, divide, square root and fused multiply-add, each
/// correctly rounded — so that the CPU (scalar here, four lanes at a time in
/// <see cref="PhiloxAvx2"/>) and the CUDA kernel (the same steps with <c>__dmul_rn</c>,
/// <c>__dadd_rn</c>, <c>fma</c>, … which the compiler may not contract) produce the same bits.
/// Library <c>log</c>/<c>sin</c>/<c>cos</c> differ by an ulp or two between .NET, glibc and CUDA's
/// libdevice, which would make GPU draws differ from CPU draws in the last bits.
/// <para>
/// <b>ln u</b> for u ∈ [2⁻⁵², 1]: u = 2ᵉ·m with m ∈ [1, 2) read from the bits; if m ≥ fl(√2) then
/// m ← m/2, e ← e + 1 (so m ∈ [√½, √2)); f = m − 1 (exact); s = f / (2 + f); z = s²;
/// ln m = 2s + 2s·z·Q(z) with Q(z) = Σᵢ₌₀⁹ zⁱ/(2i + 3) (the series of 2·atanh s; |s| ≤ 0.1716, so the
/// first omitted term is below 10⁻¹⁸ relative) evaluated by Horner's rule in fused multiply-adds;
/// ln u = fma(e, fl(ln 2), ln m).
/// </para>
/// <para>
/// <b>sin 2πu, cos 2πu</b> for u = j·2⁻⁵³, j a 53-bit integer: the nearest quarter turn
/// q = ⌊(j + 2⁵⁰) / 2⁵¹⌋ ∈ {0, …, 4} and the exact remainder a = (j − q·2⁵¹)·2⁻⁵³ ∈ [−⅛, ⅛] are
/// integer arithmetic; with w = a², sin 2πa = a·S(w) and cos 2πa = C(w), where S and C are the
/// Taylor polynomials of sin 2πa / a and cos 2πa in a² to degree 8 (|2πa| ≤ π/4: the first omitted
/// terms are below 10⁻¹⁷), coefficients (−1)ᵏ(2π)²ᵏ⁺¹/(2k+1)! and (−1)ᵏ(2π)²ᵏ/(2k)! rounded to
/// double, evaluated by Horner's rule in fused multiply-adds; then the rotation by q quarter turns
/// (swaps and sign flips, exact).
/// </para>
/// Both agree with the correctly rounded functions to a few ulp (tested against Math.Log and
/// Math.SinCos); the distribution of the normals is unaffected at any sample size.
/// </summary>
internal static class PhiloxMath
{
    // Coefficients, as the shortest round-trip decimal strings of the doubles. The CUDA kernel
    // spells the same doubles as hexadecimal literals; a test checks that the two lists agree.
    internal const double Ln2 = 0.6931471805599453;
    internal const double Sqrt2 = 1.4142135623730951;
    internal const double TwoPow53Inv = 1.1102230246251565e-16; // 2⁻⁵³

    internal const double Q0 = 0.3333333333333333, Q1 = 0.2, Q2 = 0.14285714285714285, Q3 = 0.1111111111111111,
        Q4 = 0.09090909090909091, Q5 = 0.07692307692307693, Q6 = 0.06666666666666667, Q7 = 0.058823529411764705,
        Q8 = 0.05263157894736842, Q9 = 0.047619047619047616;

    internal const double S0 = 6.283185307179586, S1 = -41.34170224039976, S2 = 81.60524927607506,
        S3 = -76.70585975306139, S4 = 42.058693944897655, S5 = -15.09464257682299, S6 = 3.819952584848282,
        S7 = -0.7181223017785006, S8 = 0.10422916220813984;

    internal const double C0 = 1.0, C1 = -19.739208802178716, C2 = 64.9393940226683, C3 = -85.45681720669373,
        C4 = 60.24464137187666, C5 = -26.4262567833744, C6 = 7.903536371318469, C7 = -1.714390711088672,
        C8 = 0.28200596845579123;

    /// <summary>All coefficients in the order the CUDA source lists them (for the consistency test).</summary>
    internal static readonly double[] Constants =
        [Ln2, Sqrt2, TwoPow53Inv, Q0, Q1, Q2, Q3, Q4, Q5, Q6, Q7, Q8, Q9, S0, S1, S2, S3, S4, S5, S6, S7, S8, C0, C1, C2, C3, C4, C5, C6, C7, C8];

    private const ulong One = 0x3FF0000000000000UL;
    private const ulong MantissaMask = 0x000FFFFFFFFFFFFFUL;

    /// <summary>u1 = 1 − ⌊lo / 2¹²⌋·2⁻⁵² ∈ [2⁻⁵², 1], computed as 2 − (1 + ⌊lo / 2¹²⌋·2⁻⁵²) (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double U1(ulong lo) => 2.0 - BitConverter.UInt64BitsToDouble(One | (lo >> 12));

    /// <summary>ln u for u ∈ [2⁻⁵², 1] (positive normal doubles ≤ 1), as documented on the class.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Log(double u)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(u);
        double e = (double)(bits >> 52) - 1023.0;
        double m = BitConverter.UInt64BitsToDouble((bits & MantissaMask) | One);
        if (m >= Sqrt2) { m *= 0.5; e += 1.0; }
        double f = m - 1.0;
        double s = f / (2.0 + f);
        double z = s * s;
        double q = Math.FusedMultiplyAdd(Q9, z, Q8);
        q = Math.FusedMultiplyAdd(q, z, Q7);
        q = Math.FusedMultiplyAdd(q, z, Q6);
        q = Math.FusedMultiplyAdd(q, z, Q5);
        q = Math.FusedMultiplyAdd(q, z, Q4);
        q = Math.FusedMultiplyAdd(q, z, Q3);
        q = Math.FusedMultiplyAdd(q, z, Q2);
        q = Math.FusedMultiplyAdd(q, z, Q1);
        q = Math.FusedMultiplyAdd(q, z, Q0);
        double s2 = s + s;
        double lm = Math.FusedMultiplyAdd(s2 * z, q, s2);
        return Math.FusedMultiplyAdd(e, Ln2, lm);
    }

    /// <summary>(sin 2πu, cos 2πu) for u = j·2⁻⁵³, j &lt; 2⁵³, as documented on the class.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (double Sin, double Cos) SinCosTurns(ulong j)
    {
        ulong q = (j + (1UL << 50)) >> 51;
        long t = (long)j - (long)(q << 51);
        double a = (double)t * TwoPow53Inv;
        double w = a * a;
        double sp = Math.FusedMultiplyAdd(S8, w, S7);
        sp = Math.FusedMultiplyAdd(sp, w, S6);
        sp = Math.FusedMultiplyAdd(sp, w, S5);
        sp = Math.FusedMultiplyAdd(sp, w, S4);
        sp = Math.FusedMultiplyAdd(sp, w, S3);
        sp = Math.FusedMultiplyAdd(sp, w, S2);
        sp = Math.FusedMultiplyAdd(sp, w, S1);
        sp = Math.FusedMultiplyAdd(sp, w, S0);
        double sn = a * sp;
        double cp = Math.FusedMultiplyAdd(C8, w, C7);
        cp = Math.FusedMultiplyAdd(cp, w, C6);
        cp = Math.FusedMultiplyAdd(cp, w, C5);
        cp = Math.FusedMultiplyAdd(cp, w, C4);
        cp = Math.FusedMultiplyAdd(cp, w, C3);
        cp = Math.FusedMultiplyAdd(cp, w, C2);
        cp = Math.FusedMultiplyAdd(cp, w, C1);
        cp = Math.FusedMultiplyAdd(cp, w, C0);
        bool swap = (q & 1) != 0;
        double sin = swap ? cp : sn, cos = swap ? sn : cp;
        if ((q & 2) != 0) sin = -sin;
        if (((q + 1) & 2) != 0) cos = -cos;
        return (sin, cos);
    }

    /// <summary>The two normals of one block's words: (r·cos θ, r·sin θ) with r = √(−2 ln u1),
    /// u1 = <see cref="U1"/>(lo), θ = 2π·⌊hi / 2¹¹⌋·2⁻⁵³.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (double Even, double Odd) NormalPair(ulong lo, ulong hi)
    {
        double r = Math.Sqrt(-2.0 * Log(U1(lo)));
        var (s, c) = SinCosTurns(hi >> 11);
        return (r * c, r * s);
    }
}
