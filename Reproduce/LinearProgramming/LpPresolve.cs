using System.Runtime.CompilerServices;
using Reproduce.Compute;

namespace Reproduce.LinearProgramming;

/// <summary>Presolve for general LPs: repeatedly removes empty rows (checking 0 ∈ [rowLower, rowUpper]), free rows,
/// singleton rows (turned into bounds on their column), fixed columns (moved into the row bounds and the objective)
/// and empty columns (set to the bound their cost prefers), then dominated singleton columns
/// (<see cref="DominatedSingletonColumns"/>), columns whose reduced cost has one sign over every dual feasible point
/// (<see cref="DualDominatedColumns"/>) and the rules again. <see cref="Postsolve"/> maps a solution of the reduced
/// problem back: removed columns get their fixed value; a singleton row's dual is the reduced cost of its column
/// when the bound it implied is active, otherwise 0. Infeasibility found here (an empty row that cannot be
/// satisfied, crossing bounds, a row whose activity range over the column bounds misses its bounds) is reported with
/// the reason.</summary>
internal sealed class LpPresolve
{
    private const double Tol = 1e-9;
    private readonly LpProblem _p;
    private readonly double[] _rl, _ru, _l, _u;
    private readonly bool[] _rowOn, _colOn;
    private readonly int[] _rowCount, _colCount;
    private readonly double[] _xFixed;
    private readonly List<(int Row, int Col, double A, bool LowerFromRow, bool UpperFromRow)> _singletons = [];
    private readonly int[] _cp, _ci; private readonly double[] _cv; // A by columns

