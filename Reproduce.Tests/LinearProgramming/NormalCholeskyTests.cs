using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>The supernodal normal-equations factorization against a dense Cholesky solve of the same
/// M = A Θ Aᵀ + δI (an independent method: no ordering, no supernodes, plain column-by-column factorization).</summary>
public class NormalCholeskyTests
{
    /// <summary>Random sparse A (density from a few entries per column to dense columns), random Θ over six orders of
    /// magnitude. M is symmetric positive definite with condition number well under 1e10 for these sizes, so
    /// both solves agree to ~κ·1e-16; 1e-7 relative leaves two orders of margin.</summary>
    [Theory]
    [InlineData(1, 1, 3, 0.5)]
    [InlineData(2, 12, 30, 0.15)]
    [InlineData(3, 40, 90, 0.05)]
    [InlineData(4, 60, 60, 0.3)]
    [InlineData(5, 80, 400, 0.02)]
    [InlineData(6, 150, 300, 0.01)]
    [InlineData(7, 300, 600, 0.02)]   // fills in to wide supernodes: the packed-GEMM update path
    [InlineData(8, 400, 250, 0.004)]  // more rows than columns: singular A Θ Aᵀ made definite by δ
    public void SolveMatchesDenseCholesky(int seed, int m, int n, double density)
    {
        var rng = new Rng((ulong)seed);
        var (cp, ri, av) = RandomColumns(rng, m, n, density);
        var theta = new double[n];
        for (int j = 0; j < n; j++) theta[j] = Math.Pow(10, 6 * rng.Uniform() - 3);
        const double delta = 1e-3;
        var chol = new NormalCholesky(m, n, cp, ri, av);
        chol.Factor(theta, delta);
        Assert.Equal(0, chol.ReplacedPivots);
        var dense = DenseNormal(m, n, cp, ri, av, theta, delta);
        var rhs = new double[m];
        for (int i = 0; i < m; i++) rhs[i] = rng.Normal();
        var x = (double[])rhs.Clone();
        chol.Solve(x);
        var expected = DenseSolve(dense, rhs);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < m; i++) Assert.True(Math.Abs(x[i] - expected[i]) <= 1e-7 * scale, $"row {i}: {x[i]} vs {expected[i]}");
        // Refactoring with new Θ reuses the analysis: the second factorization must not keep anything of the first.
        for (int j = 0; j < n; j++) theta[j] = Math.Pow(10, 4 * rng.Uniform() - 2);
        chol.Factor(theta, delta);
        dense = DenseNormal(m, n, cp, ri, av, theta, delta);
        x = (double[])rhs.Clone();
        chol.Solve(x);
        expected = DenseSolve(dense, rhs);
        scale = expected.Max(Math.Abs);
        for (int i = 0; i < m; i++) Assert.True(Math.Abs(x[i] - expected[i]) <= 1e-7 * scale, $"refactor, row {i}: {x[i]} vs {expected[i]}");
    }

    /// <summary>A duplicated row makes A Θ Aᵀ singular: with δ = 0 the second copy's pivot cancels to rounding level and
    /// must be replaced (component set to zero), and the solve of a consistent right-hand side still satisfies M x = r.</summary>
    /// <para>The second case is dense enough to form one supernode of more than 64 columns, which goes through LAPACK
    /// when OpenBLAS is loaded (REPRODUCE_BLAS=managed runs it through the managed loop).</para>
    [Theory]
    [InlineData(20, 50, 0.2)]
    [InlineData(100, 300, 0.6)]
    public void DependentRowPivotIsReplaced(int m0, int n, double density)
    {
        var rng = new Rng(7);
        var (cp0, ri0, av0) = RandomColumns(rng, m0, n, density);
        // Row m0 copies row 0.
        var cp = new int[n + 1]; var ri = new List<int>(); var av = new List<double>();
        for (int j = 0; j < n; j++)
        {
            for (int k = cp0[j]; k < cp0[j + 1]; k++) { ri.Add(ri0[k]); av.Add(av0[k]); }
            for (int k = cp0[j]; k < cp0[j + 1]; k++) if (ri0[k] == 0) { ri.Add(m0); av.Add(av0[k]); }
            cp[j + 1] = ri.Count;
        }
        int m = m0 + 1;
        var theta = Enumerable.Repeat(1.0, n).ToArray();
        var chol = new NormalCholesky(m, n, cp, ri.ToArray(), av.ToArray());
        chol.Factor(theta, 0);
        // In the small case the copy's pivot cancels exactly and is replaced; in the large one rounding may leave it
        // just above the replacement threshold (managed and LAPACK alike), and only the solve's contract is checked.
        if (m0 < 64) Assert.Equal(1, chol.ReplacedPivots);
        else Assert.InRange(chol.ReplacedPivots, 0, 1);
        // r = M v for a random v is consistent; the solution may differ from v but must reproduce r.
        var dense = DenseNormal(m, n, cp, ri.ToArray(), av.ToArray(), theta, 0);
        var v = Enumerable.Range(0, m).Select(_ => rng.Normal()).ToArray();
        var r = new double[m];
        for (int i = 0; i < m; i++) for (int k = 0; k < m; k++) r[i] += dense[i, k] * v[k];
        var x = (double[])r.Clone();
        chol.Solve(x);
        double rnorm = r.Max(Math.Abs);
        for (int i = 0; i < m; i++)
        {
            double mi = 0; for (int k = 0; k < m; k++) mi += dense[i, k] * x[k];
            Assert.True(Math.Abs(mi - r[i]) <= 1e-8 * rnorm, $"row {i}: (M x)ᵢ = {mi} vs rᵢ = {r[i]}");
        }
    }

    /// <summary>MultiplyAssembled (the stored A Θ Aᵀ of the last factorization, without δ) against the dense product
    /// formed entry by entry: the same sums in another order, so they agree to rounding (1e-12 of the largest term).</summary>
    [Theory]
    [InlineData(11, 40, 90, 0.05)]
    [InlineData(12, 120, 2000, 0.01)] // wide: the case the IPM uses it for
    public void MultiplyAssembledMatchesDenseProduct(int seed, int m, int n, double density)
    {
        var rng = new Rng((ulong)seed);
        var (cp, ri, av) = RandomColumns(rng, m, n, density);
        var theta = new double[n];
        for (int j = 0; j < n; j++) theta[j] = Math.Pow(10, 4 * rng.Uniform() - 2);
        var chol = new NormalCholesky(m, n, cp, ri, av) { KeepAssembled = true };
        chol.Factor(theta, 0.5);
        var dense = DenseNormal(m, n, cp, ri, av, theta, 0);
        var x = Enumerable.Range(0, m).Select(_ => rng.Normal()).ToArray();
        var y = new double[m];
        chol.MultiplyAssembled(x, y);
        for (int i = 0; i < m; i++)
        {
            double e = 0, mag = 0;
            for (int k = 0; k < m; k++) { e += dense[i, k] * x[k]; mag += Math.Abs(dense[i, k] * x[k]); }
            Assert.True(Math.Abs(y[i] - e) <= 1e-12 * Math.Max(mag, 1e-300), $"row {i}: {y[i]} vs {e}");
        }
    }

    /// <summary>Two cliques of 80 rows joined by a separator of 10: minimum degree eliminates one clique first, a
    /// supernode of 80 columns with the 10 separator rows below its diagonal block (the other clique and the separator
    /// form the root supernode). Supernodes that large go
    /// through OpenBLAS when it loads (factor, both triangular solves with the rows below scattered and gathered, and
    /// the stored product); both are compared with the dense solve and product, as above.</summary>
    [Fact]
    public void LargeSupernodesWithRowsBelowSolveAndMultiplyLikeDense()
    {
        var rng = new Rng(21);
        const int clique = 80, sep = 10, m = 2 * clique + sep, n = 400;
        var cp = new int[n + 1]; var ri = new List<int>(); var av = new List<double>();
        for (int j = 0; j < n; j++)
        {
            // Each column lies in one clique plus the separator; every row is hit by many columns.
            int first = j % 2 == 0 ? 0 : clique;
            var rows = Enumerable.Range(first, clique).Concat(Enumerable.Range(2 * clique, sep)).Where(_ => rng.Uniform() < 0.3).ToList();
            if (!rows.Contains(first + j / 2 % clique)) rows.Add(first + j / 2 % clique);
            if (j < 2 * sep && !rows.Contains(2 * clique + j / 2)) rows.Add(2 * clique + j / 2);
            rows.Sort();
            foreach (int i in rows) { ri.Add(i); av.Add(rng.Normal()); }
            cp[j + 1] = ri.Count;
        }
        var theta = Enumerable.Range(0, n).Select(_ => Math.Pow(10, 4 * rng.Uniform() - 2)).ToArray();
        const double delta = 1e-3;
        var chol = new NormalCholesky(m, n, cp, ri.ToArray(), av.ToArray()) { KeepAssembled = true };
        Assert.True(chol.SupernodeShapes.Count(s => s.Columns >= 64 && s.Rows > s.Columns) >= 1,
            "expected a supernode of ≥ 64 columns with rows below: " + string.Join(", ", chol.SupernodeShapes));
        chol.Factor(theta, delta);
        Assert.Equal(0, chol.ReplacedPivots);
        var dense = DenseNormal(m, n, cp, ri.ToArray(), av.ToArray(), theta, delta);
        var rhs = Enumerable.Range(0, m).Select(_ => rng.Normal()).ToArray();
        var x = (double[])rhs.Clone();
        chol.Solve(x);
        var expected = DenseSolve(dense, rhs);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < m; i++) Assert.True(Math.Abs(x[i] - expected[i]) <= 1e-7 * scale, $"row {i}: {x[i]} vs {expected[i]}");
        var y = new double[m];
        chol.MultiplyAssembled(rhs, y);
        for (int i = 0; i < m; i++)
        {
            double e = 0, mag = 0;
            for (int k = 0; k < m; k++) { double v = (dense[i, k] - (i == k ? delta : 0)) * rhs[k]; e += v; mag += Math.Abs(v); }
            Assert.True(Math.Abs(y[i] - e) <= 1e-12 * Math.Max(mag, 1e-300), $"product row {i}: {y[i]} vs {e}");
        }
    }

    /// <summary>A pattern in which about 90 % of the row pairs share a column (columns of two or three random rows, as
    /// in the IPM benchmark's wide LP) is analysed as dense: one supernode holding the full triangle, solved like the
    /// dense Cholesky. So is one with about half of the pairs whose factor fills in anyway (the wide LP after presolve).
    /// A band pattern stays sparse: its factor keeps the band.</summary>
    [Fact]
    public void NearlyCompletePatternIsOneDenseBlockAndABandStaysSparse()
    {
        var rng = new Rng(33);
        const int m = 60, n = 2400;
        var cp = new int[n + 1]; var ri = new List<int>(); var av = new List<double>();
        var pairs = new HashSet<(int, int)>();
        for (int j = 0; j < n; j++)
        {
            var rows = new SortedSet<int> { j % m, rng.NextInt(m) };
            if (rng.Uniform() < 0.5) rows.Add(rng.NextInt(m));
            foreach (int a in rows) foreach (int b in rows) if (a < b) pairs.Add((a, b));
            foreach (int i in rows) { ri.Add(i); av.Add(rng.Normal()); }
            cp[j + 1] = ri.Count;
        }
        double density = pairs.Count / (m * (m - 1) / 2.0);
        Assert.InRange(density, NormalCholesky.DenseAnalysisAbove, 0.99); // near-complete, not complete: the case under test
        var chol = new NormalCholesky(m, n, cp, ri.ToArray(), av.ToArray());
        Assert.Equal(1, chol.Supernodes);
        Assert.Equal(m * (m + 1) / 2, chol.FactorNonzeros);
        var theta = Enumerable.Range(0, n).Select(_ => Math.Pow(10, 4 * rng.Uniform() - 2)).ToArray();
        const double delta = 1e-3;
        chol.Factor(theta, delta);
        var rhs = Enumerable.Range(0, m).Select(_ => rng.Normal()).ToArray();
        var x = (double[])rhs.Clone();
        chol.Solve(x);
        var expected = DenseSolve(DenseNormal(m, n, cp, ri.ToArray(), av.ToArray(), theta, delta), rhs);
        double scale = expected.Max(Math.Abs);
        for (int i = 0; i < m; i++) Assert.True(Math.Abs(x[i] - expected[i]) <= 1e-7 * scale, $"row {i}: {x[i]} vs {expected[i]}");

        // Columns of two random rows, a third as many: about half of the pairs, below the threshold, but minimum degree
        // still fills in nearly the whole triangle, so the factor is one dense block too.
        var sparse = RandomTwoRowColumns(new Rng(34), m, 1300);
        Assert.InRange(sparse.Density, 0.3, NormalCholesky.DenseAnalysisAbove - 0.05);
        var filled = new NormalCholesky(m, 1300, sparse.Cp, sparse.Ri, sparse.Av);
        Assert.True(filled.Supernodes == 1, $"density {sparse.Density:F3}: {filled.Supernodes} supernodes, nnz(L) {filled.FactorNonzeros} of {m * (m + 1) / 2}");
        Assert.Equal(m * (m + 1) / 2, filled.FactorNonzeros);

        // Tridiagonal A Aᵀ (columns on rows i, i + 1): minimum degree keeps the band, m − 1 entries below the diagonal.
        var bcp = Enumerable.Range(0, m).Select(j => 2 * j).ToArray();
        var bri = Enumerable.Range(0, m - 1).SelectMany(j => new[] { j, j + 1 }).ToArray();
        var band = new NormalCholesky(m, m - 1, bcp, bri, bri.Select(_ => 1.0).ToArray());
        Assert.Equal(2 * m - 1, band.FactorNonzeros);
    }

    /// <summary>n columns with entries in two distinct random rows of m, and the fraction of row pairs they cover.</summary>
    private static (int[] Cp, int[] Ri, double[] Av, double Density) RandomTwoRowColumns(Rng rng, int m, int n)
    {
        var cp = new int[n + 1]; var ri = new int[2 * n]; var av = new double[2 * n];
        var pairs = new HashSet<(int, int)>();
        for (int j = 0; j < n; j++)
        {
            int a = rng.NextInt(m), b = (a + 1 + rng.NextInt(m - 1)) % m;
            (ri[2 * j], ri[2 * j + 1]) = (Math.Min(a, b), Math.Max(a, b));
            av[2 * j] = rng.Normal(); av[2 * j + 1] = rng.Normal();
            pairs.Add((Math.Min(a, b), Math.Max(a, b)));
            cp[j + 1] = 2 * (j + 1);
        }
        return (cp, ri, av, pairs.Count / (m * (m - 1) / 2.0));
    }

    [Fact]
    public void MultiplyAssembledWithoutKeepingIsAnError()
    {
        var (cp, ri, av) = RandomColumns(new Rng(3), 5, 8, 0.5);
        var chol = new NormalCholesky(5, 8, cp, ri, av);
        chol.Factor(Enumerable.Repeat(1.0, 8).ToArray(), 0);
        var e = Assert.Throws<InvalidOperationException>(() => chol.MultiplyAssembled(new double[5], new double[5]));
        Assert.Contains("KeepAssembled", e.Message);
    }

    private static (int[] Cp, int[] Ri, double[] Av) RandomColumns(Rng rng, int m, int n, double density)
    {
        var cp = new int[n + 1]; var ri = new List<int>(); var av = new List<double>();
        for (int j = 0; j < n; j++)
        {
            // Every row gets at least one entry (column j mod m), so A has full row rank with high probability.
            for (int i = 0; i < m; i++)
                if (i == j % m || rng.Uniform() < density) { ri.Add(i); av.Add(rng.Normal()); }
            // A few dense columns, as in Netlib problems with linking columns.
            if (j % 37 == 5) for (int i = 0; i < m; i++) if (i != j % m && !ri.Skip(cp[j]).Contains(i)) { ri.Add(i); av.Add(rng.Normal()); }
            var idx = Enumerable.Range(cp[j], ri.Count - cp[j]).OrderBy(k => ri[k]).ToArray();
            var rs = idx.Select(k => ri[k]).ToArray(); var vs = idx.Select(k => av[k]).ToArray();
            for (int t = 0; t < rs.Length; t++) { ri[cp[j] + t] = rs[t]; av[cp[j] + t] = vs[t]; }
            cp[j + 1] = ri.Count;
        }
        return (cp, ri.ToArray(), av.ToArray());
    }

    private static double[,] DenseNormal(int m, int n, int[] cp, int[] ri, double[] av, double[] theta, double delta)
    {
        var d = new double[m, m];
        for (int j = 0; j < n; j++)
            for (int a = cp[j]; a < cp[j + 1]; a++)
                for (int b = cp[j]; b < cp[j + 1]; b++) d[ri[a], ri[b]] += theta[j] * av[a] * av[b];
        for (int i = 0; i < m; i++) d[i, i] += delta;
        return d;
    }

    private static double[] DenseSolve(double[,] a, double[] b)
    {
        int m = b.Length;
        var l = new double[m, m];
        for (int j = 0; j < m; j++)
        {
            double s = a[j, j];
            for (int k = 0; k < j; k++) s -= l[j, k] * l[j, k];
            l[j, j] = Math.Sqrt(s);
            for (int i = j + 1; i < m; i++)
            {
                double t = a[i, j];
                for (int k = 0; k < j; k++) t -= l[i, k] * l[j, k];
                l[i, j] = t / l[j, j];
            }
        }
        var y = new double[m];
        for (int i = 0; i < m; i++) { double t = b[i]; for (int k = 0; k < i; k++) t -= l[i, k] * y[k]; y[i] = t / l[i, i]; }
        var x = new double[m];
        for (int i = m - 1; i >= 0; i--) { double t = y[i]; for (int k = i + 1; k < m; k++) t -= l[k, i] * x[k]; x[i] = t / l[i, i]; }
        return x;
    }
}
