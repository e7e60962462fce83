using System.Runtime.CompilerServices;
namespace Reproduce.LinearProgramming;

/// <summary>Approximate minimum degree ordering (Amestoy, Davis and Duff, "An approximate minimum degree ordering
/// algorithm", SIAM J. Matrix Anal. Appl. 17, 1996) on the quotient graph: an eliminated node becomes an element whose
/// variable list stands for the clique it created, so memory stays O(nnz) instead of the explicit elimination graph's
/// O(m²) bits. Elements adjacent to the pivot are absorbed into the new one; an element whose variables all lie in
/// the new one is absorbed too (aggressive absorption); indistinguishable variables are merged into supervariables
/// and leave together (mass elimination); degrees are AMD's upper bounds
/// d(i) ≤ min(d_old(i) + |Lp \ i|, |Ai \ i| + |Lp \ i| + Σ_{e ∈ Ei \ p} |Le \ Lp|), all weighted by supervariable size.
/// The ordering only decides the fill; <see cref="SymbolicFactor"/> computes the factor's pattern from it exactly.</summary>
internal static class ApproximateMinimumDegree
{
    /// <summary>The pattern of A Aᵀ without its diagonal (CSR, old numbering) for A of m rows given column-wise.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int[] Ptr, int[] Idx) NormalPattern(int m, int n, int[] colPtr, int[] rowIdx)
    {
        // Rows → columns (transpose of the pattern), then each row's neighbours through its columns, deduplicated.
        var rp = new int[m + 1];
        for (int k = 0; k < colPtr[n]; k++) rp[rowIdx[k] + 1]++;
        for (int i = 0; i < m; i++) rp[i + 1] += rp[i];
        var rc = new int[colPtr[n]]; var fill = (int[])rp.Clone();
        for (int j = 0; j < n; j++) for (int k = colPtr[j]; k < colPtr[j + 1]; k++) rc[fill[rowIdx[k]]++] = j;
        var mark = new int[m]; Array.Fill(mark, -1);
        var ptr = new int[m + 1]; var idx = new List<int>();
        for (int i = 0; i < m; i++)
        {
            mark[i] = i;
            for (int t = rp[i]; t < rp[i + 1]; t++)
            {
                int j = rc[t];
                for (int k = colPtr[j]; k < colPtr[j + 1]; k++) { int r = rowIdx[k]; if (mark[r] != i) { mark[r] = i; idx.Add(r); } }
            }
            ptr[i + 1] = idx.Count;
        }
        return (ptr, idx.ToArray());
    }

