using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Reproduce.Compute;

namespace Reproduce.LinearProgramming;

/// <summary>Sparse supernodal Cholesky factorization of the IPM normal matrix M = A Θ Aᵀ + δI for a fixed sparsity
/// pattern of A (m×n, given column-wise).
/// <para>Analysis, once per solve: an approximate minimum-degree ordering on the quotient graph of A Aᵀ
/// (<see cref="ApproximateMinimumDegree"/>, O(nnz) memory, so problems of any row count factor) and the symbolic
/// factor from the elimination tree (a pattern holding at least <see cref="DenseAnalysisAbove"/> of all row pairs, or
/// whose factor under that ordering holds that fraction of the full triangle, is taken as complete instead: one dense
/// block, see the constructor). The elimination tree is then postordered
/// (an equivalent ordering: the same fill) so that columns with nested structure are consecutive, and consecutive
/// columns j, j+1 with struct(L_j) = {j+1} ∪ struct(L_{j+1}) form a supernode stored as one dense column-major
/// block (Liu, Ng and Peyton, "On finding supernodes for sparse matrix computations", 1993).</para>
/// <para>Each iteration: M is assembled straight into the blocks through a precomputed position map (one
/// multiply-add per pair of nonzeros in a column of A), then factored left-looking by supernodes: every descendant
/// block that touches a supernode's columns contributes one dense product L_d L_dᵀ (the managed GEMM) scattered into
/// it, then the supernode's own columns are factored densely (Ng and Peyton, "Block sparse Cholesky algorithms on
/// advanced uniprocessor computers", 1993). A pivot that is not positive and above 1e-30 of the largest diagonal is
/// replaced by 1e128, which makes that component of the solution zero (Wright, "Modified Cholesky factorizations in
/// interior-point algorithms", 1999): the standard regularization of near-singular pivots when A is rank deficient
/// or Θ spans many orders of magnitude.</para></summary>
internal sealed class NormalCholesky
{
    private const int GemmWork = 4096; // q·w·k below which the update runs in the plain loop, not the packed GEMM

    private readonly int _m, _ns;
    private readonly int[] _perm;              // new → old
    private readonly int[] _sFirst;            // supernode s owns columns [_sFirst[s], _sFirst[s+1])
    private readonly int[] _sRowPtr, _sRows;   // rows of s (new numbering): its own columns first, then the rest, sorted
    private readonly int[] _sValPtr;           // start of s's dense block (column-major, rows × columns) in _lx
    private readonly int[] _colSuper;          // column → supernode
    private readonly double[] _lx;
    private readonly int[] _colPtr;            // A's column pointers: the pairs of column j follow those of column j − 1
    private readonly int[] _pairPos;           // per pair (a, b ≥ a) of nonzeros of a column, in column order: its entry of L
    private readonly int[] _diagPos;           // position of L[k,k] in _lx
    private readonly double[] _val;
    private readonly int[] _head, _next, _first; // left-looking lists: descendants waiting for each supernode
    private readonly int[] _relMap;
    private double[] _work = [];
    private readonly double[] _z;

    /// <summary>Number of stored entries of L (the dense blocks' lower trapezoids).</summary>
    public long FactorNonzeros { get; }
    /// <summary>Number of supernodes.</summary>
    public int Supernodes => _ns;
    /// <summary>Columns and rows of each supernode (rows &gt; columns: rows below the diagonal block), for tests.</summary>
    internal IEnumerable<(int Columns, int Rows)> SupernodeShapes =>
        Enumerable.Range(0, _ns).Select(s => (_sFirst[s + 1] - _sFirst[s], _sRowPtr[s + 1] - _sRowPtr[s]));
    /// <summary>Pivots replaced in the last factorization.</summary>
    public int ReplacedPivots { get; private set; }

