using Reproduce.Compute;

namespace Reproduce.LinearProgramming;

/// <summary>The constraint matrix A (m×n) of a standard-form LP, dense (<see cref="Matrix"/>) or
/// sparse (<see cref="SparseMatrix"/>, CSR). It provides exactly the products an interior point
/// method needs (Chowdhury et al. 2022, §2): Ax, Aᵀy, the normal matrix A D² Aᵀ, the matrix-free
/// product u ↦ A(d²∘(Aᵀu)) and the sketched product A D W. Heavy work goes through <see cref="Ops"/>.</summary>
public sealed class ConstraintMatrix
{
    private SparseMatrix? _csc; // Aᵀ in CSR = A in CSC, built lazily for the sparse normal matrix
    private Matrix? _deviceDense; // dense A uploaded to an accelerator, built lazily by DenseOn
    private Device? _device;
    private readonly object _deviceLock = new();

    /// <summary>Wraps a dense matrix.</summary>
    public ConstraintMatrix(Matrix dense)
    {
        ArgumentNullException.ThrowIfNull(dense);
        Ops.CheckFinite("ConstraintMatrix", dense);
        Dense = dense;
        Rows = dense.Rows; Cols = dense.Cols;
    }

    /// <summary>Wraps a sparse CSR matrix.</summary>
    public ConstraintMatrix(SparseMatrix sparse)
    {
        ArgumentNullException.ThrowIfNull(sparse);
        foreach (var v in sparse.Values)
            if (!double.IsFinite(v)) throw new ArgumentException($"ConstraintMatrix: the sparse matrix has a non-finite entry {v}; coefficients must be finite.", nameof(sparse));
        Sparse = sparse;
        Rows = sparse.Rows; Cols = sparse.Cols;
    }

    /// <summary>The dense matrix, or null when sparse.</summary>
    public Matrix? Dense { get; }
    /// <summary>The sparse matrix, or null when dense.</summary>
    public SparseMatrix? Sparse { get; }
    /// <summary>m.</summary>
    public int Rows { get; }
    /// <summary>n.</summary>
    public int Cols { get; }
    /// <summary>Number of stored nonzeros (m·n when dense).</summary>
    public long Nnz => Sparse?.Nnz ?? (long)Rows * Cols;

    /// <summary>A·x.</summary>
    public double[] Multiply(double[] x)
    {
        if (x.Length != Cols) throw new ArgumentException($"Multiply: x has length {x.Length} but A has {Cols} columns.", nameof(x));
        if (Dense is not null && Dense.Device.Kind == DeviceKind.Cpu && Dense.DType == DType.F64)
        {
            // CPU fast path for the matrix-vector products of CG (called thousands of times per solve).
            var a = Dense.Span; var r = new double[Rows];
            for (int j = 0; j < Cols; j++)
            {
                double xj = x[j]; if (xj == 0) continue;
                System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(a.Slice(j * Rows, Rows), xj, r, r);
            }
            return r;
        }
        if (Sparse is not null)
        {
            // CSR row loop: no per-call conversion or temporary matrices (PCG calls this thousands of times).
            var sp = Sparse; var r = new double[Rows];
            for (int i = 0; i < Rows; i++)
            {
                double acc = 0;
                for (int k = sp.RowPtr[i]; k < sp.RowPtr[i + 1]; k++) acc += sp.Values[k] * x[sp.ColIdx[k]];
                r[i] = acc;
            }
            return r;
        }
        var v = Matrix.Vector(x);
        return Ops.MatVec(Dense!, v).ToArray();
    }

    /// <summary>Aᵀ·y.</summary>
    public double[] MultiplyTransposed(double[] y)
    {
        if (y.Length != Rows) throw new ArgumentException($"MultiplyTransposed: y has length {y.Length} but A has {Rows} rows.", nameof(y));
        var r = new double[Cols];
        MultiplyTransposedInto(y, r);
        return r;
    }

