namespace Reproduce.Compute;

/// <summary>The front door to compute: checks shapes, element types and devices, allocates the
/// result on the operands' device and calls that device's backend. Algorithms call these, so the
/// same code runs on CPU and GPU.</summary>
public static partial class Ops
{
    /// <summary>op(A)·op(B) as a new matrix.</summary>
    public static Matrix MatMul(Matrix a, Matrix b, bool transA = false, bool transB = false)
    {
        Same("MatMul", a, b);
        int m = transA ? a.Cols : a.Rows, k = transA ? a.Rows : a.Cols;
        int k2 = transB ? b.Cols : b.Rows, n = transB ? b.Rows : b.Cols;
        if (k != k2) throw Shape("MatMul", $"op(A) is {m}×{k} (A {a.Rows}×{a.Cols}{(transA ? "ᵀ" : "")}) but op(B) is {k2}×{n} (B {b.Rows}×{b.Cols}{(transB ? "ᵀ" : "")}): inner sizes differ");
        var c = Matrix.Uninitialized(m, n, a.DType, a.Device); // β = 0 overwrites every element
        a.Backend.Gemm(a, transA, b, transB, c, 1, 0);
        return c;
    }

    /// <summary>C ← α·op(A)·op(B) + β·C in place.</summary>
    public static void Gemm(Matrix a, bool transA, Matrix b, bool transB, Matrix c, double alpha = 1, double beta = 0)
    {
        Same("Gemm", a, b); Same("Gemm", a, c);
        int m = transA ? a.Cols : a.Rows, k = transA ? a.Rows : a.Cols;
        int k2 = transB ? b.Cols : b.Rows, n = transB ? b.Rows : b.Cols;
        if (k != k2 || c.Rows != m || c.Cols != n) throw Shape("Gemm", $"op(A) {m}×{k}, op(B) {k2}×{n}, C {c.Rows}×{c.Cols}");
        a.Backend.Gemm(a, transA, b, transB, c, alpha, beta);
    }

    /// <summary>The Gram matrix AᵀA (n×n), or AAᵀ when <paramref name="outer"/> is true.</summary>
    public static Matrix Gram(Matrix a, bool outer = false)
    {
        int n = outer ? a.Rows : a.Cols;
        var c = Matrix.Zeros(n, n, a.DType, a.Device);
        a.Backend.Syrk(a, !outer, c, 1, 0);
        return c;
    }

    /// <summary>op(A)·x for a vector x (n×1).</summary>
    public static Matrix MatVec(Matrix a, Matrix x, bool trans = false)
    {
        Same("MatVec", a, x);
        int rows = trans ? a.Cols : a.Rows, inner = trans ? a.Rows : a.Cols;
        if (x.Cols != 1 || x.Rows != inner) throw Shape("MatVec", $"op(A) is {rows}×{inner} but x is {x.Rows}×{x.Cols} (need {inner}×1)");
        var y = Matrix.Zeros(rows, 1, a.DType, a.Device);
        a.Backend.Gemv(a, trans, x, y, 1, 0);
        return y;
    }

    /// <summary>y ← α·x + y in place.</summary>
    public static void Axpy(double alpha, Matrix x, Matrix y) { SameShape("Axpy", x, y); x.Backend.Axpy(alpha, x, y); }

    /// <summary>Σ x∘y.</summary>
    public static double Dot(Matrix x, Matrix y) { SameShape("Dot", x, y); return x.Backend.Dot(x, y); }

    /// <summary>f(x) entrywise as a new matrix.</summary>
    public static Matrix Map(UnaryOp op, Matrix x, double a = 0, double b = 0)
    {
        var r = Matrix.Zeros(x.Rows, x.Cols, x.DType, x.Device);
        x.Backend.Map(op, x, r, a, b);
        return r;
    }

    /// <summary>f(x) entrywise in place.</summary>
    public static Matrix MapInPlace(UnaryOp op, Matrix x, double a = 0, double b = 0) { x.Backend.Map(op, x, x, a, b); return x; }

    /// <summary>f(x, y) entrywise as a new matrix.</summary>
    public static Matrix Zip(BinaryOp op, Matrix x, Matrix y)
    {
        SameShape(op.ToString(), x, y);
        var r = Matrix.Zeros(x.Rows, x.Cols, x.DType, x.Device);
        x.Backend.Zip(op, x, y, r);
        return r;
    }