    /// <summary>The ordering (new position → old node) of the symmetric pattern (CSR without diagonal).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int[] Order(int m, int[] adjPtr, int[] adjIdx)
    {
        var vars = new List<int>?[m];     // variable neighbours of a variable (pruned as elements take them over)
        var elems = new List<int>?[m];    // elements adjacent to a variable
        var le = new List<int>?[m];       // an element's variables
        var nv = new int[m];              // supervariable size (0: merged into another)
        var isVar = new bool[m];
        var absorbed = new bool[m];       // an element absorbed into a later one
        var elemSize = new int[m];        // weighted |Le|, fixed while the element lives (its variables only merge)
        var degree = new int[m];
        var memberNext = new int[m]; var memberTail = new int[m]; // variables merged into a supervariable, in order
        var head = new int[m + 1]; var next = new int[m]; var prev = new int[m];
        Array.Fill(head, -1);
        for (int i = 0; i < m; i++)
        {
            vars[i] = new List<int>(adjIdx[adjPtr[i]..adjPtr[i + 1]]);
            elems[i] = [];
            nv[i] = 1; isVar[i] = true; degree[i] = adjPtr[i + 1] - adjPtr[i];
            memberNext[i] = -1; memberTail[i] = i;
            Insert(i);
        }
        var mark = new int[m]; var wStamp = new int[m]; var w = new int[m];
        int stamp = 0, wst = 0, minDeg = 0, k = 0;
        var order = new int[m];
        var lp = new List<int>();
        var byHash = new Dictionary<long, List<int>>();

        while (k < m)
        {
            while (head[minDeg] < 0) minDeg++;
            int p = head[minDeg];
            Remove(p);
            // Lp: the pivot's variable neighbours and the variables of the elements it touches (those are absorbed).
            stamp++; mark[p] = stamp; lp.Clear();
            foreach (int v in vars[p]!) if (isVar[v] && nv[v] > 0 && mark[v] != stamp) { mark[v] = stamp; lp.Add(v); }
            foreach (int e in elems[p]!)
            {
                if (absorbed[e]) continue;
                foreach (int v in le[e]!) if (isVar[v] && nv[v] > 0 && mark[v] != stamp) { mark[v] = stamp; lp.Add(v); }
                absorbed[e] = true; le[e] = null;
            }
            for (int v = p; v >= 0; v = memberNext[v]) order[k++] = v;
            isVar[p] = false; vars[p] = null; elems[p] = null;
            int lpSize = 0;
            foreach (int i in lp) { Remove(i); lpSize += nv[i]; }
            // The variables of Lp now reach each other through element p: drop those edges and the absorbed elements.
            foreach (int i in lp)
            {
                vars[i]!.RemoveAll(v => mark[v] == stamp || !isVar[v] || nv[v] == 0);
                elems[i]!.RemoveAll(e => absorbed[e]);
                elems[i]!.Add(p);
            }
            // Supervariables: equal (vars, elems) sets, found by hashing then compared exactly.
            byHash.Clear();
            foreach (int i in lp)
            {
                long h = 0;
                foreach (int v in vars[i]!) h += v + 1;
                foreach (int e in elems[i]!) h += (long)(e + 1) * 7919;
                h = h * 31 + vars[i]!.Count * 131 + elems[i]!.Count;
                if (!byHash.TryGetValue(h, out var group)) byHash[h] = group = [];
                group.Add(i);
            }
            foreach (var group in byHash.Values)
            {
                for (int a = 0; a < group.Count; a++)
                {
                    int i = group[a]; if (nv[i] == 0) continue;
                    for (int b = a + 1; b < group.Count; b++)
                    {
                        int j = group[b]; if (nv[j] == 0 || !SameAdjacency(vars[i]!, vars[j]!, elems[i]!, elems[j]!, mark, ref stamp)) continue;
                        nv[i] += nv[j]; nv[j] = 0; isVar[j] = false;
                        memberNext[memberTail[i]] = j; memberTail[i] = memberTail[j];
                        vars[j] = null; elems[j] = null;
                    }
                }
            }
            lp.RemoveAll(i => nv[i] == 0);
            le[p] = new List<int>(lp); elemSize[p] = lpSize;
            // |Le \ Lp| for every element next to Lp, then the approximate degrees.
            wst++;
            foreach (int i in lp)
                foreach (int e in elems[i]!)
                {
                    if (e == p || absorbed[e]) continue;
                    if (wStamp[e] != wst) { wStamp[e] = wst; w[e] = elemSize[e]; }
                    w[e] -= nv[i];
                }
            int remaining = m - k;
            foreach (int i in lp)
            {
                long ext = 0;
                foreach (int e in elems[i]!)
                {
                    if (e == p || absorbed[e]) continue;
                    if (w[e] <= 0) { absorbed[e] = true; le[e] = null; continue; } // Le ⊆ Lp: p stands for e
                    ext += w[e];
                }
                long av = 0;
                foreach (int v in vars[i]!) av += nv[v];
                long d = Math.Min((long)degree[i] + lpSize - nv[i], av + lpSize - nv[i] + ext);
                degree[i] = (int)Math.Max(0, Math.Min(d, remaining - nv[i]));
                Insert(i);
                if (degree[i] < minDeg) minDeg = degree[i];
            }
        }
        return order;

        void Insert(int i)
        {
            int d = degree[i];
            next[i] = head[d]; prev[i] = -1;
            if (head[d] >= 0) prev[head[d]] = i;
            head[d] = i;
        }

        void Remove(int i)
        {
            if (prev[i] >= 0) next[prev[i]] = next[i]; else head[degree[i]] = next[i];
            if (next[i] >= 0) prev[next[i]] = prev[i];
        }
    }

    private static bool SameAdjacency(List<int> vi, List<int> vj, List<int> ei, List<int> ej, int[] mark, ref int stamp)
    {
        if (vi.Count != vj.Count || ei.Count != ej.Count) return false;
        stamp++;
        foreach (int v in vi) mark[v] = stamp;
        foreach (int e in ei) mark[e] = stamp;
        foreach (int v in vj) if (mark[v] != stamp) return false;
        foreach (int e in ej) if (mark[e] != stamp) return false;
        return true;
    }

    /// <summary>The pattern of the Cholesky factor for the given ordering: column k (new numbering) holds the rows
    /// struct(L_k) = {i &gt; k adjacent to k} ∪ ⋃_{children c of k} struct(L_c) \ {k}, where the parent of a column is
    /// its first off-diagonal row (the elimination tree; Liu, "The role of elimination trees in sparse factorization",
    /// 1990). Returns the sorted off-diagonal rows of each column and the parent array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (int[][] Columns, int[] Parent) SymbolicFactor(int m, int[] adjPtr, int[] adjIdx, int[] order)
    {
        var inv = new int[m];
        for (int k = 0; k < m; k++) inv[order[k]] = k;
        var cols = new int[m][]; var parent = new int[m];
        var childHead = new int[m]; var childNext = new int[m];
        Array.Fill(childHead, -1);
        var mark = new int[m]; Array.Fill(mark, -1);
        var rows = new List<int>();
        for (int k = 0; k < m; k++)
        {
            rows.Clear(); mark[k] = k;
            int old = order[k];
            for (int t = adjPtr[old]; t < adjPtr[old + 1]; t++)
            {
                int r = inv[adjIdx[t]];
                if (r > k && mark[r] != k) { mark[r] = k; rows.Add(r); }
            }
            for (int c = childHead[k]; c >= 0; c = childNext[c])
                foreach (int r in cols[c]) if (mark[r] != k) { mark[r] = k; rows.Add(r); }
            var a = rows.ToArray();
            Array.Sort(a);
            cols[k] = a;
            parent[k] = a.Length > 0 ? a[0] : -1;
            if (a.Length > 0) { childNext[k] = childHead[a[0]]; childHead[a[0]] = k; }
        }
        return (cols, parent);
    }
}
