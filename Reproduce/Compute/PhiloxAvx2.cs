using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Reproduce.Compute;

/// <summary>Four Philox blocks at a time with AVX2 (one block per 64-bit lane; <c>vpmuludq</c> gives
/// the 32×32→64-bit products) and the normal transform of <see cref="PhiloxMath"/> on four lanes.
/// Every lane performs the same correctly rounded operations in the same order as the scalar code,
/// so the results are bit-identical to it (the tests compare them); only the speed differs.</summary>
internal static class PhiloxAvx2
{
    /// <summary>AVX2 and FMA3 are present (else the scalar code runs).</summary>
    public static bool IsSupported => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>The words (lo, hi) of blocks b, b + 1, b + 2, b + 3 of stream (key, kind), lane l = block b + l.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Words4(ulong key, ulong b, RandomKind kind, out Vector256<ulong> lo, out Vector256<ulong> hi)
    {
        var low32 = Vector256.Create(0xFFFFFFFFUL);
        var blocks = Avx2.Add(Vector256.Create(b), Vector256.Create(0UL, 1UL, 2UL, 3UL));
        var c0 = Avx2.And(blocks, low32);
        var c1 = Avx2.ShiftRightLogical(blocks, 32);
        var c2 = Vector256.Create((ulong)(uint)kind);
        var c3 = Vector256<ulong>.Zero;
        var m0 = Vector256.Create((ulong)Philox.M0).AsUInt32();
        var m1 = Vector256.Create((ulong)Philox.M1).AsUInt32();
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        for (int r = 0; r < Philox.Rounds; r++)
        {
            if (r > 0) { k0 += Philox.W0; k1 += Philox.W1; }
            var p0 = Avx2.Multiply(c0.AsUInt32(), m0);
            var p1 = Avx2.Multiply(c2.AsUInt32(), m1);
            var n0 = Avx2.Xor(Avx2.Xor(Avx2.ShiftRightLogical(p1, 32), c1), Vector256.Create((ulong)k0));
            var n2 = Avx2.Xor(Avx2.Xor(Avx2.ShiftRightLogical(p0, 32), c3), Vector256.Create((ulong)k1));
            c1 = Avx2.And(p1, low32);
            c3 = Avx2.And(p0, low32);
            c0 = n0;
            c2 = n2;
        }
        lo = Avx2.Or(c0, Avx2.ShiftLeftLogical(c1, 32));
        hi = Avx2.Or(c2, Avx2.ShiftLeftLogical(c3, 32));
    }

