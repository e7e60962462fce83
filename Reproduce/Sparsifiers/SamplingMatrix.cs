using System.Globalization;
using Reproduce.Compute;

namespace Reproduce.Sparsifiers;

/// <summary>A symmetric sampling matrix S ∈ ℝ^{n×n} (Bhattacharjee et al., arXiv 2305.05826, §1): A∘S is
/// computed by reading A only on supp(S). Stored as CSR (int32 indices, both triangles). Built from a
/// d-regular graph as S = (n/d)·A_G (the Ramanujan scaling, brief §2.3) or as the uniform baseline
/// (each pair i &lt; j kept with probability d/n, scaled by n/d).</summary>
public sealed class SamplingMatrix
{
    private SamplingMatrix(SparseMatrix csr, string name)
    {
        Csr = csr;
        Name = name;
    }

    /// <summary>The CSR storage (values include the scaling and edge multiplicities).</summary>
    public SparseMatrix Csr { get; }

    /// <summary>n.</summary>
    public int N => Csr.Rows;

    /// <summary>Number of stored entries (distinct (i, j) positions read).</summary>
    public int Nnz => Csr.Nnz;

    /// <summary>Description.</summary>
    public string Name { get; }

    /// <summary>S = (n/d)·A_G for a d-regular graph G (parallel edges add up).</summary>
    public static SamplingMatrix FromRegularGraph(RegularGraph g)
    {
        ArgumentNullException.ThrowIfNull(g);
        double scale = (double)g.N / g.Degree;
        var triplets = new List<(int, int, double)>(g.Neighbors.Length);
        for (int v = 0; v < g.N; v++)
            foreach (int u in g.NeighborsOf(v)) triplets.Add((v, u, scale));
        return new SamplingMatrix(Build(g.N, triplets), g.Name);
    }

    /// <summary>Uniform (Bernoulli) sampling: every pair i &lt; j independently with probability
    /// p = d/n, symmetrised, scaled by 1/p; the diagonal is not read (as for graphs).</summary>
    public static SamplingMatrix Bernoulli(int n, double d, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (n < 2) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 2.");
        if (!(d > 0) || d >= n) throw new ArgumentOutOfRangeException(nameof(d), d, $"Expected degree d must lie in (0, n = {n}).");
        double p = d / n;
        var triplets = new List<(int, int, double)>((int)(n * d * 1.1));
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (rng.Uniform() < p)
                {
                    triplets.Add((i, j, 1 / p));
                    triplets.Add((j, i, 1 / p));
                }
        return new SamplingMatrix(Build(n, triplets), string.Create(CultureInfo.InvariantCulture, $"Bernoulli p = {d}/{n}"));
    }

    private static SparseMatrix Build(int n, List<(int Row, int Col, double Value)> triplets)
    {
        // Merge duplicates (parallel edges) by summing.
        triplets.Sort((a, b) => a.Row != b.Row ? a.Row.CompareTo(b.Row) : a.Col.CompareTo(b.Col));
        var rowPtr = new int[n + 1];
        var cols = new List<int>(triplets.Count);
        var vals = new List<double>(triplets.Count);
        for (int k = 0; k < triplets.Count; k++)
        {
            var (r, c, v) = triplets[k];
            if (cols.Count > 0 && k > 0 && triplets[k - 1].Row == r && triplets[k - 1].Col == c) { vals[^1] += v; continue; }
            cols.Add(c);
            vals.Add(v);
            rowPtr[r + 1]++;
        }
        for (int i = 0; i < n; i++) rowPtr[i + 1] += rowPtr[i];
        return new SparseMatrix(n, n, rowPtr, cols.ToArray(), vals.ToArray());
    }

    /// <summary>y = S x.</summary>
    public void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        var rp = Csr.RowPtr; var ci = Csr.ColIdx; var va = Csr.Values;
        for (int i = 0; i < N; i++)
        {
            double s = 0;
            for (int k = rp[i]; k < rp[i + 1]; k++) s += va[k] * x[ci[k]];
            y[i] = s;
        }
    }

    /// <summary>y = (𝟏 − S) x = 𝟏(Σx) − Sx, O(nnz) without forming 𝟏.</summary>
    public void ApplyCertificateOperator(ReadOnlySpan<double> x, Span<double> y)
    {
        double sum = 0;
        foreach (double v in x) sum += v;
        Apply(x, y);
        for (int i = 0; i < N; i++) y[i] = sum - y[i];
    }

    /// <summary>The dense n×n matrix 𝟏 − S (tests and small n only).</summary>
    public Matrix DenseCertificateMatrix()
    {
        var m = Matrix.Build(N, N, (_, _) => 1.0);
        var rp = Csr.RowPtr; var ci = Csr.ColIdx; var va = Csr.Values;
        for (int i = 0; i < N; i++)
            for (int k = rp[i]; k < rp[i + 1]; k++) m[i, ci[k]] -= va[k];
        return m;
    }
}