    /// <summary>Analyses the pattern of A (CSC: colPtr, rowIdx, values; values are read at each <see cref="Factor"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public NormalCholesky(int m, int n, int[] colPtr, int[] rowIdx, double[] values)
    {
        _m = m; _val = values; _colPtr = colPtr;
        long sw = LpTrace.Now(), f0 = LpTrace.Faults();
        var (adjPtr, adjIdx) = ApproximateMinimumDegree.NormalPattern(m, n, colPtr, rowIdx);
        if (LpTrace.Enabled) Console.Error.WriteLine($"  pattern {LpTrace.Since(sw, f0)}");
        // A nearly complete graph is analysed as a complete one, without AMD and the symbolic pass (tens of ms on the wide
        // LP's 500 × 500 normal matrix, 91 % of whose row pairs share a column). The factor of any ordering has at least
        // the graph's edges below its diagonal, so with a fraction ρ ≥ DenseAnalysisAbove of all pairs present the full
        // triangle stores at most 1/ρ ≤ 1.25 times the entries of the best ordering; it is one block (LAPACK when OpenBLAS loads).
        double density = m < 2 ? 1 : adjIdx.LongLength / ((double)m * (m - 1));
        if (LpTrace.Enabled) Console.Error.WriteLine($"  pattern density {density:F3}");
        var (order, structs, parent) = density >= DenseAnalysisAbove ? DenseAnalysis(m) : SparseAnalysis(m, adjPtr, adjIdx, sw, f0);
        // A sparser graph can still fill in nearly completely under the ordering (random columns of two or three rows do:
        // the wide LP after presolve has 52 % of the pairs and a factor with 97 % of the triangle). Its fundamental
        // supernodes are then many small blocks in front of one large one, and factoring them cost about 2.5 times the
        // single LAPACK block. The same bound decides: the full triangle stores at most 1/DenseAnalysisAbove times the
        // entries of this ordering's factor.
        if (density < DenseAnalysisAbove && FillFraction(structs, m) >= DenseAnalysisAbove) (order, structs, parent) = DenseAnalysis(m);
        // Postorder the elimination tree and relabel: k → post position.
        var post = Postorder(parent);
        var newOf = new int[m];
        for (int t = 0; t < m; t++) newOf[post[t]] = t;
        _perm = new int[m];
        var st = new int[m][];
        for (int t = 0; t < m; t++)
        {
            _perm[t] = order[post[t]];
            var rows = structs[post[t]];
            for (int u = 0; u < rows.Length; u++) rows[u] = newOf[rows[u]];
            Array.Sort(rows);
            st[t] = rows;
        }
        // Fundamental supernodes: j+1 continues j's supernode when struct(j) = {j+1} ∪ struct(j+1).
        var firsts = new List<int> { 0 };
        for (int j = 0; j + 1 < m; j++)
            if (!(st[j].Length == st[j + 1].Length + 1 && st[j][0] == j + 1)) firsts.Add(j + 1);
        if (m == 0) firsts.Clear();
        firsts.Add(m);
        _sFirst = firsts.ToArray();
        _ns = _sFirst.Length - 1;
        _colSuper = new int[m];
        _sRowPtr = new int[_ns + 1]; _sValPtr = new int[_ns + 1];
        long rowsTotal = 0, valsTotal = 0;
        for (int s = 0; s < _ns; s++)
        {
            int f = _sFirst[s], l = _sFirst[s + 1], nc = l - f, nr = nc + st[l - 1].Length;
            for (int j = f; j < l; j++) _colSuper[j] = s;
            rowsTotal += nr; valsTotal += (long)nr * nc;
        }
        if (valsTotal > int.MaxValue / 2) throw new InvalidOperationException($"NormalCholesky: the factor needs {valsTotal} entries; the problem is too large for the sparse normal-equations path.");
        _sRows = new int[rowsTotal]; _lx = new double[valsTotal];
        _diagPos = new int[m];
        long fnz = 0;
        for (int s = 0; s < _ns; s++)
        {
            int f = _sFirst[s], l = _sFirst[s + 1], nc = l - f;
            var tail = st[l - 1];
            int nr = nc + tail.Length;
            _sRowPtr[s + 1] = _sRowPtr[s] + nr;
            _sValPtr[s + 1] = _sValPtr[s] + nr * nc;
            int p = _sRowPtr[s];
            for (int j = f; j < l; j++) _sRows[p++] = j;
            tail.CopyTo(_sRows, p);
            for (int c = 0; c < nc; c++) { _diagPos[f + c] = _sValPtr[s] + c * nr + c; fnz += nr - c; }
        }
        FactorNonzeros = fnz;
        // Position map: every pair (a, b) of nonzeros of a column of A lands on one entry of L's lower triangle.
        // In a supernode whose rows are just its own columns (nr = nc: a root block with nothing below, such as the
        // single dense 500 × 500 block of the wide LP) the position is arithmetic. The other pairs are bucketed by
        // target supernode so that each bucket is resolved through one row → position map of its supernode
        // (O(pairs + nnz(L)) in all; a binary search per pair cost more than the whole factorization on the
        // 500 × 200,000 LP of the IPM benchmark). Factor walks the pairs in the same order, column by column.
        long pairs = 0;
        for (int j = 0; j < n; j++) { long c = colPtr[j + 1] - colPtr[j]; pairs += c * (c + 1) / 2; }
        if (pairs > int.MaxValue / 2) throw new InvalidOperationException($"NormalCholesky: A Aᵀ assembly needs {pairs} products; the columns of A are too dense for the sparse normal-equations path.");
        _pairPos = new int[pairs];
        var iperm = new int[m];
        for (int k = 0; k < m; k++) iperm[_perm[k]] = k;
        var bucketPtr = new int[_ns + 1];
        int deferred = 0;
        for (int j = 0, q = 0; j < n; j++)
            for (int a = colPtr[j]; a < colPtr[j + 1]; a++)
                for (int b = a; b < colPtr[j + 1]; b++, q++)
                {
                    int ra = iperm[rowIdx[a]], rb = iperm[rowIdx[b]], lo = Math.Min(ra, rb), hi = Math.Max(ra, rb);
                    int sn = _colSuper[lo], f = _sFirst[sn], nc = _sFirst[sn + 1] - f, nr = _sRowPtr[sn + 1] - _sRowPtr[sn];
                    if (nr == nc)
                    {
                        if (hi >= f + nc) throw new InvalidOperationException("NormalCholesky: symbolic factor misses an entry of A Aᵀ (internal error).");
                        _pairPos[q] = _sValPtr[sn] + (lo - f) * nr + (hi - f);
                    }
                    else { _pairPos[q] = -1; bucketPtr[sn + 1]++; deferred++; }
                }
        if (deferred > 0)
        {
            for (int sn = 0; sn < _ns; sn++) bucketPtr[sn + 1] += bucketPtr[sn];
            var fillAt = (int[])bucketPtr.Clone();
            var bucketQ = new int[deferred]; var bucketLo = new int[deferred]; var bucketHi = new int[deferred];
            for (int j = 0, q = 0; j < n; j++)
                for (int a = colPtr[j]; a < colPtr[j + 1]; a++)
                    for (int b = a; b < colPtr[j + 1]; b++, q++)
                    {
                        if (_pairPos[q] >= 0) continue;
                        int ra = iperm[rowIdx[a]], rb = iperm[rowIdx[b]], lo = Math.Min(ra, rb);
                        int u = fillAt[_colSuper[lo]]++;
                        bucketQ[u] = q; bucketLo[u] = lo; bucketHi[u] = Math.Max(ra, rb);
                    }
            var rowPos = new int[m];
            for (int sn = 0; sn < _ns; sn++)
            {
                int r0 = _sRowPtr[sn], nr = _sRowPtr[sn + 1] - r0;
                for (int t = 0; t < nr; t++) rowPos[_sRows[r0 + t]] = -1 - t; // negative: row present in sn
                for (int u = bucketPtr[sn]; u < bucketPtr[sn + 1]; u++)
                {
                    int pos = rowPos[bucketHi[u]];
                    if (pos >= 0) throw new InvalidOperationException("NormalCholesky: symbolic factor misses an entry of A Aᵀ (internal error).");
                    _pairPos[bucketQ[u]] = _sValPtr[sn] + (bucketLo[u] - _sFirst[sn]) * nr + (-1 - pos);
                }
                for (int t = 0; t < nr; t++) rowPos[_sRows[r0 + t]] = 0;
            }
        }
        if (LpTrace.Enabled) Console.Error.WriteLine($"  pairs {LpTrace.Since(sw, f0)}");
        _head = new int[_ns]; _next = new int[_ns]; _first = new int[_ns]; _relMap = new int[m]; _z = new double[m];
    }

