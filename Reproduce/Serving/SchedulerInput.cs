namespace Reproduce.Serving;

/// <summary>What a scheduler sees at a decision point: the waiting queries in arrival order, the
/// clock, the cost model and the cache. Matched prefix lengths are computed on demand and memoised
/// for this decision only (the cache changes after every admission).</summary>
public sealed class SchedulerInput
{
    private readonly List<Query> _waiting = [];
    private int[] _matched = [];

    /// <summary>Creates an input bound to a cache and a cost model.</summary>
    public SchedulerInput(IPrefixCache cache, PrefillCostModel cost)
    {
        Cache = cache;
        Cost = cost;
    }

    /// <summary>Waiting queries, oldest first (ties by arrival keep the stream order).</summary>
    public IReadOnlyList<Query> Waiting => _waiting;

    /// <summary>Current time (seconds).</summary>
    public double Now { get; private set; }

    /// <summary>The prefill cost model (for HRRN's service estimate).</summary>
    public PrefillCostModel Cost { get; }

    /// <summary>The prefix cache.</summary>
    public IPrefixCache Cache { get; }

    /// <summary>Cached prefix length of waiting query <paramref name="i"/>.</summary>
    public int Matched(int i)
    {
        int m = _matched[i];
        if (m < 0) _matched[i] = m = Cache.Match(_waiting[i].Tokens);
        return m;
    }

    /// <summary>The hit-rate score of waiting query <paramref name="i"/>.</summary>
    public double Score(int i, HitRate rate) => rate == HitRate.MatchedTokens
        ? Matched(i)
        : _waiting[i].Length == 0 ? 0 : (double)Matched(i) / _waiting[i].Length;

    internal List<Query> Queue => _waiting;

    /// <summary>Starts a decision at time <paramref name="now"/> (forgets memoised matches).</summary>
    internal void Begin(double now)
    {
        Now = now;
        if (_matched.Length < _waiting.Count) _matched = new int[Math.Max(_waiting.Count, 2 * _matched.Length)];
        Array.Fill(_matched, -1, 0, _waiting.Count);
    }

    /// <summary>For tests and custom drivers: sets the queue and the time.</summary>
    public void Set(IEnumerable<Query> waiting, double now)
    {
        _waiting.Clear();
        _waiting.AddRange(waiting);
        Begin(now);
    }
}