    /// <summary>Aᵀ·y written into <paramref name="r"/> (length n), so that CG's thousands of products allocate no n-vectors.</summary>
    private void MultiplyTransposedInto(double[] y, double[] r)
    {
        if (Dense is not null && Dense.Device.Kind == DeviceKind.Cpu && Dense.DType == DType.F64)
        {
            var a = Dense.Span;
            for (int j = 0; j < Cols; j++) r[j] = System.Numerics.Tensors.TensorPrimitives.Dot(a.Slice(j * Rows, Rows), y);
            return;
        }
        if (Sparse is not null)
        {
            // CSR scatter Aᵀy: one pass over the nonzeros.
            var sp = Sparse;
            Array.Clear(r);
            for (int i = 0; i < Rows; i++)
            {
                double yi = y[i]; if (yi == 0) continue;
                for (int k = sp.RowPtr[i]; k < sp.RowPtr[i + 1]; k++) r[sp.ColIdx[k]] += sp.Values[k] * yi;
            }
            return;
        }
        var v = Matrix.Vector(y);
        Ops.MatVec(Dense!, v, trans: true).ToArray().CopyTo(r, 0);
    }

    /// <summary>The dense A on <paramref name="device"/>: the CPU matrix itself on the CPU, otherwise a copy uploaded once
    /// and kept (the heavy dense products of an IPM then run where A lives). Null when A is sparse.</summary>
    public Matrix? DenseOn(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (Dense is null || device.Kind == DeviceKind.Cpu) return Dense;
        lock (_deviceLock)
        {
            if (!ReferenceEquals(_device, device)) { _deviceDense?.Dispose(); _deviceDense = Dense.To(device); _device = device; }
            return _deviceDense!;
        }
    }

    /// <summary>A·x (or Aᵀ·x when <paramref name="transpose"/>) through <see cref="Ops.MatVec"/> on <paramref name="device"/>
    /// (the accelerator path of <see cref="Multiply"/>; on the CPU it is the same product through the CPU backend).</summary>
    public double[] MultiplyOn(Device device, double[] x, bool transpose = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        int need = transpose ? Rows : Cols;
        if (x.Length != need) throw new ArgumentException($"MultiplyOn: x has length {x.Length} but {(transpose ? "Aᵀ" : "A")} needs {need}.", nameof(x));
        var a = DenseOn(device);
        if (a is null) return transpose ? MultiplyTransposed(x) : Multiply(x);
        using var v = Matrix.Vector(x).To(a.Device);
        using var r = Ops.MatVec(a, v, trans: transpose);
        return r.ToArray();
    }

    /// <summary>A(d²∘(Aᵀu)) through <see cref="MultiplyOn"/> on <paramref name="device"/>.</summary>
    public double[] NormalProductOn(Device device, double[] d2, double[] u)
    {
        var t = MultiplyOn(device, u, transpose: true);
        for (int j = 0; j < t.Length; j++) t[j] *= d2[j];
        return MultiplyOn(device, t);
    }

