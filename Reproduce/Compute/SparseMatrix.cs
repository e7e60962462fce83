namespace Reproduce.Compute;

/// <summary>A sparse matrix in compressed sparse row (CSR) form, float64, on the CPU (device copies
/// are made by the backend that needs them). Row i's entries are Values[RowPtr[i]..RowPtr[i+1]) at
/// columns ColIdx[...], column indices strictly increasing within a row.</summary>
public sealed class SparseMatrix
{
    /// <summary>Creates a CSR matrix, validating the structure.</summary>
    public SparseMatrix(int rows, int cols, int[] rowPtr, int[] colIdx, double[] values)
    {
        if (rows < 0 || cols < 0) throw new ArgumentException($"Shape must be non-negative, got {rows}×{cols}.");
        if (rowPtr.Length != rows + 1) throw new ArgumentException($"RowPtr has {rowPtr.Length} entries, expected rows+1 = {rows + 1}.", nameof(rowPtr));
        if (colIdx.Length != values.Length) throw new ArgumentException($"ColIdx has {colIdx.Length} entries but Values has {values.Length}.");
        if (rowPtr[0] != 0 || rowPtr[rows] != values.Length) throw new ArgumentException($"RowPtr must start at 0 and end at nnz = {values.Length}.", nameof(rowPtr));
        for (int i = 0; i < rows; i++)
        {
            if (rowPtr[i + 1] < rowPtr[i]) throw new ArgumentException($"RowPtr decreases at row {i}.", nameof(rowPtr));
            for (int k = rowPtr[i]; k < rowPtr[i + 1]; k++)
            {
                if ((uint)colIdx[k] >= (uint)cols) throw new ArgumentException($"Column index {colIdx[k]} in row {i} is outside 0..{cols - 1}.", nameof(colIdx));
                if (k > rowPtr[i] && colIdx[k] <= colIdx[k - 1]) throw new ArgumentException($"Column indices in row {i} must be strictly increasing.", nameof(colIdx));
                if (!double.IsFinite(values[k])) throw new ArgumentException($"Value at row {i}, column {colIdx[k]} is {values[k]}; sparse values must be finite.", nameof(values));
            }
        }
        Rows = rows; Cols = cols; RowPtr = rowPtr; ColIdx = colIdx; Values = values;
    }

    /// <summary>Rows.</summary>
    public int Rows { get; }
    /// <summary>Columns.</summary>
    public int Cols { get; }
    /// <summary>Row pointers (length Rows+1).</summary>
    public int[] RowPtr { get; }
    /// <summary>Column indices (length Nnz).</summary>
    public int[] ColIdx { get; }
    /// <summary>Values (length Nnz).</summary>
    public double[] Values { get; }
    /// <summary>Number of stored entries.</summary>
    public int Nnz => Values.Length;

    /// <summary>Builds CSR from (row, col, value) triplets; duplicates are summed, zeros kept out.</summary>
    public static SparseMatrix FromTriplets(int rows, int cols, IEnumerable<(int Row, int Col, double Value)> triplets)
    {
        var perRow = new SortedDictionary<int, double>[rows];
        foreach (var (r, c, v) in triplets)
        {
            if ((uint)r >= (uint)rows || (uint)c >= (uint)cols) throw new ArgumentException($"Triplet ({r}, {c}) is outside the {rows}×{cols} matrix.");
            var d = perRow[r] ??= new SortedDictionary<int, double>();
            d[c] = d.TryGetValue(c, out var old) ? old + v : v;
        }
        var ptr = new int[rows + 1];
        var ci = new List<int>(); var vals = new List<double>();
        for (int i = 0; i < rows; i++)
        {
            if (perRow[i] is { } d)
                foreach (var (c, v) in d) if (v != 0) { ci.Add(c); vals.Add(v); }
            ptr[i + 1] = ci.Count;
        }
        return new SparseMatrix(rows, cols, ptr, ci.ToArray(), vals.ToArray());
    }

    /// <summary>A dense CPU copy.</summary>
    public Matrix ToDense()
    {
        var m = Matrix.Zeros(Rows, Cols);
        for (int i = 0; i < Rows; i++)
            for (int k = RowPtr[i]; k < RowPtr[i + 1]; k++) m[i, ColIdx[k]] = Values[k];
        return m;
    }

    /// <inheritdoc />
    public override string ToString() => $"SparseMatrix {Rows}×{Cols}, nnz {Nnz}";
}