    /// <summary>x + y.</summary>
    public static Matrix Add(Matrix x, Matrix y) => Zip(BinaryOp.Add, x, y);
    /// <summary>x − y.</summary>
    public static Matrix Sub(Matrix x, Matrix y) => Zip(BinaryOp.Sub, x, y);
    /// <summary>x ∘ y.</summary>
    public static Matrix Hadamard(Matrix x, Matrix y) => Zip(BinaryOp.Hadamard, x, y);
    /// <summary>α·x.</summary>
    public static Matrix Scale(Matrix x, double alpha) => Map(UnaryOp.Scale, x, alpha);

    /// <summary>Σ entries.</summary>
    public static double Sum(Matrix x) => x.Backend.Sum(x);
    /// <summary>Entrywise norm (default Frobenius).</summary>
    public static double Norm(Matrix x, NormKind kind = NormKind.L2) => x.Backend.Norm(x, kind);
    /// <summary>Row Euclidean norms (m×1).</summary>
    public static Matrix RowNorms(Matrix x) => x.Backend.RowNorms(x);
    /// <summary>Column Euclidean norms (n×1).</summary>
    public static Matrix ColumnNorms(Matrix x) => x.Backend.ColumnNorms(x);
    /// <summary>Row sums (m×1).</summary>
    public static Matrix RowSums(Matrix x) => x.Backend.RowSums(x);
    /// <summary>Column sums (n×1).</summary>
    public static Matrix ColumnSums(Matrix x) => x.Backend.ColumnSums(x);
    /// <summary>Per-row argmax.</summary>
    public static int[] ArgMaxPerRow(Matrix x) => x.Backend.ArgMaxPerRow(x);
    /// <summary>Per-row argmin.</summary>
    public static int[] ArgMinPerRow(Matrix x) => x.Backend.ArgMinPerRow(x);

    /// <summary>Selected rows.</summary>
    public static Matrix GatherRows(Matrix x, int[] idx)
    {
        foreach (var i in idx) if ((uint)i >= (uint)x.Rows) throw new ArgumentOutOfRangeException(nameof(idx), $"GatherRows: row index {i} is outside 0..{x.Rows - 1} of a {x.ShapeText} matrix.");
        return x.Backend.GatherRows(x, idx);
    }

    /// <summary>Selected columns.</summary>
    public static Matrix GatherColumns(Matrix x, int[] idx)
    {
        foreach (var j in idx) if ((uint)j >= (uint)x.Cols) throw new ArgumentOutOfRangeException(nameof(idx), $"GatherColumns: column index {j} is outside 0..{x.Cols - 1} of a {x.ShapeText} matrix.");
        return x.Backend.GatherColumns(x, idx);
    }

    /// <summary>diag(d)·x as a new matrix.</summary>
    public static Matrix ScaleRows(Matrix d, Matrix x)
    {
        Same("ScaleRows", x, d);
        if (d.Cols != 1 || d.Rows != x.Rows) throw Shape("ScaleRows", $"d is {d.Rows}×{d.Cols} but x has {x.Rows} rows (need {x.Rows}×1)");
        var r = Matrix.Zeros(x.Rows, x.Cols, x.DType, x.Device);
        x.Backend.ScaleRows(x, d, r);
        return r;
    }

    /// <summary>x·diag(d) as a new matrix.</summary>
    public static Matrix ScaleColumns(Matrix x, Matrix d)
    {
        Same("ScaleColumns", x, d);
        if (d.Cols != 1 || d.Rows != x.Cols) throw Shape("ScaleColumns", $"d is {d.Rows}×{d.Cols} but x has {x.Cols} columns (need {x.Cols}×1)");
        var r = Matrix.Zeros(x.Rows, x.Cols, x.DType, x.Device);
        x.Backend.ScaleColumns(x, d, r);
        return r;
    }

    /// <summary>Aᵀ.</summary>
    public static Matrix Transpose(Matrix a) => a.Backend.Transpose(a);

    /// <summary>L with A = LLᵀ.</summary>
    public static Matrix Cholesky(Matrix a) { Square("Cholesky", a); CheckFinite("Cholesky", a); return a.Backend.Cholesky(a); }

    /// <summary>Solves op(T)X = B.</summary>
    public static Matrix TriangularSolve(Matrix t, Matrix b, bool lower, bool transpose = false)
    {
        Same("TriangularSolve", t, b); Square("TriangularSolve", t);
        if (b.Rows != t.Rows) throw Shape("TriangularSolve", $"T is {t.Rows}×{t.Cols} but B has {b.Rows} rows");
        return t.Backend.TriangularSolve(t, b, lower, transpose);
    }

