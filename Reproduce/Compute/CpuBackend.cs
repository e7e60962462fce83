namespace Reproduce.Compute;

/// <summary>Base of the CPU backends: host memory, and vectorized managed code
/// (System.Numerics.Tensors) for everything that is not BLAS-3 or a factorization (elementwise
/// maps, reductions, gathers, GEMV, sparse products). The flavours
/// <see cref="ManagedCpuBackend"/> (own blocked SIMD GEMM + MathNet) and
/// <see cref="OpenBlasCpuBackend"/> (OpenBLAS + LAPACKE) override the dense kernels.
/// <see cref="CpuBackendSelector"/> picks one at run time.</summary>
public abstract class CpuBackend : IBackend
{
    /// <summary>Creates a CPU backend that uses up to <paramref name="threads"/> threads (0: all cores).</summary>
    protected CpuBackend(int threads)
    {
        if (threads < 0) throw new ArgumentOutOfRangeException(nameof(threads), threads, "Thread count must be ≥ 0 (0 means all cores).");
        Threads = threads == 0 ? Environment.ProcessorCount : threads;
    }

    /// <summary>Threads used by parallel kernels.</summary>
    public int Threads { get; }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract string Describe();

    // ---- memory: everything is host memory ----

    /// <inheritdoc />
    public Matrix Allocate(int rows, int cols, DType dtype) => Matrix.Zeros(rows, cols, dtype, Device.Cpu);
    /// <inheritdoc />
    public Matrix Upload(Matrix host) => host.Copy();
    /// <inheritdoc />
    public Matrix Download(Matrix m) => m.Copy();
    /// <inheritdoc />
    public Matrix Copy(Matrix m) => m.Copy();
    /// <inheritdoc />
    public Matrix Convert(Matrix m, DType dtype) => m.AsType(dtype);

    // ---- BLAS ----

