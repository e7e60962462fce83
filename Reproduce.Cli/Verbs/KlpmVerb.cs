using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Reproduce.Compute;
using Reproduce.Serving;

namespace Reproduce.Cli.Verbs;

/// <summary>`reproduce klpm simulate|bench`: run one query stream through the serving simulator of
/// the k-LPM paper (arXiv 2502.04677) with a chosen policy, or time the simulator and the radix cache.</summary>
public sealed class KlpmVerb : ICliVerb
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <inheritdoc />
    public Command Build()
    {
        var cmd = new Command("klpm", "k-LPM prefix-aware scheduling simulator (arXiv 2502.04677).");
        cmd.Add(BuildSimulate());
        cmd.Add(BuildBench());
        return cmd;
    }

    private static Command BuildSimulate()
    {
        var sim = new Command("simulate", "Simulate a query stream under a policy and print TTFT percentiles, hit rate and throughput.");
        var workload = new Option<string>("--workload") { Description = "zipf (Zipf(1.0) users, 100/700/200 tokens) | brew360 (users × 4 questions, shuffled) | def4 (Definition 4, groups of 4, regular arrivals). Ignored with --trace.", DefaultValueFactory = _ => "zipf" };
        var policy = new Option<string>("--policy") { Description = "fcfs | lpm | klpm | dfs-weight | hrrn", DefaultValueFactory = _ => "klpm" };
        var k = new Option<string>("--k") { Description = "k for klpm: an integer >= 1 or 'inf'.", DefaultValueFactory = _ => "2" };
        var rate = new Option<double>("--rate") { Description = "Request rate (queries/s) for Poisson workloads; def4 uses gap = 1/rate.", DefaultValueFactory = _ => 16 };
        var queries = new Option<int>("--queries") { Description = "Number of queries to generate.", DefaultValueFactory = _ => 1500 };
        var mode = new Option<string>("--mode") { Description = "theory (batch 1) | batched (SGLang-like engine).", DefaultValueFactory = _ => "theory" };
        var cacheTokens = new Option<long>("--cache-tokens") { Description = "Radix cache capacity in tokens.", DefaultValueFactory = _ => KlpmRegime.CacheTokens };
        var lastPrompt = new Option<bool>("--last-prompt-cache") { Description = "Theory mode: cache only the previous prompt (the paper's Definition 2)." };
        var a = new Option<double>("--a") { Description = "Cost: seconds per new token.", DefaultValueFactory = _ => 1e-4 };
        var cattn = new Option<double>("--c-attn") { Description = "Cost: attention weight c_attn (quadratic term a·c_attn·(L² − h²)).", DefaultValueFactory = _ => 0.0 };
        var fallback = new Option<int?>("--queue-fallback") { Description = "Use FCFS when more than this many queries wait (SGLang: 128)." };
        var seed = new Option<ulong>("--seed") { Description = "Random seed of the generated workload.", DefaultValueFactory = _ => 1UL };
        var trace = new Option<string?>("--trace") { Description = "Read the stream from a JSONL trace instead of generating one." };
        var outCsv = new Option<string?>("--out") { Description = "Write per-query results as CSV (id, arrival, start, finish, ttft, length, matched)." };
        var outJsonl = new Option<string?>("--results") { Description = "Write per-query results as JSONL." };
        var saveTrace = new Option<string?>("--save-trace") { Description = "Write the generated stream as a JSONL trace." };
        foreach (var o in new Option[] { workload, policy, k, rate, queries, mode, cacheTokens, lastPrompt, a, cattn, fallback, seed, trace, outCsv, outJsonl, saveTrace }) sim.Add(o);
        sim.SetAction(pr =>
        {
            try
            {
                var scheduler = SchedulerFactory.Create(pr.GetValue(policy)!, SchedulerFactory.ParseK(pr.GetValue(k)!));
                var serverMode = pr.GetValue(mode)!.Trim().ToLowerInvariant() switch
                {
                    "theory" => ServerMode.Theory,
                    "batched" => ServerMode.Batched,
                    var m => throw new ArgumentException($"Unknown --mode '{m}'. Use 'theory' or 'batched'."),
                };
                var options = KlpmRegime.Options(serverMode) with
                {
                    CacheCapacityTokens = pr.GetValue(cacheTokens),
                    Cache = pr.GetValue(lastPrompt) ? CacheModel.LastPrompt : CacheModel.Radix,
                    Cost = new PrefillCostModel(pr.GetValue(a), pr.GetValue(cattn), serverMode == ServerMode.Batched ? 5e-3 : 0),
                    QueueFallback = pr.GetValue(fallback),
                };
                Query[] stream;
                if (pr.GetValue(trace) is { } path) stream = JsonlTrace.ReadFile(path, pr.GetValue(seed));
                else stream = Generate(pr.GetValue(workload)!, new Rng(pr.GetValue(seed)), pr.GetValue(queries), pr.GetValue(rate));
                if (pr.GetValue(saveTrace) is { } st) using (var w = new StreamWriter(st)) JsonlTrace.Write(w, stream);
                var sw = Stopwatch.StartNew();
                var r = new ServingSimulator(options).Run(stream, scheduler);
                sw.Stop();
                Console.WriteLine($"{r.Policy}, {serverMode} mode, {stream.Length} queries, simulated in {sw.Elapsed.TotalSeconds:F2} s");
                Console.WriteLine(string.Create(Inv, $"TTFT (s): P50 {r.Percentile(0.5):G4}  P90 {r.Percentile(0.9):G4}  P95 {r.Percentile(0.95):G4}  P99 {r.Percentile(0.99):G4}  max {r.MaxTtft:G4}  mean {r.MeanTtft:G4}"));
                Console.WriteLine(string.Create(Inv, $"token hit rate {r.TokenHitRate:P1}, throughput {r.Throughput:G4} queries/s, busy {r.BusyTime:G4} s of {r.Makespan:G4} s"));
                if (pr.GetValue(outCsv) is { } csv)
                {
                    using var w = new StreamWriter(csv);
                    w.WriteLine("id,arrival,start,finish,ttft,length,matched");
                    foreach (var x in r.Records) w.WriteLine(string.Create(Inv, $"{x.Id},{x.Arrival:R},{x.Start:R},{x.Finish:R},{x.Ttft:R},{x.Length},{x.Matched}"));
                }
                if (pr.GetValue(outJsonl) is { } jl) using (var w = new StreamWriter(jl)) JsonlTrace.WriteResults(w, r);
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or FileNotFoundException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
        });
        return sim;
    }

    private static Query[] Generate(string workload, Rng rng, int n, double rate) => workload.Trim().ToLowerInvariant() switch
    {
        "zipf" => ServingWorkloads.ZipfProfiles(rng, n, KlpmRegime.Users, KlpmRegime.ZipfS, rate),
        "brew360" => ServingWorkloads.Brew360(rng, Math.Max(1, n / 4), 4, rate),
        "def4" => ServingWorkloads.Definition4(rng, Math.Max(1, n / 4), 4, 700, 300, 1 / rate),
        _ => throw new ArgumentException($"Unknown --workload '{workload}'. Use zipf, brew360 or def4."),
    };

    private static Command BuildBench()
    {
        var bench = new Command("bench", "Time the batch-1 simulator (requests/s) and radix match/insert against prompt length.");
        var n = new Option<int>("--queries") { Description = "Queries in the simulator throughput run.", DefaultValueFactory = _ => 1_000_000 };
        var len = new Option<int>("--prompt-tokens") { Description = "Prompt length for the throughput run.", DefaultValueFactory = _ => 2000 };
        bench.Add(n);
        bench.Add(len);
        bench.SetAction(pr =>
        {
            SimulatorThroughput(pr.GetValue(n), pr.GetValue(len));
            RadixCost();
            return 0;
        });
        return bench;
    }

    private static void SimulatorThroughput(int n, int length)
    {
        // A pool of prompts (instruction 10% + profile 70% + question 20%, Zipf users) replayed n times.
        var rng = new Rng(42);
        int instr = length / 10, profile = length * 7 / 10, question = length - instr - profile;
        var pool = ServingWorkloads.ZipfProfiles(rng.Fork("pool"), 4000, KlpmRegime.Users, 1.0, 1, instr, profile, question);
        var cost = new PrefillCostModel(1e-5);
        double rate = 0.7 / cost.Seconds(length, 0) * 1.5;
        var stream = ServingWorkloads.FromPool(rng.Fork("stream"), pool, n, rate);
        var options = new SimulationOptions { Mode = ServerMode.Theory, Cost = cost, CacheCapacityTokens = 40L * length };
        foreach (var policy in new IScheduler[] { new FcfsScheduler(), new KLpmScheduler(2), new LpmScheduler() })
        {
            var sw = Stopwatch.StartNew();
            var r = new ServingSimulator(options).Run(stream, policy);
            sw.Stop();
            Console.WriteLine(string.Create(Inv, $"simulator, theory mode, {length}-token prompts, {n} queries at {rate:G3}/s, {policy.Name}: {sw.Elapsed.TotalSeconds:F2} s = {n / sw.Elapsed.TotalSeconds:N0} requests/s (hit rate {r.TokenHitRate:P0}, P99 {r.Percentile(0.99):G3} s)"));
        }
    }

    private static void RadixCost()
    {
        Console.WriteLine("radix cache, 64 cached prompts sharing a half-length prefix; ns per operation (ns per token):");
        foreach (int length in new[] { 128, 512, 2048, 8192, 32768 })
        {
            var rng = new Rng((ulong)length);
            var shared = ServingWorkloads.Segment(rng, length / 2);
            int[] Prompt() => [.. shared, .. ServingWorkloads.Segment(rng, length - length / 2)];
            var prompts = Enumerable.Range(0, 256).Select(_ => Prompt()).ToArray();
            var cache = new RadixCache(64L * length);
            foreach (var p in prompts.Take(64)) cache.Insert(p);
            int reps = Math.Max(2000, 20_000_000 / length);
            var sw = Stopwatch.StartNew();
            long sink = 0;
            for (int i = 0; i < reps; i++) sink += cache.Match(prompts[i % 64]);
            double match = sw.Elapsed.TotalSeconds * 1e9 / reps;
            int inserts = Math.Max(500, 2_000_000 / length);
            sw.Restart();
            for (int i = 0; i < inserts; i++) cache.Insert(prompts[64 + i % 192]);
            double insert = sw.Elapsed.TotalSeconds * 1e9 / inserts;
            Console.WriteLine(string.Create(Inv, $"  L = {length,6}: match {match,10:N0} ns ({match / length:F2}/token)   insert+evict {insert,10:N0} ns ({insert / length:F2}/token)   [{sink % 2}]"));
        }
    }
}
