namespace Reproduce.Compute.Cuda;

public sealed unsafe partial class CudaBackend
{
    /// <summary>Kernel op code for a unary op (see CudaKernelSource.unary_op).</summary>
    internal static int Code(UnaryOp op) => op switch
    {
        UnaryOp.Identity => 0, UnaryOp.Negate => 1, UnaryOp.Abs => 2, UnaryOp.Sign => 3, UnaryOp.Exp => 4,
        UnaryOp.Log => 5, UnaryOp.Log1p => 6, UnaryOp.Sigmoid => 7, UnaryOp.Sqrt => 8, UnaryOp.Square => 9,
        UnaryOp.Reciprocal => 10, UnaryOp.Scale => 11, UnaryOp.AddScalar => 12, UnaryOp.MaxScalar => 13,
        UnaryOp.MinScalar => 14, UnaryOp.Clamp => 15, UnaryOp.Pow => 16,
        _ => throw new NotSupportedException($"Unary op {op} has no CUDA kernel yet; add it to CudaKernelSource."),
    };

    /// <summary>Kernel op code for a binary op.</summary>
    internal static int Code(BinaryOp op) => op switch
    {
        BinaryOp.Add => 0, BinaryOp.Sub => 1, BinaryOp.Hadamard => 2, BinaryOp.Div => 3, BinaryOp.Max => 4, BinaryOp.Min => 5,
        _ => throw new NotSupportedException($"Binary op {op} has no CUDA kernel yet; add it to CudaKernelSource."),
    };

    /// <inheritdoc />
    public void Map(UnaryOp op, Matrix x, Matrix result, double a = 0, double b = 0)
    {
        long n = x.Length;
        if (n == 0) return;
        int code = Code(op);
        ulong px = P(x), py = P(result);
        void** args = stackalloc void*[6];
        args[0] = &code; args[1] = &n; args[2] = &px; args[3] = &py; args[4] = &a; args[5] = &b;
        Launch("map_" + Suffix(x), Blocks(n), args);
    }

    /// <inheritdoc />
    public void Zip(BinaryOp op, Matrix x, Matrix y, Matrix result)
    {
        long n = x.Length;
        if (n == 0) return;
        int code = Code(op);
        ulong px = P(x), py = P(y), pz = P(result);
        void** args = stackalloc void*[5];
        args[0] = &code; args[1] = &n; args[2] = &px; args[3] = &py; args[4] = &pz;
        Launch("zip_" + Suffix(x), Blocks(n), args);
    }

    /// <summary>Deterministic two-pass reduction: kind 0 sum, 1 Σ|x|, 2 Σx², 3 max|x|.</summary>
    private double Reduce(Matrix x, int kind)
    {
        long n = x.Length;
        if (n == 0) return 0;
        using var partial = _ctx.Pool.Allocate(8L * CudaKernelSource.ReduceBlocks);
        using var outBuf = _ctx.Pool.Allocate(8);
        ulong px = P(x), pp = partial.Ptr, po = outBuf.Ptr;
        void** args = stackalloc void*[4];
        args[0] = &kind; args[1] = &n; args[2] = &px; args[3] = &pp;
        Launch("reduce_partial_" + Suffix(x), CudaKernelSource.ReduceBlocks, args);
        int m = CudaKernelSource.ReduceBlocks;
        args[0] = &kind; args[1] = &m; args[2] = &pp; args[3] = &po;
        Launch("reduce_final", 1, args);
        double r;
        CuDriver.CopyDtoH(&r, po, 8);
        return r;
    }

    /// <inheritdoc />
    public double Sum(Matrix x) => Reduce(x, 0);

    /// <inheritdoc />
    public double Norm(Matrix x, NormKind kind) => kind switch
    {
        NormKind.L1 => Reduce(x, 1),
        NormKind.L2 => Math.Sqrt(Reduce(x, 2)),
        _ => Reduce(x, 3),
    };

    private Matrix RowReduce(Matrix x, int kind)
    {
        var r = Allocate(x.Rows, 1, x.DType);
        if (x.Rows == 0) return r;
        int rows = x.Rows, cols = x.Cols;
        ulong px = P(x), pr = P(r);
        void** args = stackalloc void*[5];
        args[0] = &kind; args[1] = &rows; args[2] = &cols; args[3] = &px; args[4] = &pr;
        Launch("row_reduce_" + Suffix(x), (uint)((rows + 255) / 256), args);
        return r;
    }

    private Matrix ColReduce(Matrix x, int kind)
    {
        var r = Allocate(x.Cols, 1, x.DType);
        if (x.Cols == 0) return r;
        int rows = x.Rows;
        ulong px = P(x), pr = P(r);
        void** args = stackalloc void*[4];
        args[0] = &kind; args[1] = &rows; args[2] = &px; args[3] = &pr;
        Launch("col_reduce_" + Suffix(x), (uint)x.Cols, args);
        return r;
    }

