namespace Reproduce.LinearProgramming;

/// <summary>Sparse Cholesky factorization of the IPM normal matrix M = A Θ Aᵀ + δI for a fixed sparsity pattern of A
/// (m×n, given column-wise). Analysis, once: a minimum-degree ordering computed on the explicit elimination graph
/// (bit-set rows, so eliminating a node is |N(v)| word-parallel ORs); the neighbours of each node when it is
/// eliminated are exactly the rows of its column of L, so the ordering also gives the symbolic factor. Each
/// iteration: M is assembled straight into L's storage through a precomputed position map (one multiply-add per
/// pair of nonzeros in a column of A), then factored left-looking column by column. A pivot that is not
/// positive and above 1e-30 of the largest diagonal is replaced by 1e128, which makes that component of the
/// solution zero (Wright, "Modified Cholesky factorizations in interior-point algorithms", 1999): the standard
/// regularization of near-singular pivots when A is rank deficient or Θ spans many orders of magnitude.</summary>
internal sealed class NormalCholesky
{
    private readonly int _m;
    private readonly int[] _perm, _iperm;      // new → old, old → new
    private readonly int[] _lp, _li;           // L column pointers and row indices (new numbering, diagonal first, sorted)
    private readonly double[] _lx;
    private readonly long[] _pairPtr;          // per column j of A: range in _pairPos/_pairA/_pairB
    private readonly int[] _pairPos, _pairA, _pairB;
    private readonly int[] _colPtr; private readonly double[] _val;
    private readonly int[] _link, _first;      // left-looking linked lists
    private readonly double[] _w;

    /// <summary>Number of nonzeros of L.</summary>
    public long FactorNonzeros => _lp[_m];
    /// <summary>Pivots replaced in the last factorization.</summary>
    public int ReplacedPivots { get; private set; }

    /// <summary>Analyses the pattern of A (CSC: colPtr, rowIdx, values; values are read at each <see cref="Factor"/>).</summary>
    public NormalCholesky(int m, int n, int[] colPtr, int[] rowIdx, double[] values)
    {
        _m = m; _colPtr = colPtr; _val = values;
        (_perm, var colsOld) = MinimumDegree(m, n, colPtr, rowIdx);
        _iperm = new int[m];
        for (int k = 0; k < m; k++) _iperm[_perm[k]] = k;
        _lp = new int[m + 1];
        for (int k = 0; k < m; k++) _lp[k + 1] = _lp[k] + 1 + colsOld[k].Length;
        _li = new int[_lp[m]]; _lx = new double[_lp[m]];
        for (int k = 0; k < m; k++)
        {
            int p = _lp[k]; _li[p++] = k;
            var rows = colsOld[k];
            for (int t = 0; t < rows.Length; t++) rows[t] = _iperm[rows[t]];
            Array.Sort(rows);
            rows.CopyTo(_li, p);
        }
        // Position map: every pair (a, b) of nonzeros of a column of A lands on one entry of L's lower triangle.
        long pairs = 0;
        for (int j = 0; j < n; j++) { long c = colPtr[j + 1] - colPtr[j]; pairs += c * (c + 1) / 2; }
        if (pairs > int.MaxValue / 2) throw new InvalidOperationException($"NormalCholesky: A Aᵀ assembly needs {pairs} products; the columns of A are too dense for the sparse normal-equations path.");
        _pairPtr = new long[n + 1]; _pairPos = new int[pairs]; _pairA = new int[pairs]; _pairB = new int[pairs];
        long q = 0;
        for (int j = 0; j < n; j++)
        {
            for (int a = colPtr[j]; a < colPtr[j + 1]; a++)
                for (int b = a; b < colPtr[j + 1]; b++)
                {
                    int ra = _iperm[rowIdx[a]], rb = _iperm[rowIdx[b]];
                    int col = Math.Min(ra, rb), row = Math.Max(ra, rb);
                    int pos = Array.BinarySearch(_li, _lp[col], _lp[col + 1] - _lp[col], row);
                    if (pos < 0) throw new InvalidOperationException("NormalCholesky: symbolic factor misses an entry of A Aᵀ (internal error).");
                    _pairPos[q] = pos; _pairA[q] = a; _pairB[q] = b; q++;
                }
            _pairPtr[j + 1] = q;
        }
        _link = new int[m]; _first = new int[m]; _w = new double[m];
    }

