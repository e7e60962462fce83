using Reproduce.Compute;
using static Reproduce.Tests.Compute.Backends;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Compute;

public class ElementwiseAndReductionTests
{
    public static TheoryData<string, DType> BackendsAndTypes() => BlasTests.BackendsAndTypes();
    public static TheoryData<string, DType> OpenBlasAndTypes() => BlasTests.OpenBlasAndTypes();

    private static readonly (int, int)[] Shapes = [(0, 4), (4, 0), (1, 1), (7, 3), (3, 70), (513, 9)];

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void EveryUnaryOpMatchesReference(string backend, DType dtype)
    {
        var be = Get(backend);
        var rng = new Rng(200);
        foreach (var op in Enum.GetValues<UnaryOp>())
            foreach (var (m, n) in Shapes)
            {
                var x = Random(m, n, dtype, rng);
                // Log, Sqrt, Pow need positive inputs; Log1p needs x > −1.
                if (op is UnaryOp.Log or UnaryOp.Sqrt or UnaryOp.Pow or UnaryOp.Log1p) x = Reference.Transpose(Reference.Transpose(x)).Let(v => { Reference.Map(UnaryOp.Abs, v, v); return v; });
                var e = Matrix.Zeros(m, n, dtype); var g = Matrix.Zeros(m, n, dtype);
                Reference.Map(op, x, e, 0.3, 1.2);
                be.Map(op, x, g, 0.3, 1.2);
                Close(e, g, dtype == DType.F64 ? 1e-14 : 1e-6, $"{backend} {op} {m}×{n}");
            }
    }

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void MapInPlaceWorks(string backend, DType dtype)
    {
        var be = Get(backend);
        var x = Random(10, 3, dtype, new Rng(201));
        var e = Matrix.Zeros(10, 3, dtype);
        Reference.Map(UnaryOp.Sigmoid, x, e);
        be.Map(UnaryOp.Sigmoid, x, x);
        Close(e, x, dtype == DType.F64 ? 1e-15 : 1e-7, "in-place sigmoid");
    }

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void EveryBinaryOpMatchesReference(string backend, DType dtype)
    {
        var be = Get(backend);
        var rng = new Rng(202);
        foreach (var op in Enum.GetValues<BinaryOp>())
            foreach (var (m, n) in Shapes)
            {
                var x = Random(m, n, dtype, rng); var y = Random(m, n, dtype, rng);
                var e = Matrix.Zeros(m, n, dtype); var g = Matrix.Zeros(m, n, dtype);
                Reference.Zip(op, x, y, e);
                be.Zip(op, x, y, g);
                // Div by a normal sample can be large; compare relatively per entry.
                var ea = e.ToArray(); var ga = g.ToArray();
                for (int i = 0; i < ea.Length; i++)
                    Assert.True(Math.Abs(ea[i] - ga[i]) <= (dtype == DType.F64 ? 1e-15 : 1e-6) * Math.Max(1, Math.Abs(ea[i])), $"{backend} {op}: {ea[i]} vs {ga[i]}");
            }
    }

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void ReductionsMatchReference(string backend, DType dtype)
    {
        var be = Get(backend);
        var rng = new Rng(203);
        foreach (var (m, n) in Shapes)
        {
            var x = Random(m, n, dtype, rng);
            double tol = dtype == DType.F64 ? 1e-12 : 1e-5;
            Assert.Equal(Reference.Sum(x), be.Sum(x), tol * Math.Max(1, m * n));
            foreach (var kind in Enum.GetValues<NormKind>())
                Assert.Equal(Reference.Norm(x, kind), be.Norm(x, kind), tol * Math.Max(1, m * n));
            Close(Reference.RowNorms(x), be.RowNorms(x), tol, "row norms");
            Close(Reference.ColumnNorms(x), be.ColumnNorms(x), tol, "column norms");
            Close(Reference.RowSums(x), be.RowSums(x), tol, "row sums");
            Close(Reference.ColumnSums(x), be.ColumnSums(x), tol, "column sums");
            Assert.Equal(dtype, be.RowSums(x).DType);
            Assert.Equal(Reference.ArgMaxPerRow(x), be.ArgMaxPerRow(x));
            Assert.Equal(Reference.ArgMinPerRow(x), be.ArgMinPerRow(x));
        }
    }

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void ArgMaxTakesTheFirstOfTies(string backend, DType dtype)
    {
        var be = Get(backend);
        var x = Matrix.FromArray(new double[,] { { 1, 3, 3 }, { 2, 2, 2 }, { -1, -5, -5 } }).AsType(dtype);
        Assert.Equal([1, 0, 0], be.ArgMaxPerRow(x));
        Assert.Equal([0, 0, 1], be.ArgMinPerRow(x));
    }

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void GatherScaleTransposeMatchReference(string backend, DType dtype)
    {
        var be = Get(backend);
        var rng = new Rng(204);
        foreach (var (m, n) in Shapes)
        {
            var x = Random(m, n, dtype, rng);
            var ri = m == 0 ? Array.Empty<int>() : new[] { m - 1, 0, m / 2, 0 };
            var ci = n == 0 ? Array.Empty<int>() : new[] { n / 2, n - 1 };
            Assert.True(BitEqual(Reference.GatherRows(x, ri), be.GatherRows(x, ri)));
            Assert.True(BitEqual(Reference.GatherColumns(x, ci), be.GatherColumns(x, ci)));
            Assert.True(BitEqual(Reference.Transpose(x), be.Transpose(x)));
            var dr = Random(m, 1, dtype, rng); var dc = Random(n, 1, dtype, rng);
            var e = Matrix.Zeros(m, n, dtype); var g = Matrix.Zeros(m, n, dtype);
            Reference.ScaleRows(x, dr, e); be.ScaleRows(x, dr, g);
            Close(e, g, 1e-15, "scale rows");
            Reference.ScaleColumns(x, dc, e); be.ScaleColumns(x, dc, g);
            Close(e, g, 1e-15, "scale columns");
        }
    }

    [Theory, MemberData(nameof(BackendsAndTypes)), RequiresMemberData(Part.OpenBlas, nameof(OpenBlasAndTypes))]
    public void SpMMMatchesReference(string backend, DType dtype)
    {
        var be = Get(backend);
        var rng = new Rng(205);
        foreach (var (m, n) in new[] { (0, 3), (1, 1), (20, 13), (300, 50) })
        {
            var trip = new List<(int, int, double)>();
            for (int t = 0; t < m * n / 5 + 1 && m * n > 0; t++) trip.Add((rng.NextInt(m), rng.NextInt(n), rng.Normal()));
            var a = SparseMatrix.FromTriplets(m, n, trip);
            foreach (var trans in new[] { false, true })
                foreach (int cols in new[] { 1, 4 })
                {
                    var x = Random(trans ? m : n, cols, dtype, rng);
                    Close(Reference.SpMM(a, trans, x), be.SpMM(a, trans, x), Tol(dtype, 50), $"{backend} spmm {m}×{n} trans={trans}");
                }
        }
    }
}

internal static class LetExtension
{
    public static TOut Let<TIn, TOut>(this TIn x, Func<TIn, TOut> f) => f(x);
}
