namespace Reproduce.Serving;

/// <summary>k-LPM (k-LPM paper, Algorithm 1): repeat forever — serve the oldest waiting query, then
/// k − 1 times the waiting query with the highest prefix-cache hit rate. k = 1 is FCFS, k → ∞ is LPM.
/// As an ordering for batched engines: position 0 = oldest, positions 1…k−1 = the best matches,
/// position k = the next oldest remaining, and so on, continuing the cycle across decisions.
/// Ties in hit rate go to the oldest query. <see cref="Infinite"/> stands for k = ∞.</summary>
public sealed class KLpmScheduler : IScheduler
{
    /// <summary>The value of k that means ∞ (the oldest query is taken only at the very first decision).</summary>
    public const long Infinite = long.MaxValue;

    private long _position;

    /// <summary>Creates k-LPM; <paramref name="resetCycleWhenIdle"/> restarts the cycle at
    /// "oldest" whenever the queue runs empty (default: keep counting).</summary>
    public KLpmScheduler(long k, HitRate hitRate = HitRate.MatchedTokens, bool resetCycleWhenIdle = false)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k-LPM needs k >= 1 (k = 1 is FCFS; use KLpmScheduler.Infinite for LPM).");
        K = k;
        HitRate = hitRate;
        ResetCycleWhenIdle = resetCycleWhenIdle;
    }

    /// <summary>Cycle length k.</summary>
    public long K { get; }

    /// <summary>Score used for the greedy picks.</summary>
    public HitRate HitRate { get; }

    /// <summary>Whether an empty queue restarts the cycle.</summary>
    public bool ResetCycleWhenIdle { get; }

    /// <inheritdoc />
    public string Name => K == Infinite ? "k-LPM (k=∞)" : $"k-LPM (k={K})";

    /// <inheritdoc />
    public bool IsCacheAware => K > 1;

    /// <inheritdoc />
    public void Order(SchedulerInput input, Span<int> order)
    {
        FcfsScheduler.CheckLength(input, order);
        int n = input.Waiting.Count;
        if (order.Length == 0) return;
        if (order.Length == 1)
        {
            order[0] = _position == 0 ? 0 : ArgBest(input, n);
            return;
        }
        var taken = new bool[n];
        int oldest = 0;
        int[] byScore = Enumerable.Range(0, n).OrderByDescending(i => input.Score(i, HitRate)).ThenBy(i => i).ToArray();
        int best = 0;
        long p = _position;
        for (int s = 0; s < order.Length; s++)
        {
            int pick;
            if (p == 0)
            {
                while (taken[oldest]) oldest++;
                pick = oldest;
            }
            else
            {
                while (taken[byScore[best]]) best++;
                pick = byScore[best];
            }
            taken[pick] = true;
            order[s] = pick;
            p = Next(p, 1);
        }
    }

    private int ArgBest(SchedulerInput input, int n)
    {
        int best = 0;
        double bestScore = input.Score(0, HitRate);
        for (int i = 1; i < n; i++)
        {
            double s = input.Score(i, HitRate);
            if (s > bestScore) { best = i; bestScore = s; }
        }
        return best;
    }

    private long Next(long p, long count)
    {
        if (K == Infinite) return count == 0 ? p : 1;
        long r = count % K;
        return p >= K - r ? p - (K - r) : p + r; // (p + r) mod K without overflow
    }

    /// <inheritdoc />
    public void Advance(int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Advance needs a non-negative count.");
        _position = Next(_position, count);
    }

    /// <inheritdoc />
    public void Idle()
    {
        if (ResetCycleWhenIdle) _position = 0;
    }

    /// <inheritdoc />
    public void Reset() => _position = 0;
}
