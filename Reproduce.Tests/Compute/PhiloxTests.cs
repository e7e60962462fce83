using Reproduce.Compute;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Compute;

/// <summary><see cref="Philox"/>: the block function against the published known answers, the
/// element maps against their definitions, and the CPU fills (every CPU backend, any thread count,
/// any offset) against the one-element-at-a-time <see cref="ReferenceBackend"/> oracle, bit for bit.</summary>
public class PhiloxTests
{
    // Random123's tests/kat_vectors (D. E. Shaw Research; lines "philox4x32 R ctr0..3 key0..1  out0..3"),
    // the known answers published with Salmon et al., SC'11. Checked against several independent
    // copies of that file (Random123-Boost's test_philox.cpp, TensorFlow's Philox tests).
    public static TheoryData<int, uint[], uint[], uint[]> KnownAnswers => new()
    {
        { 10, [0x00000000, 0x00000000, 0x00000000, 0x00000000], [0x00000000, 0x00000000], [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8] },
        { 10, [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd] },
        { 10, [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1] },
        { 7, [0x00000000, 0x00000000, 0x00000000, 0x00000000], [0x00000000, 0x00000000], [0x5f6fb709, 0x0d893f64, 0x4f121f81, 0x4f730a48] },
        { 7, [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x5207ddc2, 0x45165e59, 0x4d8ee751, 0x8c52f662] },
        { 7, [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344], [0xa4093822, 0x299f31d0], [0x4dfccaba, 0x190a87f0, 0xc47362ba, 0xb6b5242a] },
    };

    [Theory]
    [MemberData(nameof(KnownAnswers))]
    public void BlockFunctionMatchesRandom123KnownAnswers(int rounds, uint[] ctr, uint[] key, uint[] expected)
    {
        var (x0, x1, x2, x3) = rounds == Philox.Rounds
            ? Philox.Block(ctr[0], ctr[1], ctr[2], ctr[3], key[0], key[1])
            : Philox.Block(ctr[0], ctr[1], ctr[2], ctr[3], key[0], key[1], rounds);
        Assert.Equal(expected, new[] { x0, x1, x2, x3 });
    }

    [Fact]
    public void HotPathWordsAgreeWithTheBlockFunction()
    {
        // Words() inlines the rounds separately from Block(); both must be the same function.
        var rng = new Rng(11);
        for (int t = 0; t < 1000; t++)
        {
            ulong key = rng.NextUInt64(), b = rng.NextUInt64();
            var kind = (RandomKind)(t % 3);
            var (x0, x1, x2, x3) = Philox.Block((uint)b, (uint)(b >> 32), (uint)kind, 0, (uint)key, (uint)(key >> 32));
            var (lo, hi) = Philox.Words(key, b, kind);
            Assert.Equal(x0 | (ulong)x1 << 32, lo);
            Assert.Equal(x2 | (ulong)x3 << 32, hi);
        }
    }

    [Fact]
    public void ElementMapsFollowTheirDefinitions()
    {
        // Recompute each map from Block() and the documented formulas (independently of the helpers).
        ulong key = 0x0123456789ABCDEFUL;
        foreach (long k in new long[] { 0, 1, 2, 3, 127, 128, 129, (1L << 33) + 1, (1L << 33) + 126, long.MaxValue })
        {
            (ulong lo, ulong hi) W(ulong b, uint tag)
            {
                var (x0, x1, x2, x3) = Philox.Block((uint)b, (uint)(b >> 32), tag, 0, (uint)key, (uint)(key >> 32));
                return (x0 | (ulong)x1 << 32, x2 | (ulong)x3 << 32);
            }
            var (nlo, nhi) = W((ulong)k / 2, 0);
            double u1 = 1 - (nlo >> 12) / 4503599627370496.0, u2 = (nhi >> 11) / 9007199254740992.0;
            double r = Math.Sqrt(-2 * Math.Log(u1));
            double z = k % 2 == 0 ? r * Math.Cos(2 * Math.PI * u2) : r * Math.Sin(2 * Math.PI * u2);
            Assert.Equal(z, Philox.Normal(key, k), 1e-14); // own ln/sin/cos: within a few ulp of the library's

            var (ulo, uhi) = W((ulong)k / 2, 1);
            ulong w = k % 2 == 0 ? ulo : uhi;
            Assert.Equal(Math.ScaleB((double)(w >> 11), -53), Philox.Uniform(key, k));
            Assert.Equal((float)Math.ScaleB((double)(w >> 40), -24), Philox.UniformF32(key, k));

            var (rlo, rhi) = W((ulong)k / 128, 2);
            int c = (int)(k % 128);
            ulong bit = c < 64 ? (rlo >> c) & 1 : (rhi >> (c - 64)) & 1;
            Assert.Equal(bit == 1 ? 1.0 : -1.0, Philox.Rademacher(key, k));
        }
    }

