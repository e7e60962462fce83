using System.Runtime.CompilerServices;

namespace Reproduce.Compute;

/// <summary>
/// Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw, "Parallel random
/// numbers: as easy as 1, 2, 3" (SC'11; constants as in the paper and its Random123 library): a
/// keyed bijection of a 128-bit counter,
/// ten rounds of two 32×32→64-bit multiplications (multipliers 0xD2511F53, 0xCD9E8D57) in a
/// Feistel-like network, with the 64-bit key bumped by the Weyl increments 0x9E3779B9, 0xBB67AE85
/// between rounds. Every output is a pure function of (key, counter), so a matrix of random numbers
/// can be filled in any order, by any number of threads, on CPU or GPU, with the same result.
/// <para>
/// <b>The element → value map</b> (the contract that <see cref="ReferenceBackend"/>,
/// <see cref="CpuBackend"/> and the CUDA kernel <c>philox_fill_f64/_f32</c> all implement). A stream
/// is a 64-bit key K and a kind (<see cref="RandomKind"/>, numeric tag t: Normal 0, Uniform 1,
/// Rademacher 2); its elements are numbered k = 0, 1, 2, … &lt; 2⁶³, and a matrix takes them in
/// column-major order (entry (i, j) of an m-row matrix is element j·m + i, shifted by the fill's
/// <c>first</c>). For a block index b, <c>B(b)</c> = Philox4x32-10 with key words
/// (K mod 2³², ⌊K / 2³²⌋) applied to the counter words (b mod 2³², ⌊b / 2³²⌋, t, 0), giving words
/// x0, x1, x2, x3, read as two 64-bit words lo = x0 + 2³²·x1 and hi = x2 + 2³²·x3.
/// <list type="bullet">
/// <item><b>Normal</b>: b = ⌊k/2⌋; u1 = 1 − ⌊lo / 2¹²⌋·2⁻⁵² ∈ [2⁻⁵², 1] (52 bits, never 0, so the
/// log is finite; built exactly from the mantissa bits), u2 = ⌊hi / 2¹¹⌋·2⁻⁵³ ∈ [0, 1) (53 bits); r = √(−2 ln u1); element k is r·cos 2πu2 for even k and
/// r·sin 2πu2 for odd k (Box–Muller: both outputs of one block, so each block feeds two elements).
/// ln, sin and cos are evaluated by <see cref="PhiloxMath"/> from correctly rounded IEEE operations
/// only (no library calls), within a few ulp of the exact functions. |value| ≤ √(2·52·ln 2) ≈ 8.49.
/// Float32 is the float64 value rounded to nearest.</item>
/// <item><b>Uniform</b>: b = ⌊k/2⌋; w = lo for even k, hi for odd k; float64 value ⌊w / 2¹¹⌋·2⁻⁵³
/// ∈ [0, 1) (53 random bits, as <see cref="Rng.Uniform()"/>); float32 value ⌊w / 2⁴⁰⌋·2⁻²⁴ ∈
/// [0, 1 − 2⁻²⁴] — the top 24 bits, i.e. the float64 value rounded toward zero to a multiple of
/// 2⁻²⁴, because rounding to nearest could give 1.0f.</item>
/// <item><b>Rademacher</b>: b = ⌊k/128⌋; with c = k mod 128, bit c mod 64 of lo (c &lt; 64) or of hi
/// (c ≥ 64); value +1 when the bit is 1, −1 when it is 0 (one block feeds 128 elements).</item>
/// </list>
/// Every step of every map is integer arithmetic or a correctly rounded IEEE-754 operation (add,
/// multiply, divide, square root, fused multiply-add, rounding to float32) in a fixed order, so the
/// scalar code here, the four-lane AVX2 code (<see cref="PhiloxAvx2"/>), the reference backend and
/// the CUDA kernel produce the same bits: parity tolerance 0 for all kinds and both precisions.
/// </para>
/// </summary>
public static class Philox
{
    /// <summary>Multiplier of counter word 0 (Salmon et al., SC'11).</summary>
    public const uint M0 = 0xD2511F53;
    /// <summary>Multiplier of counter word 2.</summary>
    public const uint M1 = 0xCD9E8D57;
    /// <summary>Weyl increment of key word 0 (golden ratio − 1, times 2³²).</summary>
    public const uint W0 = 0x9E3779B9;
    /// <summary>Weyl increment of key word 1 (√3 − 1, times 2³²).</summary>
    public const uint W1 = 0xBB67AE85;
    /// <summary>Rounds of Philox4x32-10.</summary>
    public const int Rounds = 10;

