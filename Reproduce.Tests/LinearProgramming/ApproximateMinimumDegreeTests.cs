using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>A fact skipped, with the reason, when ../shared/netlib is absent.</summary>
public sealed class NetlibFactAttribute : FactAttribute
{
    public NetlibFactAttribute() { if (NetlibSet.Folder is null) Skip = NetlibSet.MissingReason; }
}

/// <summary>The approximate minimum-degree ordering and the symbolic factor built from it, against brute force on tiny
/// graphs and against the exact minimum-degree ordering (explicit elimination graph) on Netlib.</summary>
public class ApproximateMinimumDegreeTests
{
    /// <summary>For every ordering (random ones and AMD's), the symbolic factor's column k equals the neighbours of the
    /// k-th node among the not yet eliminated ones when the graph is eliminated node by node with its neighbours
    /// turned into a clique (the definition of fill, on a dense boolean matrix).</summary>
    [Theory]
    [InlineData(1, 1, 0.0)]
    [InlineData(2, 5, 0.4)]
    [InlineData(3, 8, 0.2)]
    [InlineData(4, 10, 0.5)]
    [InlineData(5, 12, 0.15)]
    [InlineData(6, 16, 0.1)]
    [InlineData(7, 16, 0.8)]
    public void SymbolicFactorEqualsEliminationGraph(int seed, int m, double density)
    {
        var rng = new Rng((ulong)seed);
        for (int trial = 0; trial < 20; trial++)
        {
            var (cp, ri) = RandomPattern(rng, m, 2 * m, density);
            var (ptr, idx) = ApproximateMinimumDegree.NormalPattern(m, 2 * m, cp, ri);
            var amd = ApproximateMinimumDegree.Order(m, ptr, idx);
            Assert.Equal(Enumerable.Range(0, m), amd.OrderBy(v => v));
            var random = Enumerable.Range(0, m).OrderBy(_ => rng.Uniform()).ToArray();
            foreach (var order in new[] { amd, random })
            {
                var (cols, parent) = ApproximateMinimumDegree.SymbolicFactor(m, ptr, idx, order);
                var expected = BruteForce(m, cp, ri, order);
                for (int k = 0; k < m; k++)
                {
                    Assert.Equal(expected[k], cols[k]);
                    Assert.Equal(expected[k].Length > 0 ? expected[k][0] : -1, parent[k]);
                }
            }
        }
    }

    /// <summary>On a path graph, eliminating from either end creates no fill: minimum degree must find such an order
    /// (every column of L has at most one off-diagonal entry). A degree-based ordering that broke would show here
    /// before it showed on Netlib.</summary>
    [Fact]
    public void PathGraphHasNoFill()
    {
        int m = 200;
        var cp = new int[m]; var ri = new List<int>();
        for (int j = 0; j + 1 < m; j++) { ri.Add(j); ri.Add(j + 1); cp[j + 1] = ri.Count; }
        var (ptr, idx) = ApproximateMinimumDegree.NormalPattern(m, m - 1, cp, ri.ToArray());
        var order = ApproximateMinimumDegree.Order(m, ptr, idx);
        var (cols, _) = ApproximateMinimumDegree.SymbolicFactor(m, ptr, idx, order);
        Assert.All(cols, c => Assert.True(c.Length <= 1));
    }

    /// <summary>AMD's fill against the exact minimum degree of the explicit elimination graph, over the Netlib
    /// development set (the pattern of A Aᵀ of each file as read). Amestoy, Davis and Duff (1996) report AMD's fill
    /// within a few percent of multiple minimum degree's on their test set, either way; 1.10 × the exact ordering's
    /// total over the set allows for that and for different tie-breaking.</summary>
    [NetlibFact]
    [Trait("Category", "Slow")]
    public void FillComparableToExactMinimumDegreeOnNetlib()
    {
        long amdTotal = 0, exactTotal = 0;
        var lines = new List<string>();
        foreach (var p in NetlibSet.Problems())
        {
            var lp = MpsReader.ReadFile(p.Path);
            var (cp, ri, _) = LpPresolve.Columns(lp.A);
            int m = lp.RowCount, n = lp.ColumnCount;
            var (ptr, idx) = ApproximateMinimumDegree.NormalPattern(m, n, cp, ri);
            var order = ApproximateMinimumDegree.Order(m, ptr, idx);
            var (cols, _) = ApproximateMinimumDegree.SymbolicFactor(m, ptr, idx, order);
            long amd = cols.Sum(c => (long)c.Length);
            var (_, exactCols) = NormalCholesky.ExactMinimumDegree(m, n, cp, ri);
            long exact = exactCols.Sum(c => (long)c.Length);
            amdTotal += amd; exactTotal += exact;
            lines.Add($"{p.Name}: AMD {amd}, exact MD {exact}");
        }
        Assert.True(amdTotal <= 1.10 * exactTotal, $"AMD fill {amdTotal} vs exact minimum degree {exactTotal}:\n{string.Join("\n", lines)}");
    }