    /// <summary>Keep a copy of the assembled A Θ Aᵀ (without δI and pivot replacement) at each <see cref="Factor"/>,
    /// for <see cref="MultiplyAssembled"/>. Costs one array of <see cref="FactorNonzeros"/> entries.</summary>
    public bool KeepAssembled { get; set; }
    private double[]? _mx;
    private double[] _w = [];

    /// <summary>y = A Θ Aᵀ x with the Θ of the last <see cref="Factor"/> (needs <see cref="KeepAssembled"/>), from the
    /// stored lower triangle: 2·nnz(L) multiply-adds, fewer than the 4·nnz(A) of going through A when the factor has
    /// fewer entries than A (a wide A whose normal matrix is small and dense).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MultiplyAssembled(double[] x, double[] y)
    {
        var mx = _mx ?? throw new InvalidOperationException("NormalCholesky.MultiplyAssembled needs KeepAssembled = true before Factor.");
        var rows = _sRows; var z = _z;
        if (_w.Length < _m) _w = new double[_m];
        var w = _w;
        for (int k = 0; k < _m; k++) { z[k] = x[_perm[k]]; w[k] = 0; }
        for (int s = 0; s < _ns; s++)
        {
            int f = _sFirst[s], nc = _sFirst[s + 1] - f, r0 = _sRowPtr[s], nr = _sRowPtr[s + 1] - r0, b0 = _sValPtr[s];
            if (UseNative(nc))
            {
                var (bx, by) = BelowBuffers(nr - nc);
                for (int t = nc; t < nr; t++) bx[t - nc] = z[rows[r0 + t]];
                OpenBlasCpuBackend.MultiplyPanel(mx, b0, nr, nc, z, f, w, f, bx, by);
                for (int t = nc; t < nr; t++) w[rows[r0 + t]] += by[t - nc];
                continue;
            }
            for (int c = 0; c < nc; c++)
            {
                int col = b0 + c * nr, j = f + c;
                double xj = z[j], acc = mx[col + c] * xj;
                for (int t = c + 1; t < nr; t++)
                {
                    int r = rows[r0 + t]; double v = mx[col + t];
                    acc += v * z[r]; w[r] += v * xj;
                }
                w[j] += acc;
            }
        }
        for (int k = 0; k < _m; k++) y[_perm[k]] = w[k];
    }