    [Fact]
    public void Float32MapsAreTheDocumentedRoundings()
    {
        const ulong key = 99;
        for (long k = 0; k < 5000; k++)
        {
            Assert.Equal((float)Philox.Normal(key, k), Philox.ValueF32(RandomKind.Normal, key, k));
            float u = Philox.UniformF32(key, k);
            Assert.True(u >= 0f && u < 1f, $"float32 uniform {u} outside [0, 1)");
            Assert.Equal(u, MathF.Floor(u * 16777216f) / 16777216f); // a multiple of 2⁻²⁴
            Assert.True(u <= Philox.Uniform(key, k) && Philox.Uniform(key, k) - u < 1.0 / (1 << 24), "float32 uniform is the float64 one rounded toward zero to 24 bits");
            Assert.Equal((float)Philox.Rademacher(key, k), Philox.ValueF32(RandomKind.Rademacher, key, k));
        }
    }

    public static TheoryData<RandomKind, long, int> FillCases()
    {
        var d = new TheoryData<RandomKind, long, int>();
        foreach (var kind in Enum.GetValues<RandomKind>())
            foreach (var (first, n) in new (long, int)[] { (0, 0), (0, 1), (1, 1), (0, 1000), (1, 999), (127, 300), (5, 2), ((1L << 33) - 7, 40), ((1L << 40) + 3, 257), (long.MaxValue - 100, 101) })
                d.Add(kind, first, n);
        return d;
    }

    [Theory]
    [MemberData(nameof(FillCases))]
    public void FillsMatchSingleElementsBitForBit(RandomKind kind, long first, int n)
    {
        // Includes odd starts (a Box–Muller pair split at the edge), a start inside a Rademacher block,
        // pairs whose index crosses 2³² (counter word 1 changes) and the last elements below 2⁶³.
        const ulong key = 0xFEEDFACECAFEBEEFUL;
        var d = new double[n];
        var f = new float[n];
        Philox.Fill(kind, key, first, d);
        Philox.Fill(kind, key, first, f);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(BitConverter.DoubleToInt64Bits(Philox.Value(kind, key, first + i)), BitConverter.DoubleToInt64Bits(d[i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(Philox.ValueF32(kind, key, first + i)), BitConverter.SingleToInt32Bits(f[i]));
        }
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("managed1")]
    [RequiresInlineData(Part.OpenBlas, "openblas")]
    public void CpuBackendsMatchTheReferenceOracleBitForBit(string backend)
    {
        var b = Backends.Get(backend);
        // 301×331 = 99,631 elements: four parallel chunks, the last one partial and odd-sized.
        foreach (var (m, n) in new[] { (0, 3), (1, 1), (7, 5), (301, 331) })
            foreach (var dt in new[] { DType.F64, DType.F32 })
                foreach (var kind in Enum.GetValues<RandomKind>())
                    foreach (long first in new long[] { 0, 12_345 })
                    {
                        var expected = Matrix.Zeros(m, n, dt);
                        Backends.Reference.FillRandom(kind, 77, first, expected);
                        var actual = Matrix.Zeros(m, n, dt);
                        b.FillRandom(kind, 77, first, actual);
                        Assert.True(Backends.BitEqual(expected, actual), $"{backend} {kind} {dt} {m}×{n} first {first} differs from the reference");
                    }
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        var one = new ManagedCpuBackend(threads: 1);
        var results = new List<Matrix>();
        foreach (int threads in new[] { 1, 2, 3, 8 })
        {
            var m = Matrix.Zeros(1000, 250, DType.F64); // 8 chunks
            new ManagedCpuBackend(threads).FillRandom(RandomKind.Normal, 5, 0, m);
            results.Add(m);
        }
        var again = Matrix.Zeros(1000, 250, DType.F64);
        one.FillRandom(RandomKind.Normal, 5, 0, again);
        results.Add(again);
        foreach (var r in results) Assert.True(Backends.BitEqual(results[0], r));
        // A different key gives a different matrix.
        var other = Matrix.Zeros(1000, 250, DType.F64);
        one.FillRandom(RandomKind.Normal, 6, 0, other);
        Assert.False(Backends.BitEqual(results[0], other));
    }

    [Fact]
    public void KindsUnderOneKeyAreDifferentStreams()
    {
        // The kind is a domain tag in counter word 2: a uniform and a normal under one key do not share blocks.
        for (long k = 0; k < 64; k += 2)
        {
            var (lo, _) = Philox.Words(3, (ulong)k / 2, RandomKind.Normal);
            Assert.NotEqual(Math.ScaleB((double)(lo >> 11), -53), Philox.Uniform(3, k));
        }
    }

    [Fact]
    public void BadArgumentsAreRejectedWithTheirNames()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Philox.Normal(1, -1));
        Assert.Equal("k", e.ParamName);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Philox.Fill(RandomKind.Normal, 1, -2, new double[3]));
        Assert.Equal("first", e.ParamName);
        Assert.Contains("-2", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Philox.Fill(RandomKind.Uniform, 1, long.MaxValue - 1, new double[3]));
        Assert.Contains("2⁶³", e.Message);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => Philox.Fill((RandomKind)9, 1, 0, new float[3]));
        Assert.Equal("kind", e.ParamName);
        Assert.Contains("Rademacher", e.Message);
        foreach (var b in new IBackend[] { Backends.Reference, Backends.Get("managed") })
            Assert.Throws<ArgumentOutOfRangeException>(() => b.FillRandom(RandomKind.Normal, 1, -1, Matrix.Zeros(2, 2)));
    }
}
