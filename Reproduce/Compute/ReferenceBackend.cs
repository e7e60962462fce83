namespace Reproduce.Compute;

/// <summary>The plainest correct CPU backend: textbook loops in float64 and MathNet.Numerics'
/// managed factorizations. It is the oracle the tests compare faster backends against, and
/// the CPU default until a faster backend is selected. float32 matrices are computed in float64
/// and rounded on store.</summary>
public sealed class ReferenceBackend : IBackend
{
    /// <inheritdoc />
    public string Name => "reference";

    /// <inheritdoc />
    public string Describe() => "reference loops + MathNet.Numerics managed factorizations";

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

    /// <inheritdoc />
    public void Gemm(Matrix a, bool transA, Matrix b, bool transB, Matrix c, double alpha, double beta)
    {
        int m = c.Rows, n = c.Cols, k = transA ? a.Rows : a.Cols;
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (transA ? a[p, i] : a[i, p]) * (transB ? b[j, p] : b[p, j]);
                c[i, j] = alpha * s + (beta == 0 ? 0 : beta * c[i, j]);
            }
    }

    /// <inheritdoc />
    public void Syrk(Matrix a, bool trans, Matrix c, double alpha, double beta) => Gemm(a, trans, a, !trans, c, alpha, beta);

    /// <inheritdoc />
    public void Gemv(Matrix a, bool trans, Matrix x, Matrix y, double alpha, double beta) => Gemm(a, trans, x, false, y, alpha, beta);

    /// <inheritdoc />
    public void Axpy(double alpha, Matrix x, Matrix y) { for (int j = 0; j < x.Cols; j++) for (int i = 0; i < x.Rows; i++) y[i, j] += alpha * x[i, j]; }

    /// <inheritdoc />
    public double Dot(Matrix x, Matrix y) { double s = 0; for (int j = 0; j < x.Cols; j++) for (int i = 0; i < x.Rows; i++) s += x[i, j] * y[i, j]; return s; }

    /// <inheritdoc />
    public void Map(UnaryOp op, Matrix x, Matrix result, double a = 0, double b = 0)
    {
        for (int j = 0; j < x.Cols; j++) for (int i = 0; i < x.Rows; i++) result[i, j] = ElementwiseMath.Apply(op, x[i, j], a, b);
    }

    /// <inheritdoc />
    public void Zip(BinaryOp op, Matrix x, Matrix y, Matrix result)
    {
        for (int j = 0; j < x.Cols; j++) for (int i = 0; i < x.Rows; i++) result[i, j] = ElementwiseMath.Apply(op, x[i, j], y[i, j]);
    }

    /// <inheritdoc />
    public double Sum(Matrix x) { double s = 0; for (int j = 0; j < x.Cols; j++) for (int i = 0; i < x.Rows; i++) s += x[i, j]; return s; }

    /// <inheritdoc />
    public double Norm(Matrix x, NormKind kind)
    {
        double s = 0;
        for (int j = 0; j < x.Cols; j++)
            for (int i = 0; i < x.Rows; i++)
            {
                double v = Math.Abs(x[i, j]);
                s = kind switch { NormKind.L1 => s + v, NormKind.L2 => s + v * v, _ => Math.Max(s, v) };
            }
        return kind == NormKind.L2 ? Math.Sqrt(s) : s;
    }

    /// <inheritdoc />
    public Matrix RowNorms(Matrix x) => Reduce(x, rows: true, (s, v) => s + v * v, Math.Sqrt);
    /// <inheritdoc />
    public Matrix ColumnNorms(Matrix x) => Reduce(x, rows: false, (s, v) => s + v * v, Math.Sqrt);
    /// <inheritdoc />
    public Matrix RowSums(Matrix x) => Reduce(x, rows: true, (s, v) => s + v, s => s);
    /// <inheritdoc />
    public Matrix ColumnSums(Matrix x) => Reduce(x, rows: false, (s, v) => s + v, s => s);

    private static Matrix Reduce(Matrix x, bool rows, Func<double, double, double> step, Func<double, double> finish)
    {
        var r = Matrix.Zeros(rows ? x.Rows : x.Cols, 1, x.DType);
        var acc = new double[r.Rows];
        for (int j = 0; j < x.Cols; j++) for (int i = 0; i < x.Rows; i++) { int k = rows ? i : j; acc[k] = step(acc[k], x[i, j]); }
        for (int k = 0; k < acc.Length; k++) r[k, 0] = finish(acc[k]);
        return r;
    }

    /// <inheritdoc />
    public int[] ArgMaxPerRow(Matrix x) => ArgPerRow(x, (v, best) => v > best);
    /// <inheritdoc />
    public int[] ArgMinPerRow(Matrix x) => ArgPerRow(x, (v, best) => v < best);

    private static int[] ArgPerRow(Matrix x, Func<double, double, bool> better)
    {
        var r = new int[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            int bi = 0;
            for (int j = 1; j < x.Cols; j++) if (better(x[i, j], x[i, bi])) bi = j;
            r[i] = x.Cols == 0 ? -1 : bi;
        }
        return r;
    }

    /// <inheritdoc />
    public Matrix GatherRows(Matrix x, int[] idx)
    {
        var r = Matrix.Zeros(idx.Length, x.Cols, x.DType);
        for (int j = 0; j < x.Cols; j++) for (int i = 0; i < idx.Length; i++) r[i, j] = x[idx[i], j];
        return r;
    }

    /// <inheritdoc />
    public Matrix GatherColumns(Matrix x, int[] idx)
    {
        var r = Matrix.Zeros(x.Rows, idx.Length, x.DType);
        for (int j = 0; j < idx.Length; j++) for (int i = 0; i < x.Rows; i++) r[i, j] = x[i, idx[j]];
        return r;
    }

    /// <inheritdoc />
    public void ScaleRows(Matrix x, Matrix d, Matrix result) { for (int j = 0; j < x.Cols; j++) for (int i = 0; i < x.Rows; i++) result[i, j] = d[i, 0] * x[i, j]; }
    /// <inheritdoc />
    public void ScaleColumns(Matrix x, Matrix d, Matrix result) { for (int j = 0; j < x.Cols; j++) for (int i = 0; i < x.Rows; i++) result[i, j] = x[i, j] * d[j, 0]; }

    /// <inheritdoc />
    public Matrix Transpose(Matrix a)
    {
        var r = Matrix.Zeros(a.Cols, a.Rows, a.DType);
        for (int j = 0; j < a.Cols; j++) for (int i = 0; i < a.Rows; i++) r[j, i] = a[i, j];
        return r;
    }

    /// <inheritdoc />
    /// <remarks>The oracle: one element at a time through <see cref="Philox.Value"/> /
    /// <see cref="Philox.ValueF32"/> (each element computes its own block).</remarks>
    public void FillRandom(RandomKind kind, ulong key, long first, Matrix target)
    {
        Philox.CheckRange(first, target.Length, nameof(first));
        for (int j = 0; j < target.Cols; j++)
            for (int i = 0; i < target.Rows; i++)
            {
                long k = first + (long)j * target.Rows + i;
                target[i, j] = target.DType == DType.F64 ? Philox.Value(kind, key, k) : Philox.ValueF32(kind, key, k);
            }
    }

    /// <inheritdoc />
    public Matrix Cholesky(Matrix a)
    {
        int n = a.Rows;
        var l = Matrix.Zeros(n, n, a.DType);
        var w = a.ToArray2D();
        for (int j = 0; j < n; j++)
        {
            double d = w[j, j];
            for (int p = 0; p < j; p++) d -= w[j, p] * w[j, p];
            if (!(d > 0)) throw new NotPositiveDefiniteException(j, d);
            double s = Math.Sqrt(d);
            w[j, j] = s;
            for (int i = j + 1; i < n; i++)
            {
                double v = w[i, j];
                for (int p = 0; p < j; p++) v -= w[i, p] * w[j, p];
                w[i, j] = v / s;
            }
        }
        for (int j = 0; j < n; j++) for (int i = j; i < n; i++) l[i, j] = w[i, j];
        return l;
    }

    /// <inheritdoc />
    public Matrix TriangularSolve(Matrix t, Matrix b, bool lower, bool transpose)
    {
        int n = t.Rows;
        var x = b.Copy();
        // op(T) is lower when (lower xor transpose).
        bool effLower = lower ^ transpose;
        double T(int i, int j) => transpose ? t[j, i] : t[i, j];
        for (int c = 0; c < b.Cols; c++)
        {
            if (effLower)
                for (int i = 0; i < n; i++) { double s = x[i, c]; for (int p = 0; p < i; p++) s -= T(i, p) * x[p, c]; x[i, c] = s / T(i, i); }
            else
                for (int i = n - 1; i >= 0; i--) { double s = x[i, c]; for (int p = i + 1; p < n; p++) s -= T(i, p) * x[p, c]; x[i, c] = s / T(i, i); }
        }
        return x;
    }

    /// <inheritdoc />
    public (Matrix Q, Matrix R) Qr(Matrix a) => MathNetBridge.Qr(a);

    /// <inheritdoc />
    public (Matrix Values, Matrix Vectors) SymmetricEigen(Matrix a) => MathNetBridge.SymmetricEigen(a);

    /// <inheritdoc />
    public (Matrix U, Matrix S, Matrix V) Svd(Matrix a) => MathNetBridge.Svd(a);

    /// <inheritdoc />
    public Matrix SpMM(SparseMatrix a, bool trans, Matrix x)
    {
        var y = Matrix.Zeros(trans ? a.Cols : a.Rows, x.Cols, x.DType);
        for (int c = 0; c < x.Cols; c++)
            for (int i = 0; i < a.Rows; i++)
                for (int k = a.RowPtr[i]; k < a.RowPtr[i + 1]; k++)
                {
                    if (trans) y[a.ColIdx[k], c] += a.Values[k] * x[i, c];
                    else y[i, c] += a.Values[k] * x[a.ColIdx[k], c];
                }
        return y;
    }
}