    /// <summary>Assembles A Θ Aᵀ + δI and factors it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Factor(double[] theta, double delta)
    {
        var lx = _lx; var val = _val; var cp = _colPtr; var pos = _pairPos;
        Array.Clear(lx);
        for (int j = 0, q = 0; j < theta.Length; j++)
        {
            double t = theta[j];
            int k0 = cp[j], k1 = cp[j + 1];
            if (t == 0) { q += (int)((long)(k1 - k0) * (k1 - k0 + 1) / 2); continue; }
            for (int a = k0; a < k1; a++)
            {
                double ta = t * val[a];
                for (int b = a; b < k1; b++) lx[pos[q++]] += ta * val[b];
            }
        }
        if (KeepAssembled) { _mx ??= new double[lx.Length]; Array.Copy(lx, _mx, lx.Length); }
        double maxDiag = 0;
        for (int k = 0; k < _m; k++) { lx[_diagPos[k]] += delta; maxDiag = Math.Max(maxDiag, lx[_diagPos[k]]); }
        FactorInPlace(Math.Max(maxDiag, 1e-300) * 1e-30);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void FactorInPlace(double tiny)
    {
        var lx = _lx; var rowsAll = _sRows; var relMap = _relMap;
        Array.Fill(_head, -1);
        ReplacedPivots = 0;
        for (int s = 0; s < _ns; s++)
        {
            int f = _sFirst[s], nc = _sFirst[s + 1] - f, r0 = _sRowPtr[s], nr = _sRowPtr[s + 1] - r0, b0 = _sValPtr[s];
            for (int t = 0; t < nr; t++) relMap[rowsAll[r0 + t]] = t;
            int d = _head[s];
            while (d >= 0)
            {
                int nextD = _next[d];
                int dr0 = _sRowPtr[d], dnr = _sRowPtr[d + 1] - dr0, dnc = _sFirst[d + 1] - _sFirst[d], db0 = _sValPtr[d];
                int p1 = _first[d], p2 = p1;
                while (p2 < dnr && rowsAll[dr0 + p2] < f + nc) p2++;
                int q = dnr - p1, w = p2 - p1;
                // W (q × w) = L_d[p1:, :] · L_d[p1:p2, :]ᵀ, lower trapezoid only; subtracted from s through relMap.
                if (_work.Length < q * w) _work = new double[Math.Max(q * w, 2 * _work.Length)];
                var wk = _work;
                if ((long)q * w * dnc < GemmWork) SmallUpdate(lx, db0 + p1, dnr, q, w, dnc, wk);
                else ManagedGemm.Run(false, true, q, w, dnc, 1.0, lx, db0 + p1, dnr, lx, db0 + p1, dnr, 0.0, wk, 0, q, 1, lowerOnly: true);
                for (int c = 0; c < w; c++)
                {
                    int col = b0 + (rowsAll[dr0 + p1 + c] - f) * nr, wc = c * q;
                    for (int r = c; r < q; r++) lx[col + relMap[rowsAll[dr0 + p1 + r]]] -= wk[wc + r];
                }
                _first[d] = p2;
                if (p2 < dnr) { int ss = _colSuper[rowsAll[dr0 + p2]]; _next[d] = _head[ss]; _head[ss] = d; }
                d = nextD;
            }
            ReplacedPivots += UseNative(nc) ? FactorBlockNative(lx, b0, nr, nc, tiny) : FactorBlock(lx, b0, nr, nc, tiny);
            if (nr > nc) { _first[s] = nc; int ss = _colSuper[rowsAll[r0 + nc]]; _next[s] = _head[ss]; _head[ss] = s; }
        }
    }

    /// <summary>W[r + c·q] = Σₖ L[r, k]·L[c, k] for c ≤ r, with L the q × k block at lx[off], leading dimension ld.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SmallUpdate(double[] lx, int off, int ld, int q, int w, int k, double[] wk)
    {
        for (int c = 0; c < w; c++)
        {
            int wc = c * q;
            for (int r = c; r < q; r++) wk[wc + r] = 0;
            for (int t = 0; t < k; t++)
            {
                int colT = off + t * ld;
                double a = lx[colT + c];
                if (a == 0) continue;
                for (int r = c; r < q; r++) wk[wc + r] += lx[colT + r] * a;
            }
        }
    }

    /// <summary>Supernodes with at least this many columns are factored by LAPACK (dpotrf + dtrsm) when OpenBLAS is
    /// loaded: the 500 × 500 dense normal matrix of the wide LP is one such block, and LAPACK's blocked factorization is
    /// faster than the managed column loop.</summary>
    private const int NativeMinColumns = 64;

    /// <summary>OpenBLAS is used unless REPRODUCE_BLAS asks for the managed or reference backend (the same switch as
    /// <see cref="CpuBackendSelector"/>) or it does not load.</summary>
    private static readonly bool NativePanels =
        Environment.GetEnvironmentVariable(CpuBackendSelector.Variable)?.Trim().ToLowerInvariant() is null or "" or "auto" or "openblas" or "native"
        && OpenBlasNative.TryLoad(out _) is not null;

    private double[] _panelCopy = [];
    private double[] _belowX = [], _belowY = [];

    /// <summary>Whether a supernode of <paramref name="nc"/> columns goes through OpenBLAS (factor, solves and products
    /// alike): a dense block's triangular solve and symmetric product in BLAS level 2 are several times faster than
    /// the indexed managed loops, which run once or more per direction (the wide LP's normal matrix is one such block).</summary>
    private static bool UseNative(int nc) => nc >= NativeMinColumns && NativePanels;

    private (double[] X, double[] Y) BelowBuffers(int length)
    {
        if (_belowX.Length < length) { _belowX = new double[length]; _belowY = new double[length]; }
        return (_belowX, _belowY);
    }

    /// <summary><see cref="FactorBlock"/> through LAPACK. The panel is copied first: when a pivot is not above
    /// <paramref name="tiny"/> (dpotrf stops there, or it passed a tiny positive one) the copy is restored and the
    /// managed loop factors it with its pivot replacement, so the result never depends on LAPACK's partial output.</summary>
    private int FactorBlockNative(double[] lx, int b0, int nr, int nc, double tiny)
    {
        int size = nr * nc;
        if (_panelCopy.Length < size) _panelCopy = new double[size];
        Array.Copy(lx, b0, _panelCopy, 0, size);
        bool ok = OpenBlasCpuBackend.FactorPanel(lx, b0, nr, nc) == 0;
        for (int j = 0; ok && j < nc; j++)
        {
            double l = lx[b0 + j * nr + j];
            ok = double.IsFinite(l) && l * l > tiny;
        }
        if (ok) return 0;
        Array.Copy(_panelCopy, 0, lx, b0, size);
        return FactorBlock(lx, b0, nr, nc, tiny);
    }

    /// <summary>Dense left-looking Cholesky of one supernode's nr × nc block (diagonal block on top, rows below it
    /// divided by the transposed diagonal factor in the same sweep); returns the number of pivots replaced.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FactorBlock(double[] lx, int b0, int nr, int nc, double tiny)
    {
        int replaced = 0;
        var span = lx.AsSpan();
        for (int j = 0; j < nc; j++)
        {
            int cj = b0 + j * nr;
            int len = nr - j;
            var target = span.Slice(cj + j, len);
            for (int k = 0; k < j; k++)
            {
                int ck = b0 + k * nr;
                double a = lx[ck + j];
                if (a == 0) continue;
                Axpy(-a, span.Slice(ck + j, len), target);
            }
            double dj = lx[cj + j];
            double ljj;
            if (!(dj > tiny) || !double.IsFinite(dj)) { ljj = 1e64; replaced++; }
            else ljj = Math.Sqrt(dj);
            lx[cj + j] = ljj;
            double inv = 1 / ljj;
            for (int r = j + 1; r < nr; r++) lx[cj + r] *= inv;
        }
        return replaced;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy(double a, ReadOnlySpan<double> x, Span<double> y)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<double>.Count)
        {
            var va = new Vector<double>(a);
            var xv = MemoryMarshal.Cast<double, Vector<double>>(x);
            var yv = MemoryMarshal.Cast<double, Vector<double>>(y);
            for (int v = 0; v < xv.Length; v++) yv[v] += va * xv[v];
            i = xv.Length * Vector<double>.Count;
        }
        for (; i < x.Length; i++) y[i] += a * x[i];
    }

