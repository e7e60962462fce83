using Reproduce.Compute;
using Reproduce.Serving;

namespace Reproduce.Tests.Serving;

public class SchedulerTests
{
    private static readonly SimulationOptions Theory = new() { Mode = ServerMode.Theory, CacheCapacityTokens = 6_000, Cost = new PrefillCostModel(1e-4, 1e-4) };
    private static readonly SimulationOptions Batched = new() { Mode = ServerMode.Batched, CacheCapacityTokens = 8_000, MaxPrefillTokens = 3_000, ChunkSize = 2_000, Cost = new PrefillCostModel(1e-4, 0, 2e-3) };

    private static Query[] Stream(ulong seed, int n = 300, double rate = 40) =>
        ServingWorkloads.ZipfProfiles(new Rng(seed), n, users: 30, zipfS: 1.0, rate: rate, instructionTokens: 50, profileTokens: 300, questionTokens: 100);

    private static void SameSchedule(SimulationResult a, SimulationResult b)
    {
        Assert.Equal(a.Records.Count, b.Records.Count);
        for (int i = 0; i < a.Records.Count; i++) Assert.Equal(a.Records[i], b.Records[i]);
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    public void KEqualsOneIsExactlyFcfs(ulong seed)
    {
        foreach (var opt in new[] { Theory, Batched, Theory with { Cache = CacheModel.LastPrompt } })
        {
            var sim = new ServingSimulator(opt);
            var q = Stream(seed);
            SameSchedule(sim.Run(q, new FcfsScheduler()), sim.Run(q, new KLpmScheduler(1)));
        }
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    public void LargeKIsExactlyLpm(ulong seed)
    {
        int different = 0;
        foreach (var opt in new[] { Theory, Batched, Theory with { Cache = CacheModel.LastPrompt } })
        {
            var sim = new ServingSimulator(opt);
            var q = Stream(seed);
            var lpm = sim.Run(q, new LpmScheduler());
            SameSchedule(lpm, sim.Run(q, new KLpmScheduler(q.Length + 1)));
            SameSchedule(lpm, sim.Run(q, new KLpmScheduler(KLpmScheduler.Infinite)));
            if (!lpm.Ttfts().SequenceEqual(sim.Run(q, new KLpmScheduler(2)).Ttfts())) different++;
        }
        Assert.True(different >= 2, "k-LPM with k = 2 should differ from LPM on these streams (else the oracle is vacuous)");
    }

    [Fact]
    public void NoSharedPrefixesMakesCacheAwarePoliciesFcfs()
    {
        var rng = new Rng(4);
        // disjoint token ranges: no two prompts share even their first token
        var q = Enumerable.Range(0, 120).Select(i => new Query(i, i * 0.01, Enumerable.Range(i * 1000, 20 + rng.NextInt(500)).ToArray())).ToArray();
        foreach (var opt in new[] { Theory, Batched })
        {
            var sim = new ServingSimulator(opt);
            var fcfs = sim.Run(q, new FcfsScheduler());
            Assert.Contains(fcfs.Records, r => r.Start > r.Arrival); // a queue did build up
            foreach (var s in new IScheduler[] { new LpmScheduler(), new LpmScheduler(HitRate.MatchedFraction), new KLpmScheduler(2), new KLpmScheduler(3), new DfsWeightScheduler() })
                SameSchedule(fcfs, sim.Run(q, s));
        }
    }

    [Fact]
    public void AllAtTimeZeroLpmBusyTimeAtMostFcfs()
    {
        for (ulong seed = 0; seed < 20; seed++)
        {
            var rng = new Rng(seed);
            var q = ServingWorkloads.Definition4(rng, groups: 2 + rng.NextInt(5), perGroup: 1 + rng.NextInt(4), prefixTokens: 50 + rng.NextInt(200), suffixTokens: 10 + rng.NextInt(50), gap: 0);
            var sim = new ServingSimulator(Theory with { Cache = CacheModel.LastPrompt });
            double lpm = sim.Run(q, new LpmScheduler()).BusyTime, fcfs = sim.Run(q, new FcfsScheduler()).BusyTime;
            Assert.True(lpm <= fcfs + 1e-12, $"seed {seed}: LPM busy {lpm} > FCFS busy {fcfs}");
        }
    }

    [Fact]
    public void TiesKeepArrivalOrder()
    {
        var cache = new RadixCache(1000);
        cache.Insert([1, 2, 3, 9]);
        var input = new SchedulerInput(cache, new PrefillCostModel());
        input.Set([new Query(0, 0, [5, 5]), new Query(1, 0.1, [1, 2, 7]), new Query(2, 0.2, [1, 2, 8]), new Query(3, 0.3, [1, 2, 3, 4])], 1);
        var order = new int[4];
        new LpmScheduler().Order(input, order);
        Assert.Equal([3, 1, 2, 0], order);
        var k = new KLpmScheduler(2);
        k.Order(input, order);
        Assert.Equal([0, 3, 1, 2], order); // oldest, best, oldest remaining, best remaining
        k.Advance(1);
        k.Order(input, order.AsSpan(0, 1));
        Assert.Equal(3, order[0]);
    }

    [Fact]
    public void DfsWeightEmitsEverySubtreeContiguously()
    {
        for (ulong seed = 0; seed < 10; seed++)
        {
            var rng = new Rng(seed);
            var cache = new RadixCache(long.MaxValue);
            var q = Stream(seed, 80);
            foreach (var x in q.Take(30)) cache.Insert(x.Tokens.AsSpan(0, rng.NextInt(x.Length)));
            var input = new SchedulerInput(cache, new PrefillCostModel());
            input.Set(q.Skip(30), 100);
            int n = input.Waiting.Count;
            var order = new int[n];
            new DfsWeightScheduler().Order(input, order);
            Assert.Equal(Enumerable.Range(0, n), order.Order());
            var pos = new int[n];
            for (int i = 0; i < n; i++) pos[order[i]] = i;
            var prefix = Enumerable.Range(0, n).Select(i => input.Waiting[i].Tokens[..input.Matched(i)]).ToArray();
            var weights = DfsWeightScheduler_NodeWeights(input);
            for (int i = 0; i < n; i++)
            {
                // the subtree of i's node: queries whose matched prefix extends i's
                var sub = Enumerable.Range(0, n).Where(j => prefix[j].AsSpan().StartsWith(prefix[i])).Select(j => pos[j]).ToArray();
                Assert.Equal(sub.Length - 1, sub.Max() - sub.Min());
                Assert.Equal(sub.Length, weights[i]);
            }
        }
    }

    private static int[] DfsWeightScheduler_NodeWeights(SchedulerInput input) => DfsWeightScheduler.NodeWeights(input);

    [Fact]
    public void EveryQueryServedOnceAndTtftCoversItsOwnPrefill()
    {
        var q = Stream(9, 400, 60);
        foreach (var opt in new[] { Theory, Batched, Batched with { ChunkSize = null }, Batched with { DecodeStepSeconds = 1e-3 } })
        {
            var sim = new ServingSimulator(opt);
            foreach (var s in new IScheduler[] { new FcfsScheduler(), new LpmScheduler(), new KLpmScheduler(2), new DfsWeightScheduler(), new HrrnScheduler() })
            {
                var r = sim.Run(q.Select(x => x with { OutputTokens = 1 + x.Id % 5 }).ToArray(), s);
                Assert.Equal(Enumerable.Range(0, q.Length), r.Records.Select(x => x.ServiceIndex).Order());
                for (int i = 0; i < q.Length; i++)
                {
                    var rec = r.Records[i];
                    Assert.Equal(q[i].Id, rec.Id);
                    Assert.True(rec.Start >= rec.Arrival - 1e-12);
                    Assert.True(rec.Ttft + 1e-12 >= opt.Cost.Seconds(rec.Length, rec.Matched), $"{s.Name}: TTFT {rec.Ttft} below own prefill");
                }
            }
        }
    }

    [Fact]
    public void TheorySimulatorAgreesWithDirectEvaluationOfItsOrder()
    {
        var q = ServingWorkloads.Definition4(new Rng(3), 20, 4, 300, 50, 0.01);
        var cost = new PrefillCostModel(1e-4, 2e-4);
        var sim = new ServingSimulator(new SimulationOptions { Cache = CacheModel.LastPrompt, Cost = cost });
        foreach (var s in new IScheduler[] { new FcfsScheduler(), new KLpmScheduler(3), new LpmScheduler() })
        {
            var r = sim.Run(q, s);
            var order = r.Records.Select((x, i) => (x.ServiceIndex, i)).OrderBy(p => p.ServiceIndex).Select(p => p.i).ToArray();
            var ttft = OptimalSchedule.Evaluate(q, order, cost);
            for (int i = 0; i < q.Length; i++) Assert.Equal(ttft[i], r.Records[i].Ttft, 1e-9);
        }
    }

    [Fact]
    public void BruteForceOptimumIsNeverWorseThanAnyPolicy()
    {
        var cost = new PrefillCostModel(1e-3);
        var sim = new ServingSimulator(new SimulationOptions { Cache = CacheModel.LastPrompt, Cost = cost });
        for (ulong seed = 0; seed < 25; seed++)
        {
            var rng = new Rng(seed);
            var q = ServingWorkloads.Definition4(rng, 2 + rng.NextInt(2), 2 + rng.NextInt(2), 100 + rng.NextInt(200), 20 + rng.NextInt(80), 0.05 + 0.1 * rng.Uniform());
            var (opt, order) = OptimalSchedule.MinMaxTtft(q, cost);
            Assert.Equal(opt, OptimalSchedule.Evaluate(q, order, cost).Max(), 1e-12);
            foreach (var s in new IScheduler[] { new FcfsScheduler(), new LpmScheduler(), new KLpmScheduler(2), new KLpmScheduler(3), new DfsWeightScheduler(), new HrrnScheduler() })
                Assert.True(opt <= sim.Run(q, s).MaxTtft + 1e-12);
        }
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1) { yield return items; yield break; }
        for (int i = 0; i < items.Length; i++)
            foreach (var rest in Permutations(items.Where((_, j) => j != i).ToArray()))
                yield return [items[i], .. rest];
    }

    [Fact]
    public void BruteForceOptimumEqualsTheMinimumOverEveryOrderEvaluatedDirectly()
    {
        // Independent of the pruned depth-first search: evaluate all n! orders with Evaluate and take the best.
        var cost = new PrefillCostModel(1e-3, 2e-4);
        for (ulong seed = 0; seed < 12; seed++)
        {
            var rng = new Rng(100 + seed);
            var q = ServingWorkloads.Definition4(rng, 2 + rng.NextInt(2), 2 + rng.NextInt(2), 100 + rng.NextInt(200), 20 + rng.NextInt(80), 0.05 + 0.1 * rng.Uniform());
            if (q.Length > 7) q = q[..7];
            double exhaustive = Permutations(Enumerable.Range(0, q.Length).ToArray()).Min(o => OptimalSchedule.Evaluate(q, o, cost).Max());
            var (opt, order) = OptimalSchedule.MinMaxTtft(q, cost);
            Assert.Equal(exhaustive, opt, 1e-12);
            Assert.Equal(exhaustive, OptimalSchedule.Evaluate(q, order, cost).Max(), 1e-12);
        }
    }

    // Counts the cycle advances the simulator reports to the policy it wraps.
    private sealed class CountingScheduler(IScheduler inner) : IScheduler
    {
        public long Advanced { get; private set; }
        public int MultiAdmissions { get; private set; }
        public string Name => inner.Name;
        public bool IsCacheAware => inner.IsCacheAware;
        public void Order(SchedulerInput input, Span<int> order) => inner.Order(input, order);
        public void Advance(int count)
        {
            Advanced += count;
            if (count >= 2) MultiAdmissions++;
            inner.Advance(count);
        }
        public void Idle() => inner.Idle();
        public void Reset()
        {
            Advanced = 0;
            MultiAdmissions = 0;
            inner.Reset();
        }
    }

    [Fact]
    public void BatchedServerAdvancesTheKLpmCycleOncePerAdmittedQuery()
    {
        // Algorithm 1 counts served queries: after a batch that admits m queries the next decision starts
        // m positions further on in the cycle. Every query is admitted exactly once (a chunked query at its
        // first chunk), so the advances add up to n, in both server modes.
        foreach (var opt in new[] { Batched, Theory })
        {
            var q = Stream(5);
            var counting = new CountingScheduler(new KLpmScheduler(3));
            var r = new ServingSimulator(opt).Run(q, counting);
            Assert.Equal(q.Length, r.Records.Count);
            Assert.Equal(q.Length, counting.Advanced);
            if (opt.Mode == ServerMode.Batched)
                Assert.True(counting.MultiAdmissions > 0, "no batch admitted two queries, so per-batch and per-query advances would agree");
        }
    }

    [Fact]
    public void BadInputGetsClearErrors()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new KLpmScheduler(0));
        Assert.Equal("k", e.ParamName);
        var sim = new ServingSimulator(new SimulationOptions());
        var ex = Assert.Throws<ArgumentException>(() => sim.Run([new Query(0, 1.0, [1]), new Query(1, 0.5, [2])], new FcfsScheduler()));
        Assert.Contains("sort the stream", ex.Message);
        Assert.Throws<ArgumentException>(() => sim.Run([new Query(0, -1.0, [1])], new FcfsScheduler()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ServingSimulator(new SimulationOptions { CacheCapacityTokens = 0 }));
        Assert.Throws<ArgumentException>(() => SchedulerFactory.Create("sjf"));
        Assert.Throws<ArgumentException>(() => SchedulerFactory.ParseK("0"));
    }
}