    /// <inheritdoc />
    public void Gemm(Matrix a, bool transA, Matrix b, bool transB, Matrix c, double alpha, double beta)
    {
        int m = c.Rows, n = c.Cols, k = transA ? a.Rows : a.Cols;
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0) { ScaleInPlace(c, beta); return; }
        if (n == 1 && (b.Cols == 1 || b.Rows == 1))
        {
            // A matrix–vector product: GEMV avoids packing (b is a k-vector either way).
            Gemv(a, transA, b, c, alpha, beta);
            return;
        }
        GemmCore(a, transA, b, transB, c, alpha, beta);
    }

    /// <summary>GEMM with m, n, k ≥ 1 and α ≠ 0.</summary>
    protected abstract void GemmCore(Matrix a, bool transA, Matrix b, bool transB, Matrix c, double alpha, double beta);

    /// <inheritdoc />
    public void Syrk(Matrix a, bool trans, Matrix c, double alpha, double beta)
    {
        int n = c.Rows, k = trans ? a.Rows : a.Cols;
        if (n == 0) return;
        if (k == 0 || alpha == 0) { ScaleInPlace(c, beta); return; }
        SyrkLower(a, trans, c, alpha, beta);
        MirrorLower(c);
    }

    /// <summary>Computes at least the lower triangle of C ← α·op(A)ᵀop(A) + β·C (n, k ≥ 1).</summary>
    protected abstract void SyrkLower(Matrix a, bool trans, Matrix c, double alpha, double beta);

    /// <inheritdoc />
    public void Gemv(Matrix a, bool trans, Matrix x, Matrix y, double alpha, double beta)
    {
        int rows = trans ? a.Cols : a.Rows, inner = trans ? a.Rows : a.Cols;
        if (rows == 0) return;
        if (inner == 0 || alpha == 0) { ScaleInPlace(y, beta); return; }
        GemvCore(a, trans, x, y, alpha, beta);
    }

    /// <summary>GEMV with non-empty operands (x and y are vectors stored contiguously).</summary>
    protected virtual void GemvCore(Matrix a, bool trans, Matrix x, Matrix y, double alpha, double beta)
    {
        if (a.DType == DType.F64) CpuKernels.Gemv(a.F64!, a.Rows, a.Cols, trans, x.F64!, y.F64!, alpha, beta, Threads);
        else CpuKernels.Gemv(a.F32!, a.Rows, a.Cols, trans, x.F32!, y.F32!, alpha, beta, Threads);
    }

    /// <inheritdoc />
    public void Axpy(double alpha, Matrix x, Matrix y)
    {
        if (x.DType == DType.F64) CpuKernels.Axpy(alpha, x.F64!, y.F64!);
        else CpuKernels.Axpy(alpha, x.F32!, y.F32!);
    }

    /// <inheritdoc />
    public double Dot(Matrix x, Matrix y) => CpuKernels.Dot(x, y);

    // ---- elementwise ----

    /// <inheritdoc />
    public void Map(UnaryOp op, Matrix x, Matrix result, double a = 0, double b = 0)
    {
        if (x.DType == DType.F64) CpuKernels.Map(op, x.F64!, result.F64!, a, b);
        else CpuKernels.Map(op, x.F32!, result.F32!, a, b);
    }

    /// <inheritdoc />
    public void Zip(BinaryOp op, Matrix x, Matrix y, Matrix result)
    {
        if (x.DType == DType.F64) CpuKernels.Zip(op, x.F64!, y.F64!, result.F64!);
        else CpuKernels.Zip(op, x.F32!, y.F32!, result.F32!);
    }

    // ---- reductions ----

    /// <inheritdoc />
    public double Sum(Matrix x) => CpuKernels.Sum(x);
    /// <inheritdoc />
    public double Norm(Matrix x, NormKind kind) => CpuKernels.Norm(x, kind);
    /// <inheritdoc />
    public Matrix RowNorms(Matrix x) => CpuKernels.Reduce(x, rows: true, squares: true, sqrt: true);
    /// <inheritdoc />
    public Matrix ColumnNorms(Matrix x) => CpuKernels.Reduce(x, rows: false, squares: true, sqrt: true);
    /// <inheritdoc />
    public Matrix RowSums(Matrix x) => CpuKernels.Reduce(x, rows: true, squares: false, sqrt: false);
    /// <inheritdoc />
    public Matrix ColumnSums(Matrix x) => CpuKernels.Reduce(x, rows: false, squares: false, sqrt: false);
    /// <inheritdoc />
    public int[] ArgMaxPerRow(Matrix x) => CpuKernels.ArgPerRow(x, max: true);
    /// <inheritdoc />
    public int[] ArgMinPerRow(Matrix x) => CpuKernels.ArgPerRow(x, max: false);

    // ---- gather and diagonal scaling ----

    /// <inheritdoc />
    public Matrix GatherRows(Matrix x, int[] idx)
    {
        var r = Matrix.Zeros(idx.Length, x.Cols, x.DType, Device.Cpu);
        if (x.DType == DType.F64) CpuKernels.GatherRows(x.F64!, x.Rows, x.Cols, idx, r.F64!);
        else CpuKernels.GatherRows(x.F32!, x.Rows, x.Cols, idx, r.F32!);
        return r;
    }

    /// <inheritdoc />
    public Matrix GatherColumns(Matrix x, int[] idx)
    {
        var r = Matrix.Zeros(x.Rows, idx.Length, x.DType, Device.Cpu);
        if (x.DType == DType.F64) CpuKernels.GatherColumns(x.F64!, x.Rows, idx, r.F64!);
        else CpuKernels.GatherColumns(x.F32!, x.Rows, idx, r.F32!);
        return r;
    }

    /// <inheritdoc />
    public void ScaleRows(Matrix x, Matrix d, Matrix result)
    {
        if (x.DType == DType.F64) CpuKernels.ScaleRows(x.F64!, x.Rows, x.Cols, d.F64!, result.F64!);
        else CpuKernels.ScaleRows(x.F32!, x.Rows, x.Cols, d.F32!, result.F32!);
    }

    /// <inheritdoc />
    public void ScaleColumns(Matrix x, Matrix d, Matrix result)
    {
        if (x.DType == DType.F64) CpuKernels.ScaleColumns(x.F64!, x.Rows, x.Cols, d.F64!, result.F64!);
        else CpuKernels.ScaleColumns(x.F32!, x.Rows, x.Cols, d.F32!, result.F32!);
    }

    /// <inheritdoc />
    public Matrix Transpose(Matrix a)
    {
        var r = Matrix.Zeros(a.Cols, a.Rows, a.DType, Device.Cpu);
        if (a.DType == DType.F64) CpuKernels.Transpose(a.F64!, a.Rows, a.Cols, r.F64!);
        else CpuKernels.Transpose(a.F32!, a.Rows, a.Cols, r.F32!);
        return r;
    }

    // ---- factorizations ----

    /// <inheritdoc />
    public abstract Matrix Cholesky(Matrix a);
    /// <inheritdoc />
    public abstract Matrix TriangularSolve(Matrix t, Matrix b, bool lower, bool transpose);
    /// <inheritdoc />
    public abstract (Matrix Q, Matrix R) Qr(Matrix a);
    /// <inheritdoc />
    public abstract (Matrix Values, Matrix Vectors) SymmetricEigen(Matrix a);
    /// <inheritdoc />
    public abstract (Matrix U, Matrix S, Matrix V) Svd(Matrix a);

    // ---- random fills ----

    /// <summary>Elements per parallel chunk of <see cref="FillRandom"/> (even, and a multiple of
    /// 128, so that no Philox block is split between chunks).</summary>
    internal const int RandomChunk = 1 << 15;

    /// <inheritdoc />
    /// <remarks>Parallel over fixed chunks of <see cref="RandomChunk"/> elements (at most
    /// <see cref="Threads"/> at once); each entry is a pure function of its index, so the result is
    /// bit-identical for any thread count and to <see cref="ReferenceBackend"/>.</remarks>
    public void FillRandom(RandomKind kind, ulong key, long first, Matrix target)
    {
        Philox.CheckRange(first, target.Length, nameof(first));
        if (kind is not (RandomKind.Normal or RandomKind.Uniform or RandomKind.Rademacher)) throw Philox.UnknownKind(kind);
        int n = checked((int)target.Length);
        if (n == 0) return;
        int chunks = (n + RandomChunk - 1) / RandomChunk;
        double[]? f64 = target.F64;
        float[]? f32 = target.F32;
        void Chunk(int c)
        {
            int start = c * RandomChunk, len = Math.Min(RandomChunk, n - start);
            if (f64 is not null) Philox.Fill(kind, key, first + start, f64.AsSpan(start, len));
            else Philox.Fill(kind, key, first + start, f32!.AsSpan(start, len));
        }
        if (chunks == 1 || Threads == 1) { for (int c = 0; c < chunks; c++) Chunk(c); return; }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Threads }, Chunk);
    }

    // ---- sparse ----

    /// <inheritdoc />
    public Matrix SpMM(SparseMatrix a, bool trans, Matrix x) => CpuKernels.SpMM(a, trans, x, Threads);

    // ---- helpers ----

    /// <summary>c ← β·c (β = 0 clears, also NaNs).</summary>
    protected static void ScaleInPlace(Matrix c, double beta)
    {
        if (beta == 1) return;
        if (c.DType == DType.F64) { if (beta == 0) Array.Clear(c.F64!); else System.Numerics.Tensors.TensorPrimitives.Multiply(c.F64!, beta, c.F64!); }
        else { if (beta == 0) Array.Clear(c.F32!); else System.Numerics.Tensors.TensorPrimitives.Multiply(c.F32!, (float)beta, c.F32!); }
    }

    /// <summary>Copies the strict lower triangle of square c onto the upper one.</summary>
    protected static void MirrorLower(Matrix c)
    {
        if (c.DType == DType.F64) Mirror(c.F64!, c.Rows); else Mirror(c.F32!, c.Rows);
    }

    private static void Mirror<T>(T[] c, int n) where T : unmanaged
    {
        const int B = 64;
        for (int j0 = 0; j0 < n; j0 += B)
            for (int i0 = 0; i0 <= j0; i0 += B)
                for (int j = j0; j < Math.Min(n, j0 + B); j++)
                    for (int i = i0; i < Math.Min(j, i0 + B); i++) c[j * n + i] = c[i * n + j];
    }

    /// <summary>Sets the strict upper triangle of square c to zero.</summary>
    protected static void ZeroUpper(Matrix c)
    {
        int n = c.Rows;
        for (int j = 1; j < n; j++)
            if (c.DType == DType.F64) Array.Clear(c.F64!, j * n, j); else Array.Clear(c.F32!, j * n, j);
    }

    /// <inheritdoc />
    public override string ToString() => Describe();
}