    /// <inheritdoc />
    public Matrix RowNorms(Matrix x) => RowReduce(x, 2);
    /// <inheritdoc />
    public Matrix ColumnNorms(Matrix x) => ColReduce(x, 2);
    /// <inheritdoc />
    public Matrix RowSums(Matrix x) => RowReduce(x, 0);
    /// <inheritdoc />
    public Matrix ColumnSums(Matrix x) => ColReduce(x, 0);

    private int[] ArgPerRow(Matrix x, int wantMax)
    {
        if (x.Rows == 0) return [];
        using var outBuf = _ctx.Pool.Allocate(4L * x.Rows);
        int rows = x.Rows, cols = x.Cols;
        ulong px = P(x), po = outBuf.Ptr;
        void** args = stackalloc void*[5];
        args[0] = &wantMax; args[1] = &rows; args[2] = &cols; args[3] = &px; args[4] = &po;
        Launch("arg_row_" + Suffix(x), (uint)((rows + 255) / 256), args);
        return DownloadInts(po, rows);
    }

    /// <inheritdoc />
    public int[] ArgMaxPerRow(Matrix x) => ArgPerRow(x, 1);
    /// <inheritdoc />
    public int[] ArgMinPerRow(Matrix x) => ArgPerRow(x, 0);

    /// <inheritdoc />
    public Matrix GatherRows(Matrix x, int[] idx)
    {
        var r = Uninitialised(idx.Length, x.Cols, x.DType);
        if (r.Length == 0) return r;
        using var di = UploadInts(idx);
        int rows = x.Rows, k = idx.Length, cols = x.Cols;
        ulong px = P(x), pi = di.Ptr, pr = P(r);
        void** args = stackalloc void*[6];
        args[0] = &rows; args[1] = &k; args[2] = &cols; args[3] = &px; args[4] = &pi; args[5] = &pr;
        Launch("gather_rows_" + Suffix(x), Blocks(r.Length), args);
        return r;
    }

    /// <inheritdoc />
    public Matrix GatherColumns(Matrix x, int[] idx)
    {
        var r = Uninitialised(x.Rows, idx.Length, x.DType);
        if (r.Length == 0) return r;
        using var di = UploadInts(idx);
        int rows = x.Rows, k = idx.Length;
        ulong px = P(x), pi = di.Ptr, pr = P(r);
        void** args = stackalloc void*[5];
        args[0] = &rows; args[1] = &k; args[2] = &px; args[3] = &pi; args[4] = &pr;
        Launch("gather_cols_" + Suffix(x), Blocks(r.Length), args);
        return r;
    }

    private void Scale(Matrix x, Matrix d, Matrix result, int byRow)
    {
        if (x.Length == 0) return;
        int rows = x.Rows, cols = x.Cols;
        ulong px = P(x), pd = P(d), pr = P(result);
        void** args = stackalloc void*[6];
        args[0] = &byRow; args[1] = &rows; args[2] = &cols; args[3] = &px; args[4] = &pd; args[5] = &pr;
        Launch("scale_" + Suffix(x), Blocks(x.Length), args);
    }

    /// <inheritdoc />
    public void ScaleRows(Matrix x, Matrix d, Matrix result) => Scale(x, d, result, 1);
    /// <inheritdoc />
    public void ScaleColumns(Matrix x, Matrix d, Matrix result) => Scale(x, d, result, 0);

    /// <inheritdoc />
    public Matrix Transpose(Matrix a)
    {
        var r = Uninitialised(a.Cols, a.Rows, a.DType);
        if (r.Length == 0) return r;
        _ctx.MakeCurrent();
        int m = a.Cols, n = a.Rows;
        if (a.DType == DType.F64)
        {
            double one = 1, zero = 0;
            CuBlas.Check(CuBlas.Dgeam(_ctx.Blas, CuBlas.OpT, CuBlas.OpN, m, n, &one, P(a), Ld(a.Rows), &zero, P(r), Ld(m), P(r), Ld(m)), "cublasDgeam");
        }
        else
        {
            float one = 1, zero = 0;
            CuBlas.Check(CuBlas.Sgeam(_ctx.Blas, CuBlas.OpT, CuBlas.OpN, m, n, &one, P(a), Ld(a.Rows), &zero, P(r), Ld(m), P(r), Ld(m)), "cublasSgeam");
        }
        return r;
    }

    /// <summary>The lower (or upper) triangle of the leading n×n block of a (leading dimension a.Rows), zero elsewhere.</summary>
    private Matrix Triangle(Matrix a, int n, bool lower)
    {
        var r = Uninitialised(n, n, a.DType);
        if (n == 0) return r;
        int lo = lower ? 1 : 0, m = a.Rows;
        ulong pa = P(a), pr = P(r);
        void** args = stackalloc void*[5];
        args[0] = &lo; args[1] = &m; args[2] = &n; args[3] = &pa; args[4] = &pr;
        Launch("triangle_" + Suffix(a), Blocks((long)n * n), args);
        return r;
    }
}
