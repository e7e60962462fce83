namespace Reproduce.Serving;

/// <summary>Discrete-event simulation of one LLM server under a queue policy (k-LPM paper §2 and §5).
/// Theory mode: the server takes one query at a time when it becomes free, non-preemptively, and its
/// prefill takes <see cref="PrefillCostModel.Seconds"/> given the cached prefix; TTFT = finish − arrival.
/// Batched mode: at each engine iteration the policy orders the queue and queries are admitted in that
/// order until the prefill token budget or the KV capacity runs out (a query that does not fit is
/// chunked when chunking is on); all queries of a batch get their first token when the iteration ends.</summary>
public sealed class ServingSimulator(SimulationOptions options)
{
    /// <summary>The server configuration.</summary>
    public SimulationOptions Options { get; } = Validated(options);

    private static SimulationOptions Validated(SimulationOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.Validate();
        return o;
    }

    /// <summary>Creates the configured empty cache.</summary>
    public IPrefixCache NewCache() => Options.Cache == CacheModel.LastPrompt
        ? new LastPromptCache()
        : new RadixCache(Options.CacheCapacityTokens);

    /// <summary>Runs the stream through the server with <paramref name="scheduler"/> (reset first).</summary>
    public SimulationResult Run(IReadOnlyList<Query> queries, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(scheduler);
        Validate(queries);
        scheduler.Reset();
        var cache = NewCache();
        return Options.Mode == ServerMode.Theory ? RunTheory(queries, scheduler, cache) : RunBatched(queries, scheduler, cache);
    }

    /// <summary>Checks a stream: non-null tokens, finite non-negative arrivals in non-decreasing order.</summary>
    public static void Validate(IReadOnlyList<Query> queries)
    {
        double prev = 0;
        for (int i = 0; i < queries.Count; i++)
        {
            var q = queries[i] ?? throw new ArgumentException($"Query {i} is null.", nameof(queries));
            if (q.Tokens is null) throw new ArgumentException($"Query {i} (id {q.Id}) has no token array.", nameof(queries));
            if (!double.IsFinite(q.Arrival) || q.Arrival < 0)
                throw new ArgumentException($"Query {i} (id {q.Id}) has arrival time {q.Arrival}; arrival times must be finite and >= 0 seconds.", nameof(queries));
            if (q.Arrival < prev)
                throw new ArgumentException($"Query {i} (id {q.Id}) arrives at {q.Arrival} s, before query {i - 1} ({prev} s); sort the stream by arrival time.", nameof(queries));
            if (q.OutputTokens < 1)
                throw new ArgumentException($"Query {i} (id {q.Id}) has {q.OutputTokens} output tokens; every query produces at least its first token.", nameof(queries));
            prev = q.Arrival;
        }
    }

    private IScheduler Effective(IScheduler scheduler, int waiting, FcfsScheduler fcfs) =>
        Options.QueueFallback is int cap && waiting > cap && scheduler.IsCacheAware ? fcfs : scheduler;