    private const double Inv53 = 1.0 / (1UL << 53);
    private const double Inv24 = 1.0 / (1UL << 24);

    /// <summary>The Philox4x32-10 block function: counter words (c0, c1, c2, c3), key words (k0, k1)
    /// → four output words, as Random123's <c>philox4x32</c> (word 0 first). Checked against
    /// Random123's published known-answer vectors (<c>tests/kat_vectors</c>) in the tests.</summary>
    public static (uint X0, uint X1, uint X2, uint X3) Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1) =>
        Block(c0, c1, c2, c3, k0, k1, Rounds);

    /// <summary>The block function with a given number of rounds (Random123 also publishes 7-round vectors).</summary>
    internal static (uint X0, uint X1, uint X2, uint X3) Block(uint c0, uint c1, uint c2, uint c3, uint k0, uint k1, int rounds)
    {
        for (int r = 0; r < rounds; r++)
        {
            if (r > 0) { k0 += W0; k1 += W1; }
            ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
            uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            c0 = n0; c1 = (uint)p1; c2 = n2; c3 = (uint)p0;
        }
        return (c0, c1, c2, c3);
    }

    /// <summary>B(b) of the class documentation as the 64-bit words (lo, hi).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (ulong Lo, ulong Hi) Words(ulong key, ulong block, RandomKind kind)
    {
        // The hot path: the round is inlined; the key is bumped between rounds (not before the first).
        uint c0 = (uint)block, c1 = (uint)(block >> 32), c2 = (uint)kind, c3 = 0;
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        for (int r = 1; r < Rounds; r++)
        {
            k0 += W0; k1 += W1;
            Round(ref c0, ref c1, ref c2, ref c3, k0, k1);
        }
        return (c0 | (ulong)c1 << 32, c2 | (ulong)c3 << 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(ref uint c0, ref uint c1, ref uint c2, ref uint c3, uint k0, uint k1)
    {
        ulong p0 = (ulong)M0 * c0, p1 = (ulong)M1 * c2;
        uint n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
        uint n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
        c0 = n0; c1 = (uint)p1; c2 = n2; c3 = (uint)p0;
    }

    // ---------------- single elements (the oracle the fills are tested against) ----------------

    /// <summary>Element <paramref name="k"/> of the standard normal stream of <paramref name="key"/>.</summary>
    public static double Normal(ulong key, long k)
    {
        CheckIndex(k);
        var (even, odd) = NormalPair(key, (ulong)k >> 1);
        return (k & 1) == 0 ? even : odd;
    }

    /// <summary>Element <paramref name="k"/> of the uniform [0, 1) stream (float64 map).</summary>
    public static double Uniform(ulong key, long k)
    {
        CheckIndex(k);
        var (lo, hi) = Words(key, (ulong)k >> 1, RandomKind.Uniform);
        return U53((k & 1) == 0 ? lo : hi);
    }

    /// <summary>Element <paramref name="k"/> of the uniform stream, float32 map (top 24 bits, in [0, 1 − 2⁻²⁴]).</summary>
    public static float UniformF32(ulong key, long k)
    {
        CheckIndex(k);
        var (lo, hi) = Words(key, (ulong)k >> 1, RandomKind.Uniform);
        return U24((k & 1) == 0 ? lo : hi);
    }

    /// <summary>Element <paramref name="k"/> of the Rademacher (±1) stream.</summary>
    public static double Rademacher(ulong key, long k)
    {
        CheckIndex(k);
        var (lo, hi) = Words(key, (ulong)k >> 7, RandomKind.Rademacher);
        return Sign(lo, hi, (int)(k & 127));
    }

    /// <summary>Element <paramref name="k"/> of the stream of <paramref name="kind"/>, float64.</summary>
    public static double Value(RandomKind kind, ulong key, long k) => kind switch
    {
        RandomKind.Normal => Normal(key, k),
        RandomKind.Uniform => Uniform(key, k),
        RandomKind.Rademacher => Rademacher(key, k),
        _ => throw UnknownKind(kind),
    };

    /// <summary>Element <paramref name="k"/> of the stream of <paramref name="kind"/>, float32
    /// (normal: the float64 value rounded to nearest; uniform: <see cref="UniformF32"/>).</summary>
    public static float ValueF32(RandomKind kind, ulong key, long k) => kind switch
    {
        RandomKind.Normal => (float)Normal(key, k),
        RandomKind.Uniform => UniformF32(key, k),
        RandomKind.Rademacher => (float)Rademacher(key, k),
        _ => throw UnknownKind(kind),
    };

    /// <summary>Both normals of block <paramref name="pair"/>: elements 2·pair (r·cos θ) and 2·pair + 1 (r·sin θ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (double Even, double Odd) NormalPair(ulong key, ulong pair)
    {
        var (lo, hi) = Words(key, pair, RandomKind.Normal);
        return PhiloxMath.NormalPair(lo, hi);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double U53(ulong w) => (w >> 11) * Inv53;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float U24(ulong w) => (float)((w >> 40) * Inv24);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Sign(ulong lo, ulong hi, int c)
    {
        // Branch-free (the bit is a coin flip, so a branch mispredicts half the time): the sign bit
        // of 1.0 is set when the stream bit is 0.
        ulong bit = ((c < 64 ? lo : hi) >> (c & 63)) & 1;
        return BitConverter.UInt64BitsToDouble(0x3FF0000000000000UL | ((bit ^ 1) << 63));
    }

    // ---------------- fills (the CPU kernels) ----------------

    /// <summary>target[i] ← element <paramref name="first"/> + i of the stream (kind, key), float64.
    /// Computes each Philox block once (two normals or uniforms, 128 signs per block), four blocks
    /// at a time with AVX2 where the processor has it (bit-identical to the scalar code).</summary>
    public static void Fill(RandomKind kind, ulong key, long first, Span<double> target) => FillCore(kind, key, first, target, PhiloxAvx2.IsSupported);

    /// <summary>target[i] ← element <paramref name="first"/> + i of the stream (kind, key), float32 map.</summary>
    public static void Fill(RandomKind kind, ulong key, long first, Span<float> target) => FillCore(kind, key, first, target, PhiloxAvx2.IsSupported);

    /// <summary><see cref="Fill(RandomKind, ulong, long, Span{double})"/> without AVX2 (for tests).</summary>
    internal static void FillScalar(RandomKind kind, ulong key, long first, Span<double> target) => FillCore(kind, key, first, target, vector: false);

    /// <summary><see cref="Fill(RandomKind, ulong, long, Span{float})"/> without AVX2 (for tests).</summary>
    internal static void FillScalar(RandomKind kind, ulong key, long first, Span<float> target) => FillCore(kind, key, first, target, vector: false);

    private static void FillCore<T>(RandomKind kind, ulong key, long first, Span<T> t, bool vector) where T : unmanaged
    {
        CheckRange(first, t.Length, nameof(first));
        int n = t.Length;
        if (n == 0) return;
        switch (kind)
        {
            case RandomKind.Normal:
            {
                int i = 0;
                if ((first & 1) != 0) { Store(t, 0, NormalPair(key, (ulong)first >> 1).Odd); i = 1; }
                if (vector)
                    for (; i + 8 <= n; i += 8) // four blocks: elements first + i … first + i + 7
                    {
                        PhiloxAvx2.Words4(key, (ulong)(first + i) >> 1, kind, out var lo4, out var hi4);
                        PhiloxAvx2.NormalPair4(lo4, hi4, out var even, out var odd);
                        ref T dst = ref t[i];
                        if (typeof(T) == typeof(double)) PhiloxAvx2.StoreInterleaved(even, odd, ref Unsafe.As<T, double>(ref dst));
                        else PhiloxAvx2.StoreInterleaved(even, odd, ref Unsafe.As<T, float>(ref dst));
                    }
                for (; i + 1 < n; i += 2)
                {
                    var (a, b) = NormalPair(key, (ulong)(first + i) >> 1);
                    Store(t, i, a);
                    Store(t, i + 1, b);
                }
                if (i < n) Store(t, i, NormalPair(key, (ulong)(first + i) >> 1).Even);
                break;
            }
            case RandomKind.Uniform:
            {
                int i = 0;
                if ((first & 1) != 0) { StoreUniform(t, 0, Words(key, (ulong)first >> 1, kind).Hi); i = 1; }
                if (vector)
                    for (; i + 8 <= n; i += 8)
                    {
                        PhiloxAvx2.Words4(key, (ulong)(first + i) >> 1, kind, out var lo4, out var hi4);
                        ref T dst = ref t[i];
                        if (typeof(T) == typeof(double)) PhiloxAvx2.StoreInterleaved(PhiloxAvx2.Uniform53(lo4), PhiloxAvx2.Uniform53(hi4), ref Unsafe.As<T, double>(ref dst));
                        else PhiloxAvx2.StoreInterleaved(PhiloxAvx2.Uniform24(lo4), PhiloxAvx2.Uniform24(hi4), ref Unsafe.As<T, float>(ref dst));
                    }
                for (; i + 1 < n; i += 2)
                {
                    var (lo, hi) = Words(key, (ulong)(first + i) >> 1, kind);
                    StoreUniform(t, i, lo);
                    StoreUniform(t, i + 1, hi);
                }
                if (i < n) StoreUniform(t, i, Words(key, (ulong)(first + i) >> 1, kind).Lo);
                break;
            }
            case RandomKind.Rademacher:
            {
                long block = -1;
                ulong lo = 0, hi = 0;
                for (int i = 0; i < n; i++)
                {
                    long k = first + i;
                    if (k >> 7 != block) { block = k >> 7; (lo, hi) = Words(key, (ulong)block, kind); }
                    Store(t, i, Sign(lo, hi, (int)(k & 127)));
                }
                break;
            }
            default:
                throw UnknownKind(kind);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Span<T> t, int i, double v) where T : unmanaged
    {
        if (typeof(T) == typeof(double)) t[i] = Unsafe.As<double, T>(ref v);
        else { float f = (float)v; t[i] = Unsafe.As<float, T>(ref f); }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreUniform<T>(Span<T> t, int i, ulong w) where T : unmanaged
    {
        if (typeof(T) == typeof(double)) { double v = U53(w); t[i] = Unsafe.As<double, T>(ref v); }
        else { float f = U24(w); t[i] = Unsafe.As<float, T>(ref f); }
    }

    // ---------------- checks ----------------

    private static void CheckIndex(long k)
    {
        if (k < 0) throw new ArgumentOutOfRangeException(nameof(k), k, $"Philox stream elements are numbered from 0; got {k}.");
    }

    /// <summary>Elements first … first + length − 1 must lie in [0, 2⁶³).</summary>
    internal static void CheckRange(long first, long length, string paramName)
    {
        if (first < 0) throw new ArgumentOutOfRangeException(paramName, first, $"The first stream element must be ≥ 0; got {first}.");
        if (length > 0 && first > long.MaxValue - (length - 1))
            throw new ArgumentOutOfRangeException(paramName, first, $"Elements {first} … {first} + {length} − 1 run past the last stream element 2⁶³ − 1; use a smaller first element.");
    }

    internal static ArgumentOutOfRangeException UnknownKind(RandomKind kind) =>
        new(nameof(kind), kind, $"Unknown random kind {(int)kind}; use RandomKind.Normal, Uniform or Rademacher.");
}