    /// <summary>Assembles A Θ Aᵀ + δI and factors it.</summary>
    public void Factor(double[] theta, double delta)
    {
        var lx = _lx; var val = _val;
        Array.Clear(lx);
        for (int j = 0; j < theta.Length; j++)
        {
            double t = theta[j];
            if (t == 0) continue;
            for (long q = _pairPtr[j]; q < _pairPtr[j + 1]; q++) lx[_pairPos[q]] += t * val[_pairA[q]] * val[_pairB[q]];
        }
        double maxDiag = 0;
        for (int k = 0; k < _m; k++) { lx[_lp[k]] += delta; maxDiag = Math.Max(maxDiag, lx[_lp[k]]); }
        FactorInPlace(Math.Max(maxDiag, 1e-300) * 1e-30);
    }

    private void FactorInPlace(double tiny)
    {
        int m = _m; var lp = _lp; var li = _li; var lx = _lx; var w = _w; var link = _link; var first = _first;
        Array.Fill(link, -1);
        ReplacedPivots = 0;
        for (int k = 0; k < m; k++)
        {
            // Scatter column k of M (stored in L's slots) into w.
            for (int p = lp[k]; p < lp[k + 1]; p++) w[li[p]] = lx[p];
            // Update with every earlier column j that has a nonzero in row k.
            int j = link[k];
            while (j >= 0)
            {
                int next = link[j];
                int f = first[j];
                double ljk = lx[f];
                int end = lp[j + 1];
                for (int p = f; p < end; p++) w[li[p]] -= lx[p] * ljk;
                // Move column j to the list of its next row.
                first[j] = f + 1;
                if (f + 1 < end) { int r = li[f + 1]; link[j] = link[r]; link[r] = j; }
                j = next;
            }
            double d = w[k];
            double lkk;
            if (!(d > tiny) || !double.IsFinite(d)) { lkk = 1e64; ReplacedPivots++; }
            else lkk = Math.Sqrt(d);
            lx[lp[k]] = lkk; w[k] = 0;
            double inv = 1 / lkk;
            for (int p = lp[k] + 1; p < lp[k + 1]; p++) { int i = li[p]; lx[p] = w[i] * inv; w[i] = 0; }
            if (lp[k] + 1 < lp[k + 1]) { first[k] = lp[k] + 1; int r = li[lp[k] + 1]; link[k] = link[r]; link[r] = k; }
        }
    }

    /// <summary>Solves M x = r in place (r in original row order).</summary>
    public void Solve(double[] r)
    {
        int m = _m; var lp = _lp; var li = _li; var lx = _lx;
        var z = new double[m];
        for (int k = 0; k < m; k++) z[k] = r[_perm[k]];
        for (int k = 0; k < m; k++)
        {
            double v = z[k] / lx[lp[k]]; z[k] = v;
            if (v == 0) continue;
            for (int p = lp[k] + 1; p < lp[k + 1]; p++) z[li[p]] -= lx[p] * v;
        }
        for (int k = m - 1; k >= 0; k--)
        {
            double v = z[k];
            for (int p = lp[k] + 1; p < lp[k + 1]; p++) v -= lx[p] * z[li[p]];
            z[k] = v / lx[lp[k]];
        }
        for (int k = 0; k < m; k++) r[_perm[k]] = z[k];
    }

    /// <summary>Minimum-degree ordering of the graph of A Aᵀ on the explicit elimination graph (bit-set adjacency).
    /// Returns the order (new → old) and, per eliminated node, its neighbours at elimination (old numbering), which
    /// are the off-diagonal rows of its column of L. Ties go to the lowest index, so the result is deterministic.</summary>
    private static (int[] Order, int[][] Columns) MinimumDegree(int m, int n, int[] colPtr, int[] rowIdx)
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
                while (x != 0) { int t = System.Numerics.BitOperations.TrailingZeroCount(x); nb.Add((w << 6) + t); x &= x - 1; }
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
        for (int w = 0; w < words; w++) c += System.Numerics.BitOperations.PopCount(a[start + w]);
        return c;
    }
}