    /// <summary>Solves M x = r in place (r in original row order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Solve(double[] r)
    {
        var lx = _lx; var rows = _sRows; var z = _z;
        for (int k = 0; k < _m; k++) z[k] = r[_perm[k]];
        for (int s = 0; s < _ns; s++)
        {
            int f = _sFirst[s], nc = _sFirst[s + 1] - f, r0 = _sRowPtr[s], nr = _sRowPtr[s + 1] - r0, b0 = _sValPtr[s];
            if (UseNative(nc))
            {
                var (below, _) = BelowBuffers(nr - nc);
                OpenBlasCpuBackend.SolvePanel(lx, b0, nr, nc, z, f, below, transpose: false);
                for (int t = nc; t < nr; t++) z[rows[r0 + t]] -= below[t - nc];
                continue;
            }
            for (int c = 0; c < nc; c++)
            {
                int col = b0 + c * nr;
                double v = z[f + c] / lx[col + c]; z[f + c] = v;
                if (v == 0) continue;
                for (int t = c + 1; t < nr; t++) z[rows[r0 + t]] -= lx[col + t] * v;
            }
        }
        for (int s = _ns - 1; s >= 0; s--)
        {
            int f = _sFirst[s], nc = _sFirst[s + 1] - f, r0 = _sRowPtr[s], nr = _sRowPtr[s + 1] - r0, b0 = _sValPtr[s];
            if (UseNative(nc))
            {
                var (below, _) = BelowBuffers(nr - nc);
                for (int t = nc; t < nr; t++) below[t - nc] = z[rows[r0 + t]];
                OpenBlasCpuBackend.SolvePanel(lx, b0, nr, nc, z, f, below, transpose: true);
                continue;
            }
            for (int c = nc - 1; c >= 0; c--)
            {
                int col = b0 + c * nr;
                double v = z[f + c];
                for (int t = c + 1; t < nr; t++) v -= lx[col + t] * z[rows[r0 + t]];
                z[f + c] = v / lx[col + c];
            }
        }
        for (int k = 0; k < _m; k++) r[_perm[k]] = z[k];
    }