    /// <summary>Why the problem is infeasible (null when presolve found no contradiction).</summary>
    public string? Infeasible { get; private set; }
    /// <summary>Why the problem is dual infeasible (an empty column whose cost pulls it to an infinite bound).</summary>
    public string? DualInfeasible { get; private set; }
    /// <summary>The reduced problem (null when every row and column was removed or presolve proved infeasibility).</summary>
    public LpProblem? Reduced { get; private set; }
    /// <summary>Kept rows and columns (reduced index → original index).</summary>
    public int[] KeptRows { get; private set; } = [];
    /// <summary>Kept columns.</summary>
    public int[] KeptCols { get; private set; } = [];
    /// <summary>Rows and columns removed.</summary>
    public (int Rows, int Cols) Removed { get; private set; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public LpPresolve(LpProblem p)
    {
        _p = p;
        int m = p.RowCount, n = p.ColumnCount;
        _rl = (double[])p.RowLower.Clone(); _ru = (double[])p.RowUpper.Clone();
        _l = (double[])p.ColLower.Clone(); _u = (double[])p.ColUpper.Clone();
        _rowOn = Enumerable.Repeat(true, m).ToArray(); _colOn = Enumerable.Repeat(true, n).ToArray();
        _rowCount = new int[m]; _colCount = new int[n]; _xFixed = new double[n];
        (_cp, _ci, _cv) = Columns(p.A);
        for (int i = 0; i < m; i++)
            for (int k = p.A.RowPtr[i]; k < p.A.RowPtr[i + 1]; k++) if (p.A.Values[k] != 0) { _rowCount[i]++; _colCount[p.A.ColIdx[k]]++; }
        Run();
    }

    private bool _columnsTaken;

    /// <summary>When presolve removed nothing (<see cref="Reduced"/> is the problem itself): A by columns, built here
    /// anyway, for the solver to own and scale in place instead of building it again (on the 500 × 200,000 wide LP a
    /// second copy cost ~20 ms, most of it the page faults of 5.6 MB of fresh arrays). Null otherwise; at most once,
    /// and <see cref="Postsolve"/> (never needed then) refuses afterwards.</summary>
    internal (int[] Ptr, int[] Idx, double[] Val)? TakeColumnsOfUnchangedProblem()
    {
        if (!ReferenceEquals(Reduced, _p) || _columnsTaken) return null;
        _columnsTaken = true;
        return (_cp, _ci, _cv);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static (int[] Ptr, int[] Idx, double[] Val) Columns(SparseMatrix a)
    {
        var ptr = new int[a.Cols + 1];
        for (int k = 0; k < a.Nnz; k++) ptr[a.ColIdx[k] + 1]++;
        for (int j = 0; j < a.Cols; j++) ptr[j + 1] += ptr[j];
        var next = (int[])ptr.Clone(); var idx = new int[a.Nnz]; var val = new double[a.Nnz];
        for (int i = 0; i < a.Rows; i++)
            for (int k = a.RowPtr[i]; k < a.RowPtr[i + 1]; k++) { int q = next[a.ColIdx[k]]++; idx[q] = i; val[q] = a.Values[k]; }
        return (ptr, idx, val);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Run()
    {
        var p = _p; int m = p.RowCount, n = p.ColumnCount;
        bool changed = true;
        // The simple rules until nothing changes; then dominated singleton columns (they need the column counts
        // settled), and the simple rules again on what those removals changed.
        while (changed && Infeasible is null)
        {
            changed = false;
            for (int i = 0; i < m && Infeasible is null; i++)
            {
                if (!_rowOn[i]) continue;
                if (double.IsNegativeInfinity(_rl[i]) && double.IsPositiveInfinity(_ru[i])) { DropRow(i); changed = true; continue; }
                if (_rowCount[i] == 0)
                {
                    if (_rl[i] > Tol * (1 + Math.Abs(_rl[i])) || _ru[i] < -Tol * (1 + Math.Abs(_ru[i])))
                        Infeasible = $"row '{p.RowNames[i]}' has no nonzeros but bounds [{_rl[i]}, {_ru[i]}] exclude 0";
                    DropRow(i); changed = true; continue;
                }
                if (_rowCount[i] == 1) { Singleton(i); changed = true; }
            }
            for (int j = 0; j < n && Infeasible is null; j++)
            {
                if (!_colOn[j]) continue;
                if (_l[j] == _u[j]) { Fix(j, _l[j]); changed = true; continue; }
                if (_colCount[j] == 0)
                {
                    double c = p.C[j], v;
                    if (c > 0) v = _l[j]; else if (c < 0) v = _u[j]; else v = Math.Min(Math.Max(0, _l[j]), _u[j]);
                    if (double.IsInfinity(v)) { DualInfeasible ??= $"column '{p.ColumnNames[j]}' appears in no row and its cost {c} pulls it to an infinite bound"; v = c > 0 ? Math.Min(0, _u[j]) : Math.Max(0, _l[j]); if (double.IsInfinity(v)) v = 0; }
                    Fix(j, v); changed = true;
                }
            }
            // Which columns are singletons of which row changes only when a row goes (fixing a column leaves the others'
            // remaining entries as they are), so the pass runs again only after a row was dropped since its last run.
            if (!changed && Infeasible is null && _rowsDropped != _rowsDroppedAtLastSingletonPass)
            {
                _rowsDroppedAtLastSingletonPass = _rowsDropped;
                long t0 = LpTrace.Now(), f0 = LpTrace.Faults();
                int fixedCount = DominatedSingletonColumns();
                if (LpTrace.Enabled) Console.Error.WriteLine($"presolve: {fixedCount} dominated singleton columns fixed {LpTrace.Since(t0, f0)}");
                t0 = LpTrace.Now(); f0 = LpTrace.Faults();
                int dualFixed = DualDominatedColumns();
                DualDominatedCount += dualFixed;
                changed = fixedCount + dualFixed > 0;
                if (LpTrace.Enabled) Console.Error.WriteLine($"presolve: {dualFixed} columns fixed by dual bounds {LpTrace.Since(t0, f0)}");
            }
        }
        if (Infeasible is null) ActivityBounds();
        KeptRows = Enumerable.Range(0, m).Where(i => _rowOn[i]).ToArray();
        KeptCols = Enumerable.Range(0, n).Where(j => _colOn[j]).ToArray();
        Removed = (m - KeptRows.Length, n - KeptCols.Length);
        if (Infeasible is not null || KeptCols.Length == 0) return;
        // Nothing removed means no bound changed either (bounds move only when a singleton row or a fixed column
        // goes): the problem itself is the reduced one, without rebuilding A.
        if (Removed == (0, 0)) { Reduced = p; return; }
        long tr = LpTrace.Now(), fr = LpTrace.Faults();
        var colMap = new int[n]; Array.Fill(colMap, -1);
        for (int c = 0; c < KeptCols.Length; c++) colMap[KeptCols[c]] = c;
        // The reduced A straight into CSR: kept rows in order, each row's kept entries in their (sorted) column order.
        var ptr = new int[KeptRows.Length + 1];
        for (int r = 0; r < KeptRows.Length; r++)
        {
            int i = KeptRows[r], count = 0;
            for (int k = p.A.RowPtr[i]; k < p.A.RowPtr[i + 1]; k++) if (colMap[p.A.ColIdx[k]] >= 0 && p.A.Values[k] != 0) count++;
            ptr[r + 1] = ptr[r] + count;
        }
        var idx = new int[ptr[^1]]; var val = new double[ptr[^1]];
        for (int r = 0, q = 0; r < KeptRows.Length; r++)
        {
            int i = KeptRows[r];
            for (int k = p.A.RowPtr[i]; k < p.A.RowPtr[i + 1]; k++)
            {
                int c = colMap[p.A.ColIdx[k]];
                if (c >= 0 && p.A.Values[k] != 0) { idx[q] = c; val[q] = p.A.Values[k]; q++; }
            }
        }
        double offset = p.ObjectiveOffset;
        for (int j = 0; j < n; j++) if (!_colOn[j]) offset += p.C[j] * _xFixed[j];
        Reduced = new LpProblem(KeptCols.Select(j => p.C[j]).ToArray(), new SparseMatrix(KeptRows.Length, KeptCols.Length, ptr, idx, val),
            KeptRows.Select(i => _rl[i]).ToArray(), KeptRows.Select(i => _ru[i]).ToArray(),
            KeptCols.Select(j => _l[j]).ToArray(), KeptCols.Select(j => _u[j]).ToArray(), p.ProblemName, objectiveOffset: offset);
        if (LpTrace.Enabled) Console.Error.WriteLine($"presolve: reduced problem built {LpTrace.Since(tr, fr)}");
    }

    /// <summary>A row whose activity range over the column bounds, [Σ min(aⱼlⱼ, aⱼuⱼ), Σ max(aⱼlⱼ, aⱼuⱼ)], misses its
    /// bounds cannot be satisfied: the row with multiplier ±1 is a Farkas certificate. Reported when the miss exceeds
    /// the presolve tolerance relative to the size of the activity terms, Tol·(1 + Σ|aⱼ·bound| + |row bound|), far
    /// above the rounding of the sums (≈ 1e-16 of the same), so a feasible row is never reported; a smaller miss is
    /// left to the IPM and phase 1's checked bound.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one pass over A, at full speed from the first call (11 ms at tier 0 on the wide LP)
    private void ActivityBounds()
    {
        int[] rowPtr = _p.A.RowPtr, colIdx = _p.A.ColIdx; double[] values = _p.A.Values;
        bool[] colOn = _colOn; double[] l = _l, u = _u;
        for (int i = 0; i < _p.RowCount && Infeasible is null; i++)
        {
            if (!_rowOn[i]) continue;
            double lo = 0, hi = 0, size = 0;
            for (int k = rowPtr[i]; k < rowPtr[i + 1]; k++)
            {
                int j = colIdx[k]; double a = values[k];
                if (!colOn[j] || a == 0) continue;
                double tl = a > 0 ? a * l[j] : a * u[j], th = a > 0 ? a * u[j] : a * l[j];
                lo += tl; hi += th;
                if (double.IsFinite(tl)) size += Math.Abs(tl);
                if (double.IsFinite(th)) size += Math.Abs(th);
            }
            if (double.IsFinite(hi) && double.IsFinite(_rl[i]) && _rl[i] - hi > Tol * (1 + size + Math.Abs(_rl[i])))
                Infeasible = string.Create(Inv, $"row '{_p.RowNames[i]}' cannot be satisfied: its largest activity over the column bounds is {hi:R}, below its lower bound {_rl[i]:R}");
            else if (double.IsFinite(lo) && double.IsFinite(_ru[i]) && lo - _ru[i] > Tol * (1 + size + Math.Abs(_ru[i])))
                Infeasible = string.Create(Inv, $"row '{_p.RowNames[i]}' cannot be satisfied: its least activity over the column bounds is {lo:R}, above its upper bound {_ru[i]:R}");
        }
    }

    private static readonly System.Globalization.CultureInfo Inv = System.Globalization.CultureInfo.InvariantCulture;

    /// <summary>Dominated singleton columns, the singleton case of dominated parallel columns (a reduction of CLP's
    /// presolve and of Andersen &amp; Andersen, "Presolving in linear programming", 1995). Columns j and k with their only
    /// remaining entry in the same row i and of the same sign are parallel, a_k = λ a_j with λ = a_ik/a_ij &gt; 0. When x_j
    /// has no upper bound, any solution with x_k above a finite lower bound l_k stays feasible after moving that excess
    /// into x_j (x_j += λ (x_k − l_k), x_k = l_k: row i sees the same activity, x_j only grows), and the cost changes by
    /// (λ c_j − c_k)(x_k − l_k). So when c_k ≥ λ c_j, that is c_k/a_ik ≥ c_j/a_ij for a positive entry (≤ for a negative
    /// one), some optimum has x_k = l_k, and x_k is fixed there. Each (row, sign) keeps its best column with no upper bound
    /// and fixes every other column with a finite lower bound whose ratio is no better (ties included). The IPM
    /// benchmark's wide LP has about 73,000 such columns among its 200,000. Postsolve needs nothing more: the reduced cost
    /// c_k − a_ik y_i = (c_k − λ c_j) + λ (c_j − a_ij y_i) is ≥ 0 when the reduced problem's is.
    /// <para>Two passes in column order (the first finds each (row, sign)'s best column, the second fixes the dominated
    /// ones): column-by-column random access through hash chains cost about 60 ms on the wide LP. The general rule for
    /// parallel columns of several entries was tried too: it fixed 134 columns of Netlib's greenbeb correctly (CLP finds
    /// the same optimum for the reduced problem) but this IPM then stopped with NumericalTrouble on it, so it is not
    /// applied.</para> Returns the number of columns fixed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int DominatedSingletonColumns()
    {
        var p = _p; int n = p.ColumnCount, m = p.RowCount;
        var best = new int[2 * m]; Array.Fill(best, -1);        // (row, sign) → best column, slot 2i + (σ > 0 ? 1 : 0)
        var bestRatio = new double[2 * m];
        var slotOf = new int[n]; var ratio = new double[n];
        for (int j = 0; j < n; j++)
        {
            slotOf[j] = -1;
            if (!_colOn[j] || _colCount[j] != 1) continue;
            var (row, a) = OnlyEntry(j);
            if (row < 0) continue;
            int slot = 2 * row + (a > 0 ? 1 : 0);
            slotOf[j] = slot;
            ratio[j] = (a > 0 ? 1 : -1) * p.C[j] / a;   // smaller is better for both signs
            if (double.IsPositiveInfinity(_u[j]) && (best[slot] < 0 || ratio[j] < bestRatio[slot])) { best[slot] = j; bestRatio[slot] = ratio[j]; }
        }
        int count = 0;
        for (int j = 0; j < n; j++)
        {
            int slot = slotOf[j];
            if (slot < 0 || best[slot] < 0 || best[slot] == j || !double.IsFinite(_l[j]) || ratio[j] < bestRatio[slot]) continue;
            Fix(j, _l[j]); count++;
        }
        return count;
    }

    /// <summary>Columns fixed by <see cref="DualDominatedColumns"/> (all passes).</summary>
    internal int DualDominatedCount { get; private set; }

    /// <summary><para>Dominated columns (Andersen &amp; Andersen, "Presolving in linear programming", 1995, §3; CLP's presolve
    /// does the same in its dual pass). Every dual feasible point of min cᵀx, rl ≤ Ax ≤ ru, l ≤ x ≤ u satisfies bounds on
    /// each row's multiplier y_i that can be read off single constraints of the dual:</para>
    /// <list type="bullet">
    /// <item>a row with no lower bound has y_i ≤ 0, one with no upper bound y_i ≥ 0;</item>
    /// <item>a column j whose only remaining entry a is in row i has reduced cost c_j − a·y_i, which must be ≥ 0 when
    /// u_j = ∞ (so a·y_i ≤ c_j) and ≤ 0 when l_j = −∞ (so a·y_i ≥ c_j): a bound on y_i of the side a's sign gives.</item>
    /// </list>
    /// <para>Over that box the reduced cost c_k − Σ a_ik y_i of any column k ranges over an interval [dmin, dmax] computed
    /// term by term. When dmin &gt; 0, every dual feasible point has a positive reduced cost on column k, so by complementary
    /// slackness every optimum has x_k = l_k, and x_k is fixed there (dmax &lt; 0: at u_k). The inequality must be
    /// strict: min 0 s.t. x = 1, x ≥ 0 has the box y ≤ 0 and dmin = 0, and fixing x at 0 would make it infeasible. So
    /// dmin must exceed Tol times the size of its terms, far above their rounding. The columns that define the box are
    /// never fixed by it (their own dmin is 0), so the box still holds for the reduced problem, and postsolve needs
    /// nothing more: the reduced problem's duals give column k the reduced cost c_k − a_kᵀy ≥ dmin &gt; 0 (up to the
    /// solver's tolerance). A column the box would push to an infinite bound is left alone: then no dual feasible
    /// point exists, and the IPM reports why. A problem without an optimum keeps its status: moving x_k to its bound
    /// changes the activity of each of its rows in the direction that row's side of the box allows, and the singleton or
    /// the one-sided row bound that gave that side absorbs the change (a singleton with an infinite bound that way, or a
    /// row with no bound that way), so a feasible problem stays feasible; and the reduced problem's dual feasible points
    /// are the original's (they lie in the box, where column k's own dual constraint holds).</para>
    /// <para>On the IPM benchmark's wide LP (500 × 200,000, N(0,1) entries, c = Aᵀy⁰ + s⁰) each row has about 70 singleton
    /// columns of each sign, which pin y_i to within about ±0.2 of y⁰_i, and the rule fixes most of the columns the
    /// singleton rule left: CLP's presolve keeps 24,187 of that LP's 200,000 columns.</para>
    /// Returns the number of columns fixed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int DualDominatedColumns()
    {
        var p = _p; int n = p.ColumnCount, m = p.RowCount;
        var ylo = new double[m]; var yhi = new double[m];
        for (int i = 0; i < m; i++)
        {
            ylo[i] = double.IsPositiveInfinity(_ru[i]) ? 0 : double.NegativeInfinity;
            yhi[i] = double.IsNegativeInfinity(_rl[i]) ? 0 : double.PositiveInfinity;
        }
        int[] cp = _cp, ci = _ci; double[] cv = _cv, c = p.C, l = _l, u = _u;
        bool[] rowOn = _rowOn, colOn = _colOn;
        for (int j = 0; j < n; j++)
        {
            if (!colOn[j] || _colCount[j] != 1) continue;
            var (row, a) = OnlyEntry(j);
            if (row < 0) continue;
            double bound = c[j] / a;
            // u = ∞: a·y ≤ c; l = −∞: a·y ≥ c. Dividing by a < 0 turns the inequality.
            if (double.IsPositiveInfinity(u[j])) { if (a > 0) yhi[row] = Math.Min(yhi[row], bound); else ylo[row] = Math.Max(ylo[row], bound); }
            if (double.IsNegativeInfinity(l[j])) { if (a > 0) ylo[row] = Math.Max(ylo[row], bound); else yhi[row] = Math.Min(yhi[row], bound); }
        }
        var toFix = new List<(int Col, double Value)>();
        for (int j = 0; j < n; j++)
        {
            if (!colOn[j]) continue;
            // dmin = c − Σ max(a·ylo, a·yhi), dmax = c − Σ min(a·ylo, a·yhi); size: the magnitudes of the finite terms.
            double dmin = c[j], dmax = c[j], size = Math.Abs(c[j]);
            for (int k = cp[j]; k < cp[j + 1]; k++)
            {
                int i = ci[k]; double a = cv[k];
                if (!rowOn[i] || a == 0) continue;
                double t1 = a * ylo[i], t2 = a * yhi[i];
                double hi = a > 0 ? t2 : t1, lo = a > 0 ? t1 : t2;
                dmin -= hi; dmax -= lo;
                if (double.IsFinite(hi)) size += Math.Abs(hi);
                if (double.IsFinite(lo)) size += Math.Abs(lo);
            }
            double margin = Tol * (1 + size);
            if (dmin > margin && double.IsFinite(l[j])) toFix.Add((j, l[j]));
            else if (dmax < -margin && double.IsFinite(u[j])) toFix.Add((j, u[j]));
        }
        // Fixed after the scan: Fix changes no column count, but the box must come from the columns as they were.
        foreach (var (j, v) in toFix) Fix(j, v);
        return toFix.Count;
    }

    /// <summary>The remaining entry (row, value) of singleton column j: its first nonzero in a row still in the problem;
    /// row −1 when there is none.</summary>
    private (int Row, double A) OnlyEntry(int j)
    {
        for (int k = _cp[j]; k < _cp[j + 1]; k++) if (_rowOn[_ci[k]] && _cv[k] != 0) return (_ci[k], _cv[k]);
        return (-1, 0);
    }

    private int _rowsDropped, _rowsDroppedAtLastSingletonPass = -1;

    private void DropRow(int i)
    {
        _rowOn[i] = false; _rowsDropped++;
        for (int k = _p.A.RowPtr[i]; k < _p.A.RowPtr[i + 1]; k++) if (_p.A.Values[k] != 0 && _colOn[_p.A.ColIdx[k]]) _colCount[_p.A.ColIdx[k]]--;
    }

    private void Singleton(int i)
    {
        int j = -1; double a = 0;
        for (int k = _p.A.RowPtr[i]; k < _p.A.RowPtr[i + 1]; k++)
            if (_p.A.Values[k] != 0 && _colOn[_p.A.ColIdx[k]]) { j = _p.A.ColIdx[k]; a = _p.A.Values[k]; }
        double lo = a > 0 ? _rl[i] / a : _ru[i] / a, hi = a > 0 ? _ru[i] / a : _rl[i] / a;
        bool lowerFromRow = lo > _l[j], upperFromRow = hi < _u[j];
        if (lowerFromRow) _l[j] = lo;
        if (upperFromRow) _u[j] = hi;
        if (_l[j] > _u[j])
        {
            double scale = 1 + Math.Max(Math.Abs(_l[j]), Math.Abs(_u[j]));
            if (_l[j] - _u[j] > Tol * scale) { Infeasible = $"row '{_p.RowNames[i]}' bounds column '{_p.ColumnNames[j]}' to [{_l[j]}, {_u[j]}] (empty)"; return; }
            double mid = 0.5 * (_l[j] + _u[j]); _l[j] = mid; _u[j] = mid;
        }
        _singletons.Add((i, j, a, lowerFromRow, upperFromRow));
        DropRow(i);
    }

    private void Fix(int j, double v)
    {
        _colOn[j] = false; _xFixed[j] = v;
        for (int k = _cp[j]; k < _cp[j + 1]; k++)
        {
            int i = _ci[k];
            if (!_rowOn[i] || _cv[k] == 0) continue;
            _rl[i] -= _cv[k] * v; _ru[i] -= _cv[k] * v; _rowCount[i]--;
        }
    }

    /// <summary>Maps a reduced solution (x, y) to the original problem's x, y and reduced costs s = c − Aᵀy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public (double[] X, double[] Y, double[] S) Postsolve(double[] xr, double[] yr)
    {
        if (_columnsTaken) throw new InvalidOperationException("LpPresolve.Postsolve: A's columns were handed to the solver (internal error: nothing was removed, so there is nothing to postsolve).");
        var p = _p; int m = p.RowCount, n = p.ColumnCount;
        var x = (double[])_xFixed.Clone(); var y = new double[m];
        for (int c = 0; c < KeptCols.Length; c++) x[KeptCols[c]] = xr[c];
        for (int r = 0; r < KeptRows.Length; r++) y[KeptRows[r]] = yr[r];
        // Singleton rows in reverse order of removal: the row carries the column's reduced cost when its bound is active.
        for (int t = _singletons.Count - 1; t >= 0; t--)
        {
            var (i, j, a, lf, uf) = _singletons[t];
            double s = p.C[j];
            for (int k = _cp[j]; k < _cp[j + 1]; k++) s -= _cv[k] * y[_ci[k]];
            double scale = 1 + Math.Abs(x[j]);
            bool atLower = lf && Math.Abs(x[j] - _l[j]) <= 1e-7 * scale && s > 0;
            bool atUpper = uf && Math.Abs(x[j] - _u[j]) <= 1e-7 * scale && s < 0;
            if (atLower || atUpper || (lf && uf && _l[j] == _u[j])) y[i] += s / a;
        }
        var sOut = (double[])p.C.Clone();
        for (int j = 0; j < n; j++)
            for (int k = _cp[j]; k < _cp[j + 1]; k++) sOut[j] -= _cv[k] * y[_ci[k]];
        return (x, y, sOut);
    }
}
