namespace Reproduce.Serving;

/// <summary>Exact schedules for tiny instances in the paper's computational model (Definition 2:
/// batch 1, non-preemptive, cache = the previously processed prompt). Deciding whether every query
/// can meet a TTFT limit is NP-hard (k-LPM paper, Theorem 1, via 3-PARTITION), so the optimum of
/// max TTFT is found by enumerating all n! service orders (depth-first with pruning on the running
/// maximum); each query starts at max(previous finish, its arrival).</summary>
public static class OptimalSchedule
{
    /// <summary>The largest instance accepted by <see cref="MinMaxTtft"/>.</summary>
    public const int MaxQueries = 9;

    /// <summary>TTFTs (in input order) of serving the queries in <paramref name="order"/>
    /// (indices into <paramref name="queries"/>) with a last-prompt cache.</summary>
    public static double[] Evaluate(IReadOnlyList<Query> queries, IReadOnlyList<int> order, PrefillCostModel cost)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(cost);
        if (order.Count != queries.Count || order.Distinct().Count() != order.Count || order.Any(i => i < 0 || i >= queries.Count))
            throw new ArgumentException($"The order must be a permutation of 0..{queries.Count - 1}.", nameof(order));
        var ttft = new double[queries.Count];
        double t = 0;
        int[] last = [];
        foreach (int i in order)
        {
            var q = queries[i];
            int h = q.Tokens.AsSpan().CommonPrefixLength(last);
            t = Math.Max(t, q.Arrival) + cost.Seconds(q.Length, h);
            ttft[i] = t - q.Arrival;
            last = q.Tokens;
        }
        return ttft;
    }

    /// <summary>The minimum over all service orders of the maximum TTFT, with one optimal order.</summary>
    public static (double MaxTtft, int[] Order) MinMaxTtft(IReadOnlyList<Query> queries, PrefillCostModel cost)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(cost);
        int n = queries.Count;
        if (n > MaxQueries) throw new ArgumentException($"Brute force enumerates n! orders; {n} queries is too many (at most {MaxQueries}).", nameof(queries));
        // Pairwise cost of serving j right after i (i = n: nothing before).
        var lcp = new int[n + 1, n];
        for (int i = 0; i <= n; i++)
            for (int j = 0; j < n; j++)
                lcp[i, j] = i == n ? 0 : queries[j].Tokens.AsSpan().CommonPrefixLength(queries[i].Tokens);
        double best = double.PositiveInfinity;
        int[] bestOrder = Enumerable.Range(0, n).ToArray();
        var current = new int[n];
        var used = new bool[n];
        void Search(int depth, int prev, double t, double worst)
        {
            if (worst >= best) return;
            if (depth == n) { best = worst; current.CopyTo(bestOrder, 0); return; }
            for (int j = 0; j < n; j++)
            {
                if (used[j]) continue;
                var q = queries[j];
                double finish = Math.Max(t, q.Arrival) + cost.Seconds(q.Length, lcp[prev, j]);
                used[j] = true;
                current[depth] = j;
                Search(depth + 1, j, finish, Math.Max(worst, finish - q.Arrival));
                used[j] = false;
            }
        }
        Search(0, n, 0, 0);
        return (n == 0 ? 0 : best, bestOrder);
    }
}