    private SimulationResult RunTheory(IReadOnlyList<Query> queries, IScheduler scheduler, IPrefixCache cache)
    {
        int n = queries.Count;
        var slot = new Dictionary<Query, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < n; i++) slot[queries[i]] = i;
        var records = new QueryRecord[n];
        var input = new SchedulerInput(cache, Options.Cost);
        var waiting = input.Queue;
        var fcfs = new FcfsScheduler();
        Span<int> pick = stackalloc int[1];
        double t = 0, busy = 0;
        int next = 0;
        for (int served = 0; served < n; served++)
        {
            if (waiting.Count == 0)
            {
                scheduler.Idle();
                t = Math.Max(t, queries[next].Arrival);
            }
            while (next < n && queries[next].Arrival <= t) waiting.Add(queries[next++]);
            input.Begin(t);
            Effective(scheduler, waiting.Count, fcfs).Order(input, pick);
            scheduler.Advance(1);
            int idx = pick[0];
            var q = waiting[idx];
            waiting.RemoveAt(idx);
            int h = cache.Insert(q.Tokens);
            double dur = Options.Cost.Seconds(q.Length, h);
            records[slot[q]] = new QueryRecord(q.Id, q.Arrival, t, t + dur, q.Length, h, served);
            t += dur;
            busy += dur;
        }
        return new SimulationResult(records, busy, cache.Stats, scheduler.Name);
    }

    private sealed class Running(int slot, Query query, RadixLease lease, int decodesLeft)
    {
        public int Slot = slot;
        public Query Query = query;
        public RadixLease Lease = lease;
        public int DecodesLeft = decodesLeft;
    }

    private sealed class Chunked(int slot, Query query, int cachedAtStart, int done, RadixLease lease, int serviceIndex)
    {
        public int Slot = slot;
        public Query Query = query;
        public int CachedAtStart = cachedAtStart;
        public int Done = done;
        public RadixLease Lease = lease;
        public int ServiceIndex = serviceIndex;
        public double Start = double.NaN;
    }

    private SimulationResult RunBatched(IReadOnlyList<Query> queries, IScheduler scheduler, IPrefixCache prefixCache)
    {
        var cache = (RadixCache)prefixCache;
        int n = queries.Count;
        var slot = new Dictionary<Query, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < n; i++) slot[queries[i]] = i;
        var records = new QueryRecord[n];
        var input = new SchedulerInput(cache, Options.Cost);
        var waiting = input.Queue;
        var fcfs = new FcfsScheduler();
        var running = new List<Running>();
        Chunked? chunked = null;
        int budgetCap = Math.Min(Options.MaxPrefillTokens, Options.ChunkSize ?? int.MaxValue);
        double t = 0, busy = 0;
        int next = 0, finished = 0, serviceIndex = 0;
        var batchDone = new List<(int Slot, Query Q, int Matched, double Start, int Index, RadixLease Lease)>();
        while (finished < n || running.Count > 0)
        {
            while (next < n && queries[next].Arrival <= t) waiting.Add(queries[next++]);
            if (waiting.Count == 0 && running.Count == 0 && chunked is null)
            {
                scheduler.Idle();
                t = queries[next].Arrival;
                continue;
            }
            double prefill = 0;
            int budget = budgetCap;
            batchDone.Clear();
            if (chunked is not null)
            {
                int left = chunked.Query.Length - chunked.Done;
                int take = Math.Min(left, budget);
                prefill += Options.Cost.Seconds(chunked.Done + take, chunked.Done);
                budget -= take;
                chunked.Done += take;
                var old = chunked.Lease;
                chunked.Lease = cache.InsertAndLock(chunked.Query.Tokens.AsSpan(0, chunked.Done));
                old.Release();
                if (chunked.Done == chunked.Query.Length)
                {
                    batchDone.Add((chunked.Slot, chunked.Query, chunked.CachedAtStart, chunked.Start, chunked.ServiceIndex, chunked.Lease));
                    chunked = null;
                }
            }
            if (chunked is null && waiting.Count > 0 && budget > 0)
            {
                input.Begin(t);
                var order = new int[waiting.Count];
                Effective(scheduler, waiting.Count, fcfs).Order(input, order);
                var admitted = new List<int>();
                foreach (int idx in order)
                {
                    var q = waiting[idx];
                    int h = cache.Match(q.Tokens);
                    int fresh = q.Length - h;
                    long room = cache.Capacity - cache.TotalTokens + cache.EvictableTokens;
                    bool fits = fresh <= budget;
                    if (!fits && Options.ChunkSize is null && !(admitted.Count == 0 && batchDone.Count == 0)) break;
                    int take = Math.Min(fresh, fits || Options.ChunkSize is null ? fresh : budget);
                    if (take > room)
                    {
                        if (running.Count == 0 && admitted.Count == 0 && batchDone.Count == 0)
                            throw new InvalidOperationException($"Query {q.Id} needs {take} KV tokens but the cache holds only {cache.Capacity}; raise CacheCapacityTokens.");
                        break;
                    }
                    admitted.Add(idx);
                    int index = serviceIndex++;
                    if (take < fresh)
                    {
                        var lease = cache.InsertAndLock(q.Tokens.AsSpan(0, h + take));
                        prefill += Options.Cost.Seconds(h + take, h);
                        chunked = new Chunked(slot[q], q, h, h + take, lease, index) { Start = t };
                        budget = 0;
                        break;
                    }
                    var full = cache.InsertAndLock(q.Tokens);
                    int hh = full.CachedPrefix; // >= h when an earlier query of this batch shares the prefix
                    prefill += Options.Cost.Seconds(q.Length, hh);
                    budget -= q.Length - hh;
                    batchDone.Add((slot[q], q, hh, t, index, full));
                    if (budget <= 0) break;
                }
                scheduler.Advance(admitted.Count);
                admitted.Sort();
                for (int j = admitted.Count - 1; j >= 0; j--) waiting.RemoveAt(admitted[j]);
            }
            double decode = running.Count > 0 ? Options.DecodeStepSeconds : 0;
            double dur = Options.Cost.BatchOverhead + prefill + decode;
            if (prefill == 0 && decode == 0 && batchDone.Count == 0)
            {
                // nothing could run (KV full of running requests with zero-cost decode): advance to the next event
                if (running.Count > 0) dur = Math.Max(dur, 1e-9);
                else if (next < n) { t = Math.Max(t, queries[next].Arrival); continue; }
            }
            double start = t;
            t += dur;
            busy += dur;
            for (int j = running.Count - 1; j >= 0; j--)
            {
                var r = running[j];
                if (--r.DecodesLeft <= 0) { r.Lease.Release(); running.RemoveAt(j); }
            }
            foreach (var (s, q, m, st, idx, lease) in batchDone)
            {
                records[s] = new QueryRecord(q.Id, q.Arrival, double.IsNaN(st) ? start : st, t, q.Length, m, idx);
                finished++;
                if (q.OutputTokens > 1 && Options.DecodeStepSeconds > 0) running.Add(new Running(s, q, lease, q.OutputTokens - 1));
                else lease.Release();
            }
        }
        return new SimulationResult(records, busy, cache.Stats, scheduler.Name);
    }
}
