using Reproduce.Compute;

namespace Reproduce.Sketching;

/// <summary>The exact k-means optimum of a tiny instance by enumerating all kⁿ assignments (brief
/// §2.3 / §4 oracle): for each labelling the optimal centres are the centroids, whose cost is
/// Σ_c (Σ_{i∈c}‖aᵢ‖² − ‖Σ_{i∈c} aᵢ‖²/|c|). Feasible for kⁿ ≤ 5·10⁶ (e.g. n ≤ 12, k ≤ 3).</summary>
public static class BruteForceKMeans
{
    /// <summary>Largest number of labellings enumerated.</summary>
    public const long MaxLabellings = 5_000_000;

    /// <summary>The best labelling and its cost (ties: the first in lexicographic order).</summary>
    public static (int[] Labels, double Cost) Solve(Matrix a, int k)
    {
        KMeans.CheckPoints(a, nameof(a));
        KMeans.CheckK(k, a.Rows);
        int n = a.Rows, d = a.Cols;
        double total = Math.Pow(k, n);
        if (total > MaxLabellings)
            throw new ArgumentOutOfRangeException(nameof(a), n, $"Enumerating k^n = {k}^{n} labellings exceeds {MaxLabellings}; use n <= 12 with k <= 3 or smaller.");
        var x = a.ToArray2D();
        var sq = new double[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) sq[i] += x[i, j] * x[i, j];
        var labels = new int[n];
        int[]? best = null;
        double bestCost = double.PositiveInfinity;
        var sums = new double[k, d];
        var cnt = new int[k];
        var sqSum = new double[k];
        while (true)
        {
            Array.Clear(sums); Array.Clear(cnt); Array.Clear(sqSum);
            for (int i = 0; i < n; i++)
            {
                int c = labels[i];
                cnt[c]++; sqSum[c] += sq[i];
                for (int j = 0; j < d; j++) sums[c, j] += x[i, j];
            }
            double cost = 0;
            for (int c = 0; c < k; c++)
            {
                if (cnt[c] == 0) continue;
                double s2 = 0;
                for (int j = 0; j < d; j++) s2 += sums[c, j] * sums[c, j];
                cost += sqSum[c] - s2 / cnt[c];
            }
            if (cost < bestCost) { bestCost = cost; best = (int[])labels.Clone(); }
            int p = 0;
            while (p < n && ++labels[p] == k) { labels[p] = 0; p++; }
            if (p == n) break;
        }
        // Report the cost recomputed entry by entry (no cancellation from the Σ‖a‖² form).
        return (best!, KMeans.CostOfPartition(a, best!, k));
    }
}