    /// <summary><see cref="PhiloxMath.NormalPair"/> on four lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void NormalPair4(Vector256<ulong> lo, Vector256<ulong> hi, out Vector256<double> even, out Vector256<double> odd)
    {
        var oneBits = Vector256.Create(0x3FF0000000000000UL);
        var one = Vector256.Create(1.0);

        // u1 = 2 − (1 + ⌊lo/2¹²⌋·2⁻⁵²)
        var u1 = Avx.Subtract(Vector256.Create(2.0), Avx2.Or(Avx2.ShiftRightLogical(lo, 12), oneBits).AsDouble());

        // ln u1
        var bits = u1.AsUInt64();
        // The exponent field (< 2¹¹) as a double, exactly: the bits of 2⁵² + field, minus 2⁵².
        var e = Avx.Subtract(Avx2.Or(Avx2.ShiftRightLogical(bits, 52), Vector256.Create(0x4330000000000000UL)).AsDouble(), Vector256.Create(4503599627370496.0));
        e = Avx.Subtract(e, Vector256.Create(1023.0));
        var m = Avx2.Or(Avx2.And(bits, Vector256.Create(0x000FFFFFFFFFFFFFUL)), oneBits).AsDouble();
        var big = Avx.CompareGreaterThanOrEqual(m, Vector256.Create(PhiloxMath.Sqrt2));
        m = Avx.BlendVariable(m, Avx.Multiply(m, Vector256.Create(0.5)), big);
        e = Avx.BlendVariable(e, Avx.Add(e, one), big);
        var f = Avx.Subtract(m, one);
        var s = Avx.Divide(f, Avx.Add(Vector256.Create(2.0), f));
        var z = Avx.Multiply(s, s);
        var q = Fma.MultiplyAdd(Vector256.Create(PhiloxMath.Q9), z, Vector256.Create(PhiloxMath.Q8));
        q = Fma.MultiplyAdd(q, z, Vector256.Create(PhiloxMath.Q7));
        q = Fma.MultiplyAdd(q, z, Vector256.Create(PhiloxMath.Q6));
        q = Fma.MultiplyAdd(q, z, Vector256.Create(PhiloxMath.Q5));
        q = Fma.MultiplyAdd(q, z, Vector256.Create(PhiloxMath.Q4));
        q = Fma.MultiplyAdd(q, z, Vector256.Create(PhiloxMath.Q3));
        q = Fma.MultiplyAdd(q, z, Vector256.Create(PhiloxMath.Q2));
        q = Fma.MultiplyAdd(q, z, Vector256.Create(PhiloxMath.Q1));
        q = Fma.MultiplyAdd(q, z, Vector256.Create(PhiloxMath.Q0));
        var s2 = Avx.Add(s, s);
        var lm = Fma.MultiplyAdd(Avx.Multiply(s2, z), q, s2);
        var ln = Fma.MultiplyAdd(e, Vector256.Create(PhiloxMath.Ln2), lm);
        var r = Avx.Sqrt(Avx.Multiply(Vector256.Create(-2.0), ln));

        // sin and cos of 2π·j·2⁻⁵³, j = ⌊hi/2¹¹⌋
        var j = Avx2.ShiftRightLogical(hi, 11);
        var qt = Avx2.ShiftRightLogical(Avx2.Add(j, Vector256.Create(1UL << 50)), 51);
        var t = Avx2.Subtract(j, Avx2.ShiftLeftLogical(qt, 51)); // two's complement, |t| ≤ 2⁵⁰
        // t as a double, exactly: the bits of 1.5·2⁵² + t (|t| < 2⁵¹), minus 1.5·2⁵².
        var a = Avx.Subtract(Avx2.Add(t, Vector256.Create(0x4338000000000000UL)).AsDouble(), Vector256.Create(6755399441055744.0));
        a = Avx.Multiply(a, Vector256.Create(PhiloxMath.TwoPow53Inv));
        var w = Avx.Multiply(a, a);
        var sp = Fma.MultiplyAdd(Vector256.Create(PhiloxMath.S8), w, Vector256.Create(PhiloxMath.S7));
        sp = Fma.MultiplyAdd(sp, w, Vector256.Create(PhiloxMath.S6));
        sp = Fma.MultiplyAdd(sp, w, Vector256.Create(PhiloxMath.S5));
        sp = Fma.MultiplyAdd(sp, w, Vector256.Create(PhiloxMath.S4));
        sp = Fma.MultiplyAdd(sp, w, Vector256.Create(PhiloxMath.S3));
        sp = Fma.MultiplyAdd(sp, w, Vector256.Create(PhiloxMath.S2));
        sp = Fma.MultiplyAdd(sp, w, Vector256.Create(PhiloxMath.S1));
        sp = Fma.MultiplyAdd(sp, w, Vector256.Create(PhiloxMath.S0));
        var sn = Avx.Multiply(a, sp);
        var cp = Fma.MultiplyAdd(Vector256.Create(PhiloxMath.C8), w, Vector256.Create(PhiloxMath.C7));
        cp = Fma.MultiplyAdd(cp, w, Vector256.Create(PhiloxMath.C6));
        cp = Fma.MultiplyAdd(cp, w, Vector256.Create(PhiloxMath.C5));
        cp = Fma.MultiplyAdd(cp, w, Vector256.Create(PhiloxMath.C4));
        cp = Fma.MultiplyAdd(cp, w, Vector256.Create(PhiloxMath.C3));
        cp = Fma.MultiplyAdd(cp, w, Vector256.Create(PhiloxMath.C2));
        cp = Fma.MultiplyAdd(cp, w, Vector256.Create(PhiloxMath.C1));
        cp = Fma.MultiplyAdd(cp, w, Vector256.Create(PhiloxMath.C0));
        var oneU = Vector256.Create(1UL);
        var swap = Avx2.CompareEqual(Avx2.And(qt, oneU), oneU).AsDouble();
        var sin = Avx.BlendVariable(sn, cp, swap);
        var cos = Avx.BlendVariable(cp, sn, swap);
        // Sign flips: bit 1 of q (sin) and of q + 1 (cos), moved to the sign bit.
        var twoU = Vector256.Create(2UL);
        sin = Avx.Xor(sin, Avx2.ShiftLeftLogical(Avx2.And(qt, twoU), 62).AsDouble());
        cos = Avx.Xor(cos, Avx2.ShiftLeftLogical(Avx2.And(Avx2.Add(qt, oneU), twoU), 62).AsDouble());

        even = Avx.Multiply(r, cos);
        odd = Avx.Multiply(r, sin);
    }