    /// <summary>Solves A X = B for symmetric positive definite A via Cholesky.</summary>
    public static Matrix CholeskySolve(Matrix a, Matrix b)
    {
        var l = Cholesky(a);
        var y = TriangularSolve(l, b, lower: true);
        return TriangularSolve(l, y, lower: true, transpose: true);
    }

    /// <summary>Thin QR (m ≥ n).</summary>
    public static (Matrix Q, Matrix R) Qr(Matrix a)
    {
        if (a.Rows < a.Cols) throw Shape("Qr", $"A is {a.Rows}×{a.Cols}; thin QR needs rows ≥ columns (factor Aᵀ instead)");
        CheckFinite("Qr", a);
        return a.Backend.Qr(a);
    }

    /// <summary>Symmetric eigen-decomposition, ascending values.</summary>
    public static (Matrix Values, Matrix Vectors) SymmetricEigen(Matrix a) { Square("SymmetricEigen", a); CheckFinite("SymmetricEigen", a); return a.Backend.SymmetricEigen(a); }

    /// <summary>Thin SVD, descending singular values.</summary>
    public static (Matrix U, Matrix S, Matrix V) Svd(Matrix a) { CheckFinite("Svd", a); return a.Backend.Svd(a); }

    /// <summary>op(A)·x for sparse A.</summary>
    public static Matrix SpMM(SparseMatrix a, Matrix x, bool trans = false)
    {
        int inner = trans ? a.Rows : a.Cols;
        if (x.Rows != inner) throw Shape("SpMM", $"op(A) has {inner} columns (A {a.Rows}×{a.Cols}{(trans ? "ᵀ" : "")}) but x has {x.Rows} rows");
        return x.Backend.SpMM(a, trans, x);
    }

    /// <summary>Throws when any entry is NaN or ±Inf (CPU matrices; device matrices are checked by the backend's Sum).</summary>
    public static void CheckFinite(string where, Matrix a)
    {
        if (a.Device.Kind != DeviceKind.Cpu)
        {
            if (!double.IsFinite(a.Backend.Sum(Map(UnaryOp.Abs, a)))) throw new ArgumentException($"{where}: the {a.ShapeText} input has NaN or infinite entries.");
            return;
        }
        long bad = a.DType == DType.F64 ? FirstNonFinite(a.Span) : FirstNonFinite(a.SpanF32);
        if (bad >= 0)
        {
            int i = (int)(bad % a.Rows), j = (int)(bad / a.Rows);
            throw new ArgumentException($"{where}: entry ({i}, {j}) of the {a.ShapeText} input is {a[i, j]}; inputs must be finite.");
        }
    }

    /// <summary>Index of the first NaN/±Inf entry, or −1 (x − x is NaN exactly for those).</summary>
    private static long FirstNonFinite<T>(ReadOnlySpan<T> x) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            int w = System.Numerics.Vector<T>.Count;
            var vecs = System.Runtime.InteropServices.MemoryMarshal.Cast<T, System.Numerics.Vector<T>>(x);
            for (int v = 0; v < vecs.Length; v++)
            {
                var d = vecs[v] - vecs[v];
                if (!System.Numerics.Vector.EqualsAll(d, d)) { i = v * w; break; }
                i = (v + 1) * w;
            }
        }
        for (; i < x.Length; i++) if (!T.IsFinite(x[i])) return i;
        return -1;
    }

    private static void Same(string op, Matrix a, Matrix b)
    {
        if (!ReferenceEquals(a.Device, b.Device))
            throw new ComputeException($"{op}: operands are on different devices ({a.Device.Name} and {b.Device.Name}). Move one explicitly, e.g. b.To(a.Device).");
        if (a.DType != b.DType)
            throw new ComputeException($"{op}: operands have different element types ({a.DType} and {b.DType}). Convert one with AsType(DType.{a.DType}).");
    }

    private static void SameShape(string op, Matrix a, Matrix b)
    {
        Same(op, a, b);
        if (a.Rows != b.Rows || a.Cols != b.Cols) throw Shape(op, $"shapes {a.Rows}×{a.Cols} and {b.Rows}×{b.Cols} differ");
    }

    private static void Square(string op, Matrix a)
    {
        if (a.Rows != a.Cols) throw Shape(op, $"A is {a.Rows}×{a.Cols} but must be square");
    }

    private static ArgumentException Shape(string op, string detail) => new($"{op}: {detail}.");
}
