using Reproduce.Compute;

namespace Reproduce.LinearProgramming;

/// <summary>A linear program in general form: minimise cᵀx + offset subject to
/// rowLower ≤ Ax ≤ rowUpper and colLower ≤ x ≤ colUpper (bounds may be ±∞; rowLower = rowUpper
/// is an equality). <see cref="ToStandardForm"/> converts it to min cᵀx s.t. Ax = b, x ≥ 0, the form
/// the interior point methods of Chowdhury et al. (JMLR 2022, §2) work on.</summary>
public sealed class LpProblem
{
    /// <summary>Creates and validates a problem. <paramref name="a"/> is m×n (CSR).</summary>
    public LpProblem(double[] c, SparseMatrix a, double[] rowLower, double[] rowUpper, double[] colLower, double[] colUpper,
        string name = "LP", string[]? rowNames = null, string[]? columnNames = null, double objectiveOffset = 0)
    {
        ArgumentNullException.ThrowIfNull(c); ArgumentNullException.ThrowIfNull(a);
        int m = a.Rows, n = a.Cols;
        if (n == 0) throw new ArgumentException("LpProblem: the problem has no variables (0 columns); an LP needs at least one column.", nameof(c));
        if (c.Length != n) throw new ArgumentException($"LpProblem: c has length {c.Length} but A has {n} columns; give one cost per column.", nameof(c));
        Check(rowLower, m, nameof(rowLower)); Check(rowUpper, m, nameof(rowUpper));
        Check(colLower, n, nameof(colLower)); Check(colUpper, n, nameof(colUpper));
        for (int j = 0; j < n; j++)
        {
            if (!double.IsFinite(c[j])) throw new ArgumentException($"LpProblem: cost c[{j}] is {c[j]}; costs must be finite.", nameof(c));
            if (colLower[j] > colUpper[j]) throw new ArgumentException($"LpProblem: column {j} ({Name(columnNames, j, "x")}) has lower bound {colLower[j]} > upper bound {colUpper[j]}; fix the bounds (the problem would be trivially infeasible).", nameof(colLower));
            if (double.IsPositiveInfinity(colLower[j]) || double.IsNegativeInfinity(colUpper[j])) throw new ArgumentException($"LpProblem: column {j} has bounds [{colLower[j]}, {colUpper[j]}]; a lower bound of +∞ or an upper bound of −∞ is not allowed.", nameof(colLower));
        }
        for (int i = 0; i < m; i++)
        {
            if (rowLower[i] > rowUpper[i]) throw new ArgumentException($"LpProblem: row {i} ({Name(rowNames, i, "r")}) has lower bound {rowLower[i]} > upper bound {rowUpper[i]}; fix the row bounds.", nameof(rowLower));
            if (double.IsPositiveInfinity(rowLower[i]) || double.IsNegativeInfinity(rowUpper[i])) throw new ArgumentException($"LpProblem: row {i} has bounds [{rowLower[i]}, {rowUpper[i]}]; a lower bound of +∞ or an upper bound of −∞ is not allowed.", nameof(rowLower));
        }
        if (!double.IsFinite(objectiveOffset)) throw new ArgumentException($"LpProblem: objective offset is {objectiveOffset}; it must be finite.", nameof(objectiveOffset));
        if (rowNames is not null && rowNames.Length != m) throw new ArgumentException($"LpProblem: {rowNames.Length} row names for {m} rows.", nameof(rowNames));
        if (columnNames is not null && columnNames.Length != n) throw new ArgumentException($"LpProblem: {columnNames.Length} column names for {n} columns.", nameof(columnNames));
        C = c; A = a; RowLower = rowLower; RowUpper = rowUpper; ColLower = colLower; ColUpper = colUpper;
        ProblemName = name; ObjectiveOffset = objectiveOffset;
        RowNames = rowNames ?? Enumerable.Range(0, m).Select(i => "R" + i).ToArray();
        ColumnNames = columnNames ?? Enumerable.Range(0, n).Select(j => "C" + j).ToArray();
    }

    /// <summary>Objective coefficients c (length n).</summary>
    public double[] C { get; }
    /// <summary>Constraint matrix A (m×n, CSR).</summary>
    public SparseMatrix A { get; }
    /// <summary>Row lower bounds (−∞ allowed).</summary>
    public double[] RowLower { get; }
    /// <summary>Row upper bounds (+∞ allowed).</summary>
    public double[] RowUpper { get; }
    /// <summary>Column lower bounds (−∞ allowed).</summary>
    public double[] ColLower { get; }
    /// <summary>Column upper bounds (+∞ allowed).</summary>
    public double[] ColUpper { get; }
    /// <summary>Problem name (MPS NAME).</summary>
    public string ProblemName { get; }
    /// <summary>Row names.</summary>
    public string[] RowNames { get; }
    /// <summary>Column names.</summary>
    public string[] ColumnNames { get; }
    /// <summary>Constant added to the objective.</summary>
    public double ObjectiveOffset { get; }
    /// <summary>m.</summary>
    public int RowCount => A.Rows;
    /// <summary>n.</summary>
    public int ColumnCount => A.Cols;

    /// <summary>True when the source asked to maximise (MPS OBJSENSE MAX): <see cref="C"/> and the offset then hold
    /// the negated objective, so this problem still minimises, and <see cref="UserObjective"/> gives the value with
    /// the source's sign.</summary>
    public bool Maximize { get; init; }

    /// <summary>The objective with the source's sense: −(cᵀx + offset) for a maximisation, cᵀx + offset otherwise.</summary>
    public double UserObjective(double[] x) => Maximize ? -Objective(x) : Objective(x);

    /// <summary>Objective cᵀx + offset (of the minimisation this problem stores).</summary>
    public double Objective(double[] x)
    {
        double v = ObjectiveOffset;
        for (int j = 0; j < x.Length; j++) v += C[j] * x[j];
        return v;
    }

    /// <summary>The standard-form LP min cᵀx s.t. Ax = b, x ≥ 0 with the map back to this problem's variables.</summary>
    public StandardFormLp ToStandardForm() => StandardFormLp.FromGeneral(this);

    /// <summary>A problem already in standard form: min cᵀx s.t. Ax = b, x ≥ 0.</summary>
    public static LpProblem Standard(SparseMatrix a, double[] b, double[] c, string name = "LP")
    {
        ArgumentNullException.ThrowIfNull(b);
        var lo = new double[a.Cols]; var up = Enumerable.Repeat(double.PositiveInfinity, a.Cols).ToArray();
        return new LpProblem(c, a, (double[])b.Clone(), (double[])b.Clone(), lo, up, name);
    }

    private static void Check(double[] v, int len, string name)
    {
        ArgumentNullException.ThrowIfNull(v, name);
        if (v.Length != len) throw new ArgumentException($"LpProblem: {name} has length {v.Length}, expected {len}.", name);
        for (int i = 0; i < v.Length; i++) if (double.IsNaN(v[i])) throw new ArgumentException($"LpProblem: {name}[{i}] is NaN; bounds must be numbers (use ±∞ for none).", name);
    }

    private static string Name(string[]? names, int i, string p) => names is not null && i < names.Length ? names[i] : p + i;
}
