using Reproduce.Compute;
using static Reproduce.Tests.Compute.Backends;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Compute;

public class BlasTests
{
    /// <summary>The managed backend (all threads, one thread) × element types: rows that always run.</summary>
    public static TheoryData<string, DType> BackendsAndTypes() => Rows("managed", "managed1");

    /// <summary>The OpenBLAS backend × element types: rows skipped with the install command without OpenBLAS.</summary>
    public static TheoryData<string, DType> OpenBlasAndTypes() => Rows("openblas");

    private static TheoryData<string, DType> Rows(params string[] backends)
    {
        var d = new TheoryData<string, DType>();
        foreach (var b in backends)
            foreach (var t in new[] { DType.F64, DType.F32 }) d.Add(b, t);
        return d;
    }

    private static readonly (int M, int N, int K)[] GemmShapes =
    [
        (0, 3, 4), (3, 0, 4), (3, 4, 0), (1, 1, 1), (2, 3, 1), (17, 1, 9), (1, 13, 8), (37, 29, 41),
        (301, 7, 5), (5, 7, 301), (7, 300, 9), (150, 157, 270), (290, 101, 33),
    ];

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void GemmMatchesReference(string backend, DType dtype)
    {
        var be = Get(backend);
        var rng = new Rng(100);
        foreach (var (m, n, k) in GemmShapes)
            foreach (var ta in new[] { false, true })
                foreach (var tb in new[] { false, true })
                    foreach (var beta in new[] { 0.0, -0.7 })
                    {
                        var a = ta ? Random(k, m, dtype, rng) : Random(m, k, dtype, rng);
                        var b = tb ? Random(n, k, dtype, rng) : Random(k, n, dtype, rng);
                        var c0 = Random(m, n, dtype, rng);
                        if (beta == 0 && m * n > 0) c0[0, 0] = double.NaN; // β = 0 must overwrite, not multiply
                        var expected = c0.Copy(); var actual = c0.Copy();
                        Reference.Gemm(a, ta, b, tb, expected, 1.3, beta);
                        be.Gemm(a, ta, b, tb, actual, 1.3, beta);
                        Close(expected, actual, Tol(dtype, k), $"{backend} gemm {m}×{n}×{k} tA={ta} tB={tb} β={beta}");
                    }
    }

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void SyrkMatchesReferenceAndIsSymmetric(string backend, DType dtype)
    {
        var be = Get(backend);
        var rng = new Rng(101);
        foreach (var (rows, cols) in new[] { (0, 4), (4, 0), (1, 1), (9, 3), (3, 9), (400, 37), (60, 290), (300, 300) })
            foreach (var trans in new[] { true, false })
            {
                var a = Random(rows, cols, dtype, rng);
                int n = trans ? cols : rows, k = trans ? rows : cols;
                var expected = Matrix.Zeros(n, n, dtype); var actual = Matrix.Zeros(n, n, dtype);
                Reference.Syrk(a, trans, expected, 0.5, 0);
                be.Syrk(a, trans, actual, 0.5, 0);
                Close(expected, actual, Tol(dtype, k), $"{backend} syrk {rows}×{cols} trans={trans}");
                for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) Assert.Equal(actual[i, j], actual[j, i]);
            }
    }

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void GemvMatchesReference(string backend, DType dtype)
    {
        var be = Get(backend);
        var rng = new Rng(102);
        foreach (var (m, n) in new[] { (0, 3), (3, 0), (1, 1), (50, 7), (7, 50), (3000, 40) })
            foreach (var trans in new[] { false, true })
                foreach (var beta in new[] { 0.0, 2.0 })
                {
                    var a = Random(m, n, dtype, rng);
                    var x = Random(trans ? m : n, 1, dtype, rng);
                    var y0 = Random(trans ? n : m, 1, dtype, rng);
                    var e = y0.Copy(); var g = y0.Copy();
                    Reference.Gemv(a, trans, x, e, -0.9, beta);
                    be.Gemv(a, trans, x, g, -0.9, beta);
                    Close(e, g, Tol(dtype, m + n), $"{backend} gemv {m}×{n} trans={trans}");
                }
    }

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void MatMulThroughOpsOnVectorsAndEmpties(string backend, DType dtype)
    {
        var be = Get(backend);
        var rng = new Rng(103);
        var a = Random(40, 30, dtype, rng);
        var x = Random(30, 1, dtype, rng);
        var e = Matrix.Zeros(40, 1, dtype); var g = Matrix.Zeros(40, 1, dtype);
        Reference.Gemm(a, false, x, false, e, 1, 0);
        be.Gemm(a, false, x, false, g, 1, 0);
        Close(e, g, Tol(dtype, 30), "matrix × vector through gemm");
        // xᵀ as 1×30, transposed back.
        var xt = Reference.Transpose(x);
        be.Gemm(a, false, xt, true, g, 1, 0);
        Close(e, g, Tol(dtype, 30), "matrix × (1×k)ᵀ through gemm");
    }

    [Fact]
    public void ManagedGemmIsBitIdenticalForAnyThreadCount()
    {
        var rng = new Rng(104);
        foreach (var dtype in new[] { DType.F64, DType.F32 })
        {
            var a = Random(517, 389, dtype, rng);
            var b = Random(389, 611, dtype, rng);
            Matrix Run(int threads)
            {
                var c = Matrix.Zeros(517, 611, dtype);
                new ManagedCpuBackend(threads).Gemm(a, false, b, false, c, 1, 0);
                return c;
            }
            var one = Run(1);
            Assert.True(BitEqual(one, Run(2)), $"{dtype}: 1 vs 2 threads differ");
            Assert.True(BitEqual(one, Run(7)), $"{dtype}: 1 vs 7 threads differ");
            Assert.True(BitEqual(one, Run(0)), $"{dtype}: 1 vs all threads differ");

            var g1 = Matrix.Zeros(389, 389, dtype); var g7 = Matrix.Zeros(389, 389, dtype);
            new ManagedCpuBackend(1).Syrk(a, true, g1, 1, 0);
            new ManagedCpuBackend(7).Syrk(a, true, g7, 1, 0);
            Assert.True(BitEqual(g1, g7), $"{dtype}: syrk differs across thread counts");
        }
    }

    [RequiresFact(Part.OpenBlas)]
    public void ManagedAgreesWithOpenBlasOnALargeProduct()
    {
        var rng = new Rng(105);
        var a = Random(700, 513, DType.F64, rng);
        var b = Random(600, 513, DType.F64, rng);
        var m = Matrix.Zeros(700, 600); var o = Matrix.Zeros(700, 600);
        Get("managed").Gemm(a, false, b, true, m, 1, 0);
        Get("openblas").Gemm(a, false, b, true, o, 1, 0);
        Close(o, m, 1e-13 * 513, "managed vs openblas gemm");
        var a32 = a.AsType(DType.F32); var b32 = b.AsType(DType.F32);
        var m32 = Matrix.Zeros(700, 600, DType.F32); var o32 = Matrix.Zeros(700, 600, DType.F32);
        Get("managed").Gemm(a32, false, b32, true, m32, 1, 0);
        Get("openblas").Gemm(a32, false, b32, true, o32, 1, 0);
        Close(o32, m32, 1e-6 * 513, "managed vs openblas sgemm");
    }

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void AxpyAndDot(string backend, DType dtype)
    {
        var be = Get(backend);
        var rng = new Rng(106);
        foreach (var (m, n) in new[] { (0, 0), (1, 1), (33, 5) })
        {
            var x = Random(m, n, dtype, rng); var y = Random(m, n, dtype, rng);
            var e = y.Copy(); var g = y.Copy();
            Reference.Axpy(-1.5, x, e); be.Axpy(-1.5, x, g);
            Close(e, g, Tol(dtype), "axpy");
            Assert.Equal(Reference.Dot(x, y), be.Dot(x, y), Tol(dtype, m * n) * Math.Max(1, m * n));
        }
    }
}
