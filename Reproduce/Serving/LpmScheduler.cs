namespace Reproduce.Serving;

/// <summary>Longest prefix match (SGLang "lpm"): waiting queries sorted by descending cache hit
/// (matched tokens by default), stable so that ties keep arrival order. Optimal for maximum TTFT
/// when all queries arrive together (k-LPM paper §3); k-LPM with k → ∞.</summary>
public sealed class LpmScheduler(HitRate hitRate = HitRate.MatchedTokens) : IScheduler
{
    /// <summary>The score used.</summary>
    public HitRate HitRate { get; } = hitRate;

    /// <inheritdoc />
    public string Name => "LPM";

    /// <inheritdoc />
    public bool IsCacheAware => true;

    /// <inheritdoc />
    public void Order(SchedulerInput input, Span<int> order)
    {
        FcfsScheduler.CheckLength(input, order);
        int n = input.Waiting.Count;
        if (order.Length == 1)
        {
            int best = 0;
            double bestScore = input.Score(0, HitRate);
            for (int i = 1; i < n; i++)
            {
                double s = input.Score(i, HitRate);
                if (s > bestScore) { best = i; bestScore = s; }
            }
            order[0] = best;
            return;
        }
        var idx = new int[n];
        var keys = new double[n];
        for (int i = 0; i < n; i++) { idx[i] = i; keys[i] = input.Score(i, HitRate); }
        var sorted = idx.OrderByDescending(i => keys[i]).ThenBy(i => i).ToArray(); // stable
        sorted.AsSpan(0, order.Length).CopyTo(order);
    }

    /// <inheritdoc />
    public void Advance(int count) { }

    /// <inheritdoc />
    public void Idle() { }

    /// <inheritdoc />
    public void Reset() { }
}