    /// <summary>A D² Aᵀ (m×m) computed on <paramref name="device"/> and left there (dense A: <see cref="Ops.Gram"/> of A·D;
    /// sparse A: formed on the CPU and uploaded).</summary>
    public Matrix NormalMatrixOn(Device device, double[] d2)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.Kind == DeviceKind.Cpu || Dense is null)
        {
            var k = NormalMatrix(d2);
            return device.Kind == DeviceKind.Cpu ? k : k.To(device);
        }
        if (d2.Length != Cols) throw new ArgumentException($"NormalMatrixOn: d2 has length {d2.Length} but A has {Cols} columns.", nameof(d2));
        var d = new double[d2.Length];
        for (int j = 0; j < d.Length; j++) d[j] = Math.Sqrt(d2[j]);
        var a = DenseOn(device)!;
        using var dv = Matrix.Vector(d).To(device);
        using var ad = Ops.ScaleColumns(a, dv);
        return Ops.Gram(ad, outer: true);
    }

    /// <summary>A(d²∘(Aᵀu)) without forming A D² Aᵀ (one CG matvec).</summary>
    public double[] NormalProduct(double[] d2, double[] u)
    {
        if (u.Length != Rows) throw new ArgumentException($"NormalProduct: u has length {u.Length} but A has {Rows} rows.", nameof(u));
        var t = _scratch.Value;
        if (t is null || t.Length != Cols) _scratch.Value = t = new double[Cols];
        MultiplyTransposedInto(u, t);
        for (int j = 0; j < t.Length; j++) t[j] *= d2[j];
        return Multiply(t);
    }

    // Per-thread n-vector for NormalProduct: the intermediate Aᵀu never escapes, and reusing it keeps CG off the large-object heap.
    private readonly ThreadLocal<double[]?> _scratch = new(() => null);

    /// <summary>A D² Aᵀ (m×m) with D² = diag(d2).</summary>
    public Matrix NormalMatrix(double[] d2)
    {
        if (d2.Length != Cols) throw new ArgumentException($"NormalMatrix: d2 has length {d2.Length} but A has {Cols} columns.", nameof(d2));
        var d = new double[d2.Length];
        for (int j = 0; j < d.Length; j++) d[j] = Math.Sqrt(d2[j]);
        if (Dense is not null) return Ops.Gram(Ops.ScaleColumns(Dense, Matrix.Vector(d)), outer: true);
        _csc ??= Transpose(Sparse!);
        var m = new double[Rows * Rows];
        for (int j = 0; j < Cols; j++)
        {
            int lo = _csc.RowPtr[j], hi = _csc.RowPtr[j + 1];
            for (int a = lo; a < hi; a++)
            {
                double va = _csc.Values[a] * d2[j]; int ia = _csc.ColIdx[a];
                for (int b = lo; b < hi; b++) m[_csc.ColIdx[b] * Rows + ia] += va * _csc.Values[b];
            }
        }
        return Matrix.FromColumnMajor(Rows, Rows, m);
    }

    /// <summary>A·D as a dense matrix (m×n); used for diagnostics and dense sketches.</summary>
    public Matrix ScaledDense(double[] d)
    {
        var dv = Matrix.Vector(d);
        return Dense is not null ? Ops.ScaleColumns(Dense, dv) : Ops.ScaleColumns(Sparse!.ToDense(), dv);
    }

    /// <summary>Dense copy of A.</summary>
    public Matrix ToDense() => Dense?.Copy() ?? Sparse!.ToDense();

    /// <summary>Entry (i, j) (slow for sparse; for tests and writers).</summary>
    public IEnumerable<(int Row, int Col, double Value)> NonZeros()
    {
        if (Dense is not null)
        {
            for (int j = 0; j < Cols; j++) for (int i = 0; i < Rows; i++) if (Dense[i, j] != 0) yield return (i, j, Dense[i, j]);
            yield break;
        }
        for (int i = 0; i < Rows; i++)
            for (int k = Sparse!.RowPtr[i]; k < Sparse.RowPtr[i + 1]; k++) yield return (i, Sparse.ColIdx[k], Sparse.Values[k]);
    }

    internal static SparseMatrix Transpose(SparseMatrix a)
    {
        var count = new int[a.Cols + 1];
        foreach (var c in a.ColIdx) count[c + 1]++;
        for (int j = 0; j < a.Cols; j++) count[j + 1] += count[j];
        var idx = new int[a.Nnz]; var val = new double[a.Nnz]; var next = (int[])count.Clone();
        for (int i = 0; i < a.Rows; i++)
            for (int k = a.RowPtr[i]; k < a.RowPtr[i + 1]; k++) { int p = next[a.ColIdx[k]]++; idx[p] = i; val[p] = a.Values[k]; }
        return new SparseMatrix(a.Cols, a.Rows, count, idx, val);
    }
}
