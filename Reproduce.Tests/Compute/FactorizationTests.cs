using Reproduce.Compute;
using static Reproduce.Tests.Compute.Backends;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Compute;

public class FactorizationTests
{
    public static TheoryData<string, DType> BackendsAndTypes() => BlasTests.BackendsAndTypes();
    public static TheoryData<string, DType> OpenBlasAndTypes() => BlasTests.OpenBlasAndTypes();

    private static Matrix Spd(int n, DType dtype, Rng rng)
    {
        var g = rng.NormalMatrix(n, n);
        var a = Matrix.Zeros(n, n);
        Reference.Syrk(g, true, a, 1, 0);
        for (int i = 0; i < n; i++) a[i, i] += n;
        return dtype == DType.F64 ? a : a.AsType(DType.F32);
    }

    private static double FTol(DType dtype) => dtype == DType.F64 ? 1e-10 : 2e-3;

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void CholeskyMatchesReference(string backend, DType dtype)
    {
        var be = Get(backend);
        var rng = new Rng(300);
        foreach (int n in new[] { 0, 1, 5, 130, 300 })
        {
            var a = Spd(n, dtype, rng);
            var l = be.Cholesky(a);
            Close(Reference.Cholesky(a), l, FTol(dtype), $"{backend} cholesky {n}");
            for (int j = 0; j < n; j++) for (int i = 0; i < j; i++) Assert.Equal(0, l[i, j]);
        }
    }

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void NonPositiveDefiniteCholeskyNamesThePivot(string backend, DType dtype)
    {
        var be = Get(backend);
        // Leading 2×2 block is PD; the third Schur pivot is 1 − 4 = −3.
        var a = Matrix.FromArray(new double[,] { { 4, 0, 4, 0 }, { 0, 1, 0, 0 }, { 4, 0, 5 - 4, 0 }, { 0, 0, 0, 1 } }).AsType(dtype);
        var ex = Assert.Throws<NotPositiveDefiniteException>(() => be.Cholesky(a));
        Assert.Equal(2, ex.Pivot);
        Assert.Equal(-3, ex.Value, 5);
        Assert.Contains("pivot 2", ex.Message);
        // A failure deep inside a blocked factorization (pivot 200 of 300).
        var big = Spd(300, dtype, new Rng(301));
        for (int j = 0; j < 300; j++) { big[200, j] = 0; big[j, 200] = 0; }
        big[200, 200] = -1;
        Assert.Equal(200, Assert.Throws<NotPositiveDefiniteException>(() => be.Cholesky(big)).Pivot);
    }

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void TriangularSolveAllFourCases(string backend, DType dtype)
    {
        var be = Get(backend);
        var rng = new Rng(302);
        foreach (int n in new[] { 0, 1, 9, 150 })
        {
            var l = Reference.Cholesky(Spd(n, DType.F64, rng));
            var t = dtype == DType.F64 ? l : l.AsType(dtype);
            var u = Reference.Transpose(t);
            foreach (int r in new[] { 1, 5 })
            {
                var b = Random(n, r, dtype, rng);
                foreach (var lower in new[] { true, false })
                    foreach (var trans in new[] { false, true })
                    {
                        var tri = lower ? t : u;
                        Close(Reference.TriangularSolve(tri, b, lower, trans), be.TriangularSolve(tri, b, lower, trans), FTol(dtype), $"{backend} trsm n={n} lower={lower} trans={trans}");
                    }
            }
        }
    }

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void QrIsOrthonormalTimesUpper(string backend, DType dtype)
    {
        var be = Get(backend);
        var rng = new Rng(303);
        foreach (var (m, n) in new[] { (1, 1), (6, 6), (50, 10), (300, 40), (5, 0) })
        {
            var a = Random(m, n, dtype, rng);
            var (q, r) = be.Qr(a);
            Assert.Equal((m, n), (q.Rows, q.Cols)); Assert.Equal((n, n), (r.Rows, r.Cols));
            var qr = Matrix.Zeros(m, n, dtype); Reference.Gemm(q, false, r, false, qr, 1, 0);
            Close(a, qr, FTol(dtype), $"{backend} QR = A {m}×{n}");
            var qtq = Matrix.Zeros(n, n, dtype); Reference.Gemm(q, true, q, false, qtq, 1, 0);
            Close(Matrix.Identity(n, dtype), qtq, FTol(dtype), "QᵀQ = I");
            for (int j = 0; j < n; j++) for (int i = j + 1; i < n; i++) Assert.Equal(0, r[i, j]);
        }
    }

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void SymmetricEigenMatchesReference(string backend, DType dtype)
    {
        var be = Get(backend);
        var rng = new Rng(304);
        foreach (int n in new[] { 0, 1, 4, 80 })
        {
            var g = Random(n, n, DType.F64, rng);
            var a = Matrix.Zeros(n, n); Reference.Zip(BinaryOp.Add, g, Reference.Transpose(g), a);
            var at = dtype == DType.F64 ? a : a.AsType(dtype);
            var (vals, vecs) = be.SymmetricEigen(at);
            var (rv, _) = Reference.SymmetricEigen(a);
            Close(rv, vals, FTol(dtype) * 10, $"{backend} eigenvalues {n}");
            for (int i = 1; i < n; i++) Assert.True(vals[i] >= vals[i - 1]);
            // A·V = V·Λ
            var av = Matrix.Zeros(n, n, dtype); Reference.Gemm(at, false, vecs, false, av, 1, 0);
            var vl = Matrix.Zeros(n, n, dtype); Reference.ScaleColumns(vecs, vals, vl);
            Close(av, vl, FTol(dtype) * 10, "A·V = V·Λ");
        }
    }

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void SvdMatchesReferenceAndReconstructs(string backend, DType dtype)
    {
        var be = Get(backend);
        var rng = new Rng(305);
        foreach (var (m, n) in new[] { (1, 1), (7, 7), (300, 40), (40, 300), (60, 35), (0, 3) })
        {
            var a = Random(m, n, dtype, rng);
            var (u, s, v) = be.Svd(a);
            int k = Math.Min(m, n);
            Assert.Equal((m, k), (u.Rows, u.Cols)); Assert.Equal((k, 1), (s.Rows, s.Cols)); Assert.Equal((n, k), (v.Rows, v.Cols));
            var (_, rs, _) = Reference.Svd(a);
            Close(rs, s, FTol(dtype), $"{backend} singular values {m}×{n}");
            for (int i = 1; i < k; i++) Assert.True(s[i] <= s[i - 1]);
            var us = Matrix.Zeros(m, k, dtype); Reference.ScaleColumns(u, s, us);
            var usv = Matrix.Zeros(m, n, dtype); Reference.Gemm(us, false, v, true, usv, 1, 0);
            Close(a, usv, FTol(dtype), $"{backend} U·S·Vᵀ = A {m}×{n}");
            var utu = Matrix.Zeros(k, k, dtype); Reference.Gemm(u, true, u, false, utu, 1, 0);
            Close(Matrix.Identity(k, dtype), utu, FTol(dtype), "UᵀU = I");
        }
    }

    [Fact]
    public void ManagedCholeskyIsBitIdenticalForAnyThreadCount()
    {
        var a = Spd(400, DType.F64, new Rng(306));
        Assert.True(BitEqual(new ManagedCpuBackend(1).Cholesky(a), new ManagedCpuBackend(5).Cholesky(a)));
    }
}