    /// <summary>The ordering (<see cref="ApproximateMinimumDegree"/>) and the symbolic factor of a sparse normal-matrix graph.</summary>
    private static (int[] Order, int[][] Structs, int[] Parent) SparseAnalysis(int m, int[] adjPtr, int[] adjIdx, long sw, long f0)
    {
        var order = ApproximateMinimumDegree.Order(m, adjPtr, adjIdx);
        if (LpTrace.Enabled) Console.Error.WriteLine($"  amd {LpTrace.Since(sw, f0)}");
        var (structs, parent) = ApproximateMinimumDegree.SymbolicFactor(m, adjPtr, adjIdx, order);
        if (LpTrace.Enabled) Console.Error.WriteLine($"  symbolic {LpTrace.Since(sw, f0)}");
        return (order, structs, parent);
    }

    /// <summary>nnz(L) of a symbolic factor (diagonal included) over the full triangle's m(m + 1)/2.</summary>
    private static double FillFraction(int[][] structs, int m)
    {
        long nnz = m;
        foreach (var rows in structs) nnz += rows.Length;
        return m == 0 ? 1 : nnz / ((double)m * (m + 1) / 2);  // in double: m(m + 1) overflows an int above 46,340 rows
    }

    /// <summary>Fraction of the m(m − 1) row pairs (or of the factor's full triangle, after the ordering) above which the
    /// normal matrix is analysed as dense (see the constructor).</summary>
    internal const double DenseAnalysisAbove = 0.8;