    /// <summary>The float64 uniform map ⌊w / 2¹¹⌋·2⁻⁵³ on four lanes (exact, as the scalar conversion).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Uniform53(Vector256<ulong> w)
    {
        var x = Avx2.ShiftRightLogical(w, 11); // 53 bits: the low 52 through the bits of 2⁵² + low, the top bit added after
        var two52 = Vector256.Create(4503599627370496.0);
        var low = Avx.Subtract(Avx2.Or(Avx2.And(x, Vector256.Create(0x000FFFFFFFFFFFFFUL)), Vector256.Create(0x4330000000000000UL)).AsDouble(), two52);
        var top = Avx.And(Avx2.CompareEqual(Avx2.ShiftRightLogical(x, 52), Vector256.Create(1UL)).AsDouble(), two52);
        return Avx.Multiply(Avx.Add(low, top), Vector256.Create(PhiloxMath.TwoPow53Inv)); // sum < 2⁵³: exact
    }

    /// <summary>The float32 uniform map ⌊w / 2⁴⁰⌋·2⁻²⁴ on four lanes, as doubles (exactly representable in float32).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Uniform24(Vector256<ulong> w)
    {
        var x = Avx2.Or(Avx2.ShiftRightLogical(w, 40), Vector256.Create(0x4330000000000000UL)).AsDouble();
        return Avx.Multiply(Avx.Subtract(x, Vector256.Create(4503599627370496.0)), Vector256.Create(1.0 / (1 << 24)));
    }

    /// <summary>Writes lanes (even₀, odd₀, even₁, odd₁, …, odd₃) to eight consecutive doubles.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInterleaved(Vector256<double> even, Vector256<double> odd, ref double dst)
    {
        var a = Avx.UnpackLow(even, odd);   // e0 o0 e2 o2
        var b = Avx.UnpackHigh(even, odd);  // e1 o1 e3 o3
        Unsafe.WriteUnaligned(ref Unsafe.As<double, byte>(ref dst), Avx.Permute2x128(a, b, 0x20));
        Unsafe.WriteUnaligned(ref Unsafe.As<double, byte>(ref Unsafe.Add(ref dst, 4)), Avx.Permute2x128(a, b, 0x31));
    }

    /// <summary>As <see cref="StoreInterleaved(Vector256{double}, Vector256{double}, ref double)"/>, rounded to float32 (to nearest, as a scalar cast).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreInterleaved(Vector256<double> even, Vector256<double> odd, ref float dst)
    {
        var a = Avx.UnpackLow(even, odd);
        var b = Avx.UnpackHigh(even, odd);
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref dst), Avx.ConvertToVector128Single(Avx.Permute2x128(a, b, 0x20)));
        Unsafe.WriteUnaligned(ref Unsafe.As<float, byte>(ref Unsafe.Add(ref dst, 4)), Avx.ConvertToVector128Single(Avx.Permute2x128(a, b, 0x31)));
    }
}
