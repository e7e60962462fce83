using System.Numerics;
using System.Numerics.Tensors;

namespace Reproduce.Compute;

/// <summary>Vectorized CPU loops shared by the CPU backends (elementwise maps, reductions, gathers,
/// GEMV, triangular solves, sparse products), generic over float64/float32. Reductions over
/// float32 accumulate in float64. Parallel loops split only independent outputs, so results do
/// not depend on the thread count.</summary>
internal static class CpuKernels
{
    public static T[] Data<T>(Matrix m) where T : unmanaged =>
        typeof(T) == typeof(double) ? (T[])(object)m.F64! : (T[])(object)m.F32!;

    public static void For(int count, int threads, Action<int> body, long workPerItem)
    {
        if (threads == 1 || count <= 1 || workPerItem * count < 1 << 16) { for (int i = 0; i < count; i++) body(i); return; }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads <= 0 ? Environment.ProcessorCount : threads }, body);
    }

    // ---- elementwise ----

    public static void Map<T>(UnaryOp op, T[] x, T[] r, double a, double b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> xs = x; Span<T> rs = r;
        T ta = T.CreateTruncating(a);
        switch (op)
        {
            case UnaryOp.Identity: xs.CopyTo(rs); break;
            case UnaryOp.Negate: TensorPrimitives.Negate(xs, rs); break;
            case UnaryOp.Abs: TensorPrimitives.Abs(xs, rs); break;
            case UnaryOp.Exp: TensorPrimitives.Exp(xs, rs); break;
            case UnaryOp.Log: TensorPrimitives.Log(xs, rs); break;
            case UnaryOp.Sqrt: TensorPrimitives.Sqrt(xs, rs); break;
            case UnaryOp.Square: TensorPrimitives.Multiply(xs, xs, rs); break;
            case UnaryOp.Reciprocal: TensorPrimitives.Divide(T.One, xs, rs); break;
            case UnaryOp.Scale: TensorPrimitives.Multiply(xs, ta, rs); break;
            case UnaryOp.AddScalar: TensorPrimitives.Add(xs, ta, rs); break;
            case UnaryOp.MaxScalar: TensorPrimitives.Max(xs, ta, rs); break;
            case UnaryOp.MinScalar: TensorPrimitives.Min(xs, ta, rs); break;
            default:
                for (int i = 0; i < xs.Length; i++) rs[i] = T.CreateTruncating(ElementwiseMath.Apply(op, double.CreateTruncating(xs[i]), a, b));
                break;
        }
    }

    public static void Zip<T>(BinaryOp op, T[] x, T[] y, T[] r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add<T>(x, y, r); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract<T>(x, y, r); break;
            case BinaryOp.Hadamard: TensorPrimitives.Multiply<T>(x, y, r); break;
            case BinaryOp.Div: TensorPrimitives.Divide<T>(x, y, r); break;
            case BinaryOp.Max: TensorPrimitives.Max<T>(x, y, r); break;
            case BinaryOp.Min: TensorPrimitives.Min<T>(x, y, r); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, "Unknown binary op.");
        }
    }

    public static void Axpy<T>(double alpha, T[] x, T[] y) where T : unmanaged, IFloatingPointIeee754<T> =>
        TensorPrimitives.MultiplyAdd<T>(x, T.CreateTruncating(alpha), y, y);

    // ---- reductions (float64 accumulation) ----

    public static double Dot(Matrix x, Matrix y) => x.DType == DType.F64
        ? TensorPrimitives.Dot<double>(x.F64!, y.F64!)
        : DotF32(x.F32!, y.F32!);

    private static double DotF32(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++) s += (double)x[i] * y[i];
        return s;
    }

    public static double Sum(Matrix x)
    {
        if (x.DType == DType.F64) return TensorPrimitives.Sum<double>(x.F64!);
        double s = 0;
        foreach (var v in x.F32!) s += v;
        return s;
    }

    public static double Norm(Matrix x, NormKind kind)
    {
        if (x.Length == 0) return 0;
        if (x.DType == DType.F64)
        {
            ReadOnlySpan<double> s = x.F64!;
            return kind switch
            {
                NormKind.L1 => TensorPrimitives.SumOfMagnitudes(s),
                NormKind.L2 => Math.Sqrt(TensorPrimitives.SumOfSquares(s)),
                _ => Math.Abs(TensorPrimitives.MaxMagnitude(s)),
            };
        }
        double acc = 0;
        foreach (var f in x.F32!)
        {
            double v = Math.Abs((double)f);
            acc = kind switch { NormKind.L1 => acc + v, NormKind.L2 => acc + v * v, _ => Math.Max(acc, v) };
        }
        return kind == NormKind.L2 ? Math.Sqrt(acc) : acc;
    }

    /// <summary>Per-row (rows = true) or per-column sums of x or x² (squares = true), then √ when asked.</summary>
    public static Matrix Reduce(Matrix x, bool rows, bool squares, bool sqrt)
    {
        int m = x.Rows, n = x.Cols;
        var acc = new double[rows ? m : n];
        if (x.DType == DType.F64)
        {
            var d = x.F64!;
            for (int j = 0; j < n; j++)
            {
                var col = new ReadOnlySpan<double>(d, j * m, m);
                if (rows) { if (squares) TensorPrimitives.MultiplyAdd(col, col, acc, acc); else TensorPrimitives.Add(col, acc, acc); }
                else acc[j] = squares ? TensorPrimitives.SumOfSquares(col) : TensorPrimitives.Sum(col);
            }
        }
        else
        {
            var d = x.F32!;
            for (int j = 0; j < n; j++)
                for (int i = 0; i < m; i++)
                {
                    double v = d[j * m + i];
                    acc[rows ? i : j] += squares ? v * v : v;
                }
        }
        if (sqrt) for (int i = 0; i < acc.Length; i++) acc[i] = Math.Sqrt(acc[i]);
        var r = Matrix.FromColumnMajor(acc.Length, 1, acc);
        return x.DType == DType.F64 ? r : r.AsType(DType.F32);
    }

    public static int[] ArgPerRow(Matrix x, bool max)
    {
        int m = x.Rows, n = x.Cols;
        var idx = new int[m];
        if (n == 0) { Array.Fill(idx, -1); return idx; }
        var best = new double[m];
        for (int i = 0; i < m; i++) best[i] = Get(x, i);
        for (int j = 1; j < n; j++)
            for (int i = 0; i < m; i++)
            {
                double v = Get(x, j * m + i);
                if (max ? v > best[i] : v < best[i]) { best[i] = v; idx[i] = j; }
            }
        return idx;
    }

    private static double Get(Matrix x, int k) => x.F64 is { } d ? d[k] : x.F32![k];

    // ---- gathers and scaling ----

    public static void GatherRows<T>(T[] x, int m, int n, int[] idx, T[] r) where T : unmanaged
    {
        int k = idx.Length;
        for (int j = 0; j < n; j++)
            for (int i = 0; i < k; i++) r[j * k + i] = x[j * m + idx[i]];
    }

    public static void GatherColumns<T>(T[] x, int m, int[] idx, T[] r) where T : unmanaged
    {
        for (int j = 0; j < idx.Length; j++) Array.Copy(x, idx[j] * m, r, j * m, m);
    }

    public static void ScaleRows<T>(T[] x, int m, int n, T[] d, T[] r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < n; j++) TensorPrimitives.Multiply(new ReadOnlySpan<T>(x, j * m, m), new ReadOnlySpan<T>(d, 0, m), new Span<T>(r, j * m, m));
    }

    public static void ScaleColumns<T>(T[] x, int m, int n, T[] d, T[] r) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int j = 0; j < n; j++) TensorPrimitives.Multiply(new ReadOnlySpan<T>(x, j * m, m), d[j], new Span<T>(r, j * m, m));
    }

    public static void Transpose<T>(T[] a, int m, int n, T[] r) where T : unmanaged
    {
        const int B = 32;
        for (int j0 = 0; j0 < n; j0 += B)
            for (int i0 = 0; i0 < m; i0 += B)
            {
                int j1 = Math.Min(n, j0 + B), i1 = Math.Min(m, i0 + B);
                for (int j = j0; j < j1; j++)
                    for (int i = i0; i < i1; i++) r[i * n + j] = a[j * m + i];
            }
    }

    // ---- GEMV ----

    /// <summary>y ← α·op(A)·x + β·y with A m×n column-major.</summary>
    public static void Gemv<T>(T[] a, int m, int n, bool trans, T[] x, T[] y, double alpha, double beta, int threads) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int ylen = trans ? n : m;
        var ys = new Span<T>(y, 0, ylen);
        if (!trans)
        {
            // Row chunks are independent; each y_i sums over j in order.
            const int Chunk = 2048;
            int chunks = (m + Chunk - 1) / Chunk;
            For(chunks, threads, c =>
            {
                int i0 = c * Chunk, len = Math.Min(Chunk, m - i0);
                var yc = new Span<T>(y, i0, len);
                if (beta == 0) yc.Clear(); else if (beta != 1) TensorPrimitives.Multiply(yc, T.CreateTruncating(beta), yc);
                for (int j = 0; j < n; j++)
                {
                    T s = T.CreateTruncating(alpha) * x[j];
                    if (s != T.Zero) TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(a, j * m + i0, len), s, yc, yc);
                }
            }, (long)Math.Min(Chunk, m) * n);
        }
        else
        {
            For(n, threads, j =>
            {
                double s = typeof(T) == typeof(double)
                    ? TensorPrimitives.Dot(new ReadOnlySpan<double>((double[])(object)a, j * m, m), new ReadOnlySpan<double>((double[])(object)x, 0, m))
                    : DotF32(new ReadOnlySpan<float>((float[])(object)a, j * m, m), new ReadOnlySpan<float>((float[])(object)x, 0, m));
                double old = beta == 0 ? 0 : beta * double.CreateTruncating(y[j]);
                y[j] = T.CreateTruncating(alpha * s + old);
            }, m);
        }
    }

    // ---- triangular solve (column-oriented, vectorized, parallel over right-hand sides) ----

    /// <summary>Solves op(T)·X = B in place in x (n×r), T n×n column-major.</summary>
    public static void TriangularSolve<T>(T[] t, int n, T[] x, int r, bool lower, bool transpose, int threads) where T : unmanaged, IFloatingPointIeee754<T>
    {
        For(r, threads, c =>
        {
            var xc = new Span<T>(x, c * n, n);
            if (!transpose)
            {
                if (lower)
                    for (int j = 0; j < n; j++)
                    {
                        xc[j] /= t[j * n + j];
                        if (xc[j] != T.Zero) TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(t, j * n + j + 1, n - j - 1), -xc[j], xc[(j + 1)..], xc[(j + 1)..]);
                    }
                else
                    for (int j = n - 1; j >= 0; j--)
                    {
                        xc[j] /= t[j * n + j];
                        if (xc[j] != T.Zero) TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(t, j * n, j), -xc[j], xc[..j], xc[..j]);
                    }
            }
            else
            {
                // op(T) = Tᵀ: row i of Tᵀ is column i of T.
                if (lower) // Tᵀ upper: back substitution with dots over column i below the diagonal.
                    for (int i = n - 1; i >= 0; i--)
                        xc[i] = (xc[i] - TensorPrimitives.Dot(new ReadOnlySpan<T>(t, i * n + i + 1, n - i - 1), xc[(i + 1)..])) / t[i * n + i];
                else       // Tᵀ lower: forward substitution with dots over column i above the diagonal.
                    for (int i = 0; i < n; i++)
                        xc[i] = (xc[i] - TensorPrimitives.Dot(new ReadOnlySpan<T>(t, i * n, i), xc[..i])) / t[i * n + i];
            }
        }, (long)n * n);
    }

    // ---- sparse ----

    /// <summary>op(A)·X for CSR A (float64 values) and dense X; float32 X accumulates in float64.</summary>
    public static Matrix SpMM(SparseMatrix a, bool trans, Matrix x, int threads)
    {
        int outRows = trans ? a.Cols : a.Rows, inRows = x.Rows, cols = x.Cols;
        var acc = new double[(long)outRows * cols];
        For(cols, threads, c =>
        {
            var o = new Span<double>(acc, c * outRows, outRows);
            for (int i = 0; i < a.Rows; i++)
            {
                int p0 = a.RowPtr[i], p1 = a.RowPtr[i + 1];
                if (!trans)
                {
                    double s = 0;
                    for (int p = p0; p < p1; p++) s += a.Values[p] * Get(x, c * inRows + a.ColIdx[p]);
                    o[i] = s;
                }
                else
                {
                    double xi = Get(x, c * inRows + i);
                    if (xi == 0) continue;
                    for (int p = p0; p < p1; p++) o[a.ColIdx[p]] += a.Values[p] * xi;
                }
            }
        }, a.Nnz + outRows);
        var y = Matrix.FromColumnMajor(outRows, cols, acc);
        return x.DType == DType.F64 ? y : y.AsType(DType.F32);
    }
}
