using Reproduce.Compute;

namespace Reproduce.Sketching;

/// <summary>r-sparse coding against a fixed dictionary (brief §2.3): for each row aᵢ of A find
/// uᵢ with at most r nonzeros minimising ‖aᵢ − uᵢV‖². With b = V·aᵢ and G = V·Vᵀ (both from one
/// GEMM over all points) the best coefficients on a support S solve G_SS·c = b_S, and the
/// residual is ‖aᵢ‖² − b_Sᵀ·c. Exhaustive search tries every support of size ≤ r (exact);
/// OMP grows the support greedily by the largest normalised residual correlation.</summary>
public static class SparseCoder
{
    /// <summary>Largest number of supports the exhaustive search enumerates per point.</summary>
    public const long MaxSupports = 200_000;

    /// <summary>The n×k code matrix U (each row ≤ r nonzeros) for the rows of <paramref name="a"/>.</summary>
    public static Matrix Encode(Matrix a, Matrix dictionary, int r, SparseCodingMethod method = SparseCodingMethod.Auto)
    {
        KMeans.CheckPoints(a, nameof(a));
        int k = dictionary.Rows, n = a.Rows;
        if (dictionary.Cols != a.Cols)
            throw new ArgumentException($"dictionary is {dictionary.Rows}×{dictionary.Cols} but points have d = {a.Cols}; the dictionary must be k×d.", nameof(dictionary));
        if (r < 1) throw new ArgumentOutOfRangeException(nameof(r), r, "Sparsity r must be at least 1.");
        if (r > k) throw new ArgumentOutOfRangeException(nameof(r), r, $"Sparsity r = {r} exceeds the dictionary size k = {k}; use r <= k.");
        if (method == SparseCodingMethod.Auto) method = r <= 3 ? SparseCodingMethod.Exhaustive : SparseCodingMethod.Omp;
        var b = Ops.MatMul(a, dictionary, transB: true).ToCpu();  // n×k, b[i,c] = aᵢ·v_c
        var gm = Ops.Gram(dictionary, outer: true).ToCpu();        // k×k
        var g = new double[k * k];
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) g[i * k + j] = gm[i, j];
        var u = Matrix.Zeros(n, k);
        if (method == SparseCodingMethod.Exhaustive) Exhaustive(b, g, k, r, u);
        else Omp(b, g, k, r, u);
        return a.Device.Kind == DeviceKind.Cpu ? u : u.To(a.Device);
    }

    /// <summary>‖A − UV‖_F², computed on the residual matrix.</summary>
    public static double Cost(Matrix a, Matrix codes, Matrix dictionary)
    {
        var res = Ops.Sub(a, Ops.MatMul(codes, dictionary));
        return Ops.Dot(res, res);
    }

    private static void Exhaustive(Matrix b, double[] g, int k, int r, Matrix u)
    {
        int n = b.Rows;
        var supports = new List<int[]>();
        for (int m = 1; m <= r; m++) Combinations(k, m, supports);
        if (supports.Count > MaxSupports)
            throw new ArgumentOutOfRangeException(nameof(r), r, $"Exhaustive search over {supports.Count} supports (k = {k}, r = {r}) is too large; use SparseCodingMethod.Omp.");
        // Factor each support's Gram block once; singular blocks (dependent atoms) are skipped:
        // any code on them is also reachable on a smaller support.
        var factors = new double[supports.Count][];
        for (int s = 0; s < supports.Count; s++)
        {
            var l = new double[supports[s].Length * supports[s].Length];
            factors[s] = SmallSpd.Factor(g, k, supports[s], l) ? l : null!;
        }
        var bs = b.Span;
        var bi = new double[k];
        Span<double> c = stackalloc double[r];
        Span<double> bestC = stackalloc double[r];
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < k; a++) bi[a] = bs[i + a * n];
            double bestGain = 0; int best = -1;
            for (int s = 0; s < supports.Count; s++)
            {
                var l = factors[s];
                if (l is null) continue;
                var sup = supports[s];
                int m = sup.Length;
                var cs = c[..m];
                for (int p = 0; p < m; p++) cs[p] = bi[sup[p]];
                SmallSpd.Solve(l, m, cs);
                double gain = 0;
                for (int p = 0; p < m; p++) gain += bi[sup[p]] * cs[p];
                if (gain > bestGain) { bestGain = gain; best = s; cs.CopyTo(bestC); }
            }
            if (best >= 0)
                for (int p = 0; p < supports[best].Length; p++) u[i, supports[best][p]] = bestC[p];
        }
    }

    private static void Omp(Matrix b, double[] g, int k, int r, Matrix u)
    {
        int n = b.Rows;
        var bs = b.Span;
        var bi = new double[k];
        var sup = new int[r];
        var l = new double[r * r];
        var c = new double[r];
        for (int i = 0; i < n; i++)
        {
            for (int a = 0; a < k; a++) bi[a] = bs[i + a * n];
            int m = 0;
            while (m < r)
            {
                // residual correlation: V·(aᵢ − c·V_S) = b − G[:,S]·c
                int pick = -1; double bestScore = 1e-300;
                for (int a = 0; a < k; a++)
                {
                    if (Array.IndexOf(sup, a, 0, m) >= 0 || g[a * k + a] <= 0) continue;
                    double corr = bi[a];
                    for (int p = 0; p < m; p++) corr -= g[a * k + sup[p]] * c[p];
                    double score = corr * corr / g[a * k + a];
                    if (score > bestScore) { bestScore = score; pick = a; }
                }
                if (pick < 0) break;
                sup[m] = pick;
                if (!SmallSpd.Factor(g, k, sup.AsSpan(0, m + 1), l)) break;
                m++;
                for (int p = 0; p < m; p++) c[p] = bi[sup[p]];
                SmallSpd.Solve(l, m, c.AsSpan(0, m));
            }
            for (int p = 0; p < m; p++) u[i, sup[p]] = c[p];
        }
    }

    private static void Combinations(int k, int m, List<int[]> into)
    {
        var idx = new int[m];
        for (int i = 0; i < m; i++) idx[i] = i;
        while (true)
        {
            into.Add((int[])idx.Clone());
            int p = m - 1;
            while (p >= 0 && idx[p] == k - m + p) p--;
            if (p < 0) return;
            idx[p]++;
            for (int q = p + 1; q < m; q++) idx[q] = idx[q - 1] + 1;
        }
    }
}