    /// <summary>A 250 × 241 grid (60,250 rows, beyond the ~56k rows the bit-set ordering refused): the factorization
    /// analyses and factors it, and the solve's residual is at the level of a backward-stable Cholesky
    /// (‖r − M x‖∞ within 1e-9 of max (|M| |x|), against a bound of about (column count of L)·ε ≈ 1e-13).</summary>
    [Fact]
    public void LargeGridFactors()
    {
        int w = 250, h = 241, m = w * h;
        var cp = new List<int> { 0 }; var ri = new List<int>(); var av = new List<double>();
        var rng = new Rng(11);
        void Col(params int[] rows) { foreach (int r in rows) { ri.Add(r); av.Add(rng.Normal()); } cp.Add(ri.Count); }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                Col(i);
                if (x + 1 < w) Col(i, i + 1);
                if (y + 1 < h) Col(i, i + w);
            }
        int n = cp.Count - 1;
        var (cpa, ria, ava) = (cp.ToArray(), ri.ToArray(), av.ToArray());
        var chol = new NormalCholesky(m, n, cpa, ria, ava);
        var theta = new double[n];
        for (int j = 0; j < n; j++) theta[j] = Math.Pow(10, 2 * rng.Uniform() - 1);
        chol.Factor(theta, 0);
        Assert.Equal(0, chol.ReplacedPivots);
        var r = new double[m];
        for (int i = 0; i < m; i++) r[i] = rng.Normal();
        var xs = (double[])r.Clone();
        chol.Solve(xs);
        // M x and |M| |x| through the columns of A.
        var mx = new double[m]; var absMx = new double[m];
        for (int j = 0; j < n; j++)
        {
            double s = 0, sa = 0;
            for (int k = cpa[j]; k < cpa[j + 1]; k++) { s += ava[k] * xs[ria[k]]; sa += Math.Abs(ava[k] * xs[ria[k]]); }
            for (int k = cpa[j]; k < cpa[j + 1]; k++) { mx[ria[k]] += theta[j] * ava[k] * s; absMx[ria[k]] += theta[j] * Math.Abs(ava[k]) * sa; }
        }
        double res = 0, scale = 0;
        for (int i = 0; i < m; i++) { res = Math.Max(res, Math.Abs(r[i] - mx[i])); scale = Math.Max(scale, absMx[i]); }
        Assert.True(res <= 1e-9 * scale, $"residual {res:E2} vs max(|M||x|) {scale:E2}");
    }

    private static (int[] Cp, int[] Ri) RandomPattern(Rng rng, int m, int n, double density)
    {
        var cp = new int[n + 1]; var ri = new List<int>();
        for (int j = 0; j < n; j++)
        {
            for (int i = 0; i < m; i++) if (rng.Uniform() < density) ri.Add(i);
            cp[j + 1] = ri.Count;
        }
        return (cp, ri.ToArray());
    }

    /// <summary>Fill by definition: a dense boolean graph of A Aᵀ, nodes eliminated in order, neighbours made a clique.
    /// Returns, per position k, the positions of the k-th node's remaining neighbours, sorted.</summary>
    private static int[][] BruteForce(int m, int[] cp, int[] ri, int[] order)
    {
        var g = new bool[m, m];
        for (int j = 0; j + 1 < cp.Length; j++)
            for (int a = cp[j]; a < cp[j + 1]; a++)
                for (int b = cp[j]; b < cp[j + 1]; b++) if (ri[a] != ri[b]) g[ri[a], ri[b]] = true;
        var pos = new int[m];
        for (int k = 0; k < m; k++) pos[order[k]] = k;
        var done = new bool[m];
        var result = new int[m][];
        for (int k = 0; k < m; k++)
        {
            int v = order[k];
            var nb = Enumerable.Range(0, m).Where(u => !done[u] && u != v && g[v, u]).ToArray();
            foreach (int a in nb) foreach (int b in nb) if (a != b) g[a, b] = true;
            done[v] = true;
            result[k] = nb.Select(u => pos[u]).OrderBy(x => x).ToArray();
        }
        return result;
    }
}
