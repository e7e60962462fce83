using Reproduce.Compute;

namespace Reproduce.LinearProgramming;

/// <summary>The standard-form LP of Chowdhury et al. (JMLR 2022, §2): primal min cᵀx s.t. Ax = b,
/// x ≥ 0; dual max bᵀy s.t. Aᵀy + s = c, s ≥ 0. When built from an <see cref="LpProblem"/> it keeps
/// the map back: original x_j = Shift_j + Sign_j·x[Pos_j] − x[Neg_j] (Neg_j ≥ 0 only for free columns),
/// original row i is standard row RowIndex_i (−1 for a dropped free row).</summary>
public sealed class StandardFormLp
{
    /// <summary>Creates a standard-form LP directly.</summary>
    public StandardFormLp(ConstraintMatrix a, double[] b, double[] c, double objectiveOffset = 0, string name = "LP")
    {
        ArgumentNullException.ThrowIfNull(a); ArgumentNullException.ThrowIfNull(b); ArgumentNullException.ThrowIfNull(c);
        if (a.Cols == 0) throw new ArgumentException("StandardFormLp: A has no columns; an LP needs at least one variable.", nameof(a));
        if (b.Length != a.Rows) throw new ArgumentException($"StandardFormLp: b has length {b.Length} but A has {a.Rows} rows.", nameof(b));
        if (c.Length != a.Cols) throw new ArgumentException($"StandardFormLp: c has length {c.Length} but A has {a.Cols} columns.", nameof(c));
        for (int i = 0; i < b.Length; i++) if (!double.IsFinite(b[i])) throw new ArgumentException($"StandardFormLp: b[{i}] is {b[i]}; right-hand sides must be finite.", nameof(b));
        for (int j = 0; j < c.Length; j++) if (!double.IsFinite(c[j])) throw new ArgumentException($"StandardFormLp: c[{j}] is {c[j]}; costs must be finite.", nameof(c));
        A = a; B = b; C = c; ObjectiveOffset = objectiveOffset; Name = name;
    }

    /// <summary>A (m×n).</summary>
    public ConstraintMatrix A { get; }
    /// <summary>b (length m).</summary>
    public double[] B { get; }
    /// <summary>c (length n).</summary>
    public double[] C { get; }
    /// <summary>Constant added to cᵀx to get the original objective.</summary>
    public double ObjectiveOffset { get; }
    /// <summary>Name.</summary>
    public string Name { get; }
    /// <summary>m.</summary>
    public int Rows => A.Rows;
    /// <summary>n.</summary>
    public int Cols => A.Cols;

    /// <summary>The general problem this came from, or null.</summary>
    public LpProblem? Source { get; private init; }
    internal int[] Pos { get; private init; } = [];
    internal int[] Neg { get; private init; } = [];
    internal double[] Shift { get; private init; } = [];
    internal double[] Sign { get; private init; } = [];
    internal int[] RowIndex { get; private init; } = [];

    /// <summary>This standard-form LP as an <see cref="LpProblem"/> (equality rows, x ≥ 0), e.g. for MPS output or CLP.</summary>
    public LpProblem ToProblem()
    {
        var sp = A.Sparse ?? SparseMatrix.FromTriplets(Rows, Cols, A.NonZeros());
        var lo = new double[Cols]; var up = new double[Cols];
        Array.Fill(up, double.PositiveInfinity);
        return new LpProblem((double[])C.Clone(), sp, (double[])B.Clone(), (double[])B.Clone(), lo, up, Name, objectiveOffset: ObjectiveOffset);
    }

    /// <summary>Maps a standard-form x back to the source problem's variables (identity when there is no source).</summary>
    public double[] RecoverX(double[] x)
    {
        if (Source is null) return (double[])x.Clone();
        var r = new double[Source.ColumnCount];
        for (int j = 0; j < r.Length; j++) r[j] = Shift[j] + Sign[j] * x[Pos[j]] - (Neg[j] >= 0 ? x[Neg[j]] : 0);
        return r;
    }

    /// <summary>Maps standard-form duals y to the source problem's rows (0 for dropped free rows).</summary>
    public double[] RecoverY(double[] y)
    {
        if (Source is null) return (double[])y.Clone();
        var r = new double[Source.RowCount];
        for (int i = 0; i < r.Length; i++) r[i] = RowIndex[i] >= 0 ? y[RowIndex[i]] : 0;
        return r;
    }

