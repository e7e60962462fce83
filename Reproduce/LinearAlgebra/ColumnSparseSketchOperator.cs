using Reproduce.Compute;

namespace Reproduce.LinearAlgebra;

/// <summary>A k×n sketch with exactly s nonzeros per column of S, stored as (row, value) lists per
/// column. On the CPU, S·A costs O(s·nnz(A)) by scattering each entry of A into its s target rows;
/// on other devices it goes through the backend's sparse multiply (<see cref="Ops.SpMM"/>).</summary>
internal sealed class ColumnSparseSketchOperator
{
    private readonly int _k, _n, _s;
    private readonly int[] _rows;     // n·s target rows, column j's at [j·s, (j+1)·s)
    private readonly double[] _vals;  // matching values
    private SparseMatrix? _csr;

    public ColumnSparseSketchOperator(int k, int n, int s, int[] rows, double[] vals)
    {
        _k = k; _n = n; _s = s; _rows = rows; _vals = vals;
    }

    public int RowOf(int j, int t) => _rows[j * _s + t];
    public double ValueOf(int j, int t) => _vals[j * _s + t];

    /// <summary>S in CSR form (k×n).</summary>
    public SparseMatrix Csr
    {
        get
        {
            if (_csr is not null) return _csr;
            var trip = new List<(int, int, double)>(_rows.Length);
            for (int j = 0; j < _n; j++)
                for (int t = 0; t < _s; t++) trip.Add((_rows[j * _s + t], j, _vals[j * _s + t]));
            return _csr = SparseMatrix.FromTriplets(_k, _n, trip);
        }
    }

    public Matrix Apply(Matrix a)
    {
        if (a.Device.Kind != DeviceKind.Cpu) return Ops.SpMM(Csr, a);
        var y = Matrix.Zeros(_k, a.Cols, a.DType);
        int cols = a.Cols;
        if (a.DType == DType.F64)
        {
            var src = a.F64!;
            var dst = y.F64!;
            ParallelColumns(cols, c => Scatter(src.AsSpan(c * _n, _n), dst.AsSpan(c * _k, _k)));
        }
        else
        {
            var src = a.F32!;
            var dst = y.F32!;
            ParallelColumns(cols, c =>
            {
                var acc = new double[_k];
                var col = src.AsSpan(c * _n, _n);
                for (int j = 0; j < _n; j++)
                {
                    double v = col[j];
                    if (v == 0) continue;
                    for (int t = 0; t < _s; t++) acc[_rows[j * _s + t]] += _vals[j * _s + t] * v;
                }
                for (int i = 0; i < _k; i++) dst[c * _k + i] = (float)acc[i];
            });
        }
        return y;
    }

    private void Scatter(ReadOnlySpan<double> col, Span<double> dst)
    {
        for (int j = 0; j < col.Length; j++)
        {
            double v = col[j];
            if (v == 0) continue;
            int b = j * _s;
            for (int t = 0; t < _s; t++) dst[_rows[b + t]] += _vals[b + t] * v;
        }
    }

    /// <summary>S·A for a sparse A (n×d, CSR) in O(s·nnz(A)); result is a dense k×d CPU matrix.</summary>
    public Matrix Apply(SparseMatrix a)
    {
        var y = Matrix.Zeros(_k, a.Cols);
        var d = y.Span;
        for (int j = 0; j < a.Rows; j++)
            for (int p = a.RowPtr[j]; p < a.RowPtr[j + 1]; p++)
            {
                int c = a.ColIdx[p];
                double v = a.Values[p];
                for (int t = 0; t < _s; t++) d[c * _k + _rows[j * _s + t]] += _vals[j * _s + t] * v;
            }
        return y;
    }

    private static void ParallelColumns(int cols, Action<int> body)
    {
        // Columns are independent, so the result does not depend on how they are scheduled.
        if (cols >= 8) Parallel.For(0, cols, body);
        else for (int c = 0; c < cols; c++) body(c);
    }
}