    /// <summary>The analysis of a complete normal-matrix graph (see the constructor): the identity order, column k holding
    /// rows k + 1 … m − 1, parent k + 1; one supernode.</summary>
    private static (int[] Order, int[][] Structs, int[] Parent) DenseAnalysis(int m)
    {
        var order = new int[m]; var structs = new int[m][]; var parent = new int[m];
        for (int k = 0; k < m; k++)
        {
            order[k] = k;
            var rows = new int[m - 1 - k];
            for (int t = 0; t < rows.Length; t++) rows[t] = k + 1 + t;
            structs[k] = rows;
            parent[k] = k + 1 < m ? k + 1 : -1;
        }
        return (order, structs, parent);
    }

    /// <summary>Postorder of the forest given by <paramref name="parent"/> (−1 at roots), children visited in
    /// increasing index order; returns post position → node.</summary>
    private static int[] Postorder(int[] parent)
    {
        int m = parent.Length;
        var head = new int[m]; var next = new int[m];
        Array.Fill(head, -1);
        for (int j = m - 1; j >= 0; j--) if (parent[j] >= 0) { next[j] = head[parent[j]]; head[parent[j]] = j; }
        var post = new int[m]; var stack = new int[m];
        int k = 0;
        for (int root = 0; root < m; root++)
        {
            if (parent[root] >= 0) continue;
            int top = 0; stack[0] = root;
            while (top >= 0)
            {
                int p = stack[top], c = head[p];
                if (c == -1) { top--; post[k++] = p; }
                else { head[p] = next[c]; stack[++top] = c; }
            }
        }
        return post;
    }