    /// <summary>Converts a general LP: shifts finite lower bounds to 0, mirrors columns with only an upper
    /// bound, splits free columns x = x⁺ − x⁻, adds a row x' + t = u − l for each doubly bounded column,
    /// a slack (≤ rows) or surplus (≥ rows, ranged rows with a bounded surplus) per inequality row, and
    /// drops free rows.</summary>
    internal static StandardFormLp FromGeneral(LpProblem p)
    {
        int m = p.RowCount, n = p.ColumnCount;
        var trip = new List<(int, int, double)>();
        var c = new List<double>();
        var pos = new int[n]; var neg = new int[n]; var shift = new double[n]; var sign = new double[n];
        var rowIndex = new int[m];
        double offset = p.ObjectiveOffset;
        int rows = 0;
        for (int i = 0; i < m; i++)
            rowIndex[i] = double.IsNegativeInfinity(p.RowLower[i]) && double.IsPositiveInfinity(p.RowUpper[i]) ? -1 : rows++;
        var bRow = new double[rows];
        // Columns.
        var colEntries = new List<(int Row, double Value)>[n];
        for (int j = 0; j < n; j++) colEntries[j] = [];
        for (int i = 0; i < m; i++)
            for (int k = p.A.RowPtr[i]; k < p.A.RowPtr[i + 1]; k++) colEntries[p.A.ColIdx[k]].Add((i, p.A.Values[k]));
        var upperRows = new List<(int Col, double Rhs)>();
        for (int j = 0; j < n; j++)
        {
            double lo = p.ColLower[j], up = p.ColUpper[j];
            neg[j] = -1;
            if (double.IsFinite(lo)) { shift[j] = lo; sign[j] = 1; }
            else if (double.IsFinite(up)) { shift[j] = up; sign[j] = -1; }
            else { shift[j] = 0; sign[j] = 1; }
            pos[j] = c.Count; c.Add(sign[j] * p.C[j]);
            offset += p.C[j] * shift[j];
            foreach (var (i, v) in colEntries[j])
            {
                if (rowIndex[i] < 0) continue;
                trip.Add((rowIndex[i], pos[j], sign[j] * v));
                bRow[rowIndex[i]] -= v * shift[j];
            }
            if (!double.IsFinite(lo) && !double.IsFinite(up))
            {
                neg[j] = c.Count; c.Add(-p.C[j]);
                foreach (var (i, v) in colEntries[j]) if (rowIndex[i] >= 0) trip.Add((rowIndex[i], neg[j], -v));
            }
            if (double.IsFinite(lo) && double.IsFinite(up)) upperRows.Add((pos[j], up - lo));
        }
        // Row bounds → b and slacks.
        var rangeRows = new List<(int Col, double Rhs)>();
        for (int i = 0; i < m; i++)
        {
            int r = rowIndex[i]; if (r < 0) continue;
            double lo = p.RowLower[i], up = p.RowUpper[i];
            if (lo == up) { bRow[r] += lo; continue; }
            if (double.IsNegativeInfinity(lo)) { bRow[r] += up; trip.Add((r, c.Count, 1)); c.Add(0); }
            else
            {
                bRow[r] += lo; int sCol = c.Count; trip.Add((r, sCol, -1)); c.Add(0);
                if (double.IsFinite(up)) rangeRows.Add((sCol, up - lo));
            }
        }
        var bAll = new List<double>(bRow);
        foreach (var (col, rhs) in upperRows.Concat(rangeRows))
        {
            int r = bAll.Count; bAll.Add(rhs);
            trip.Add((r, col, 1)); trip.Add((r, c.Count, 1)); c.Add(0);
        }
        int mm = bAll.Count, nn = c.Count;
        var sp = SparseMatrix.FromTriplets(mm, nn, trip);
        var cm = (double)sp.Nnz / Math.Max(1.0, (double)mm * nn) > 0.2 || (long)mm * nn <= 40_000 ? new ConstraintMatrix(sp.ToDense()) : new ConstraintMatrix(sp);
        return new StandardFormLp(cm, bAll.ToArray(), c.ToArray(), offset, p.ProblemName)
        {
            Source = p, Pos = pos, Neg = neg, Shift = shift, Sign = sign, RowIndex = rowIndex,
        };
    }
}