    /// <summary>Exact minimum-degree ordering of the graph of A Aᵀ on the explicit elimination graph (bit-set
    /// adjacency, O(m²) bits: the factorization uses <see cref="ApproximateMinimumDegree"/>; this one is kept as the
    /// reference the tests compare its fill with). Returns the order (new → old) and, per eliminated node, its
    /// neighbours at elimination (old numbering), which are the off-diagonal rows of its column of L. Ties go to the
    /// lowest index, so the result is deterministic.</summary>
    internal static (int[] Order, int[][] Columns) ExactMinimumDegree(int m, int n, int[] colPtr, int[] rowIdx)
    {
        int words = (m + 63) >> 6;
        if ((long)m * words > 400_000_000L / 8) throw new InvalidOperationException($"NormalCholesky: {m} rows are too many for the bit-set minimum-degree ordering; use a smaller problem or the sketched solvers.");
        var adj = new ulong[(long)m * words];
        for (int j = 0; j < n; j++)
            for (int a = colPtr[j]; a < colPtr[j + 1]; a++)
            {
                int ra = rowIdx[a];
                for (int b = colPtr[j]; b < colPtr[j + 1]; b++)
                {
                    int rb = rowIdx[b];
                    if (ra != rb) adj[(long)ra * words + (rb >> 6)] |= 1UL << (rb & 63);
                }
            }
        var degree = new int[m];
        for (int i = 0; i < m; i++) degree[i] = PopCount(adj, (long)i * words, words);
        var done = new bool[m];
        var order = new int[m]; var cols = new int[m][];
        var nb = new List<int>();
        var mask = new ulong[words];
        for (int k = 0; k < m; k++)
        {
            int v = -1, best = int.MaxValue;
            for (int i = 0; i < m; i++) if (!done[i] && degree[i] < best) { best = degree[i]; v = i; }
            done[v] = true; order[k] = v;
            nb.Clear();
            long bv = (long)v * words;
            for (int w = 0; w < words; w++)
            {
                ulong x = adj[bv + w];
                mask[w] = x;
                while (x != 0) { int t = BitOperations.TrailingZeroCount(x); nb.Add((w << 6) + t); x &= x - 1; }
            }
            cols[k] = nb.ToArray();
            // Neighbours become a clique; v leaves the graph.
            foreach (int u in nb)
            {
                long bu = (long)u * words;
                for (int w = 0; w < words; w++) adj[bu + w] |= mask[w];
                adj[bu + (u >> 6)] &= ~(1UL << (u & 63));
                adj[bu + (v >> 6)] &= ~(1UL << (v & 63));
                degree[u] = PopCount(adj, bu, words);
            }
        }
        return (order, cols);
    }

    private static int PopCount(ulong[] a, long start, int words)
    {
        int c = 0;
        for (int w = 0; w < words; w++) c += BitOperations.PopCount(a[start + w]);
        return c;
    }
}
