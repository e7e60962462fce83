using System.Globalization;
using Reproduce.Experiments;
using Reproduce.Figures;

namespace Reproduce.Serving;

/// <summary>Figures of "LLM Query Scheduling with Prefix Reuse and Latency Constraints"
/// (Dexter et al., arXiv 2502.04677, NeurIPS 2025), regenerated with the discrete-event simulator on
/// synthetic workloads (the paper's data and GPU serving runs are not available). Every result
/// depends on the assumed cost model and cache (see <see cref="KlpmRegime"/>).</summary>
public static class KlpmExperiments
{
    private const long Inf = KLpmScheduler.Infinite;
    private static readonly string[] Colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#ff7f0e", "#17becf"];
    private static string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    private static Query[] ZipfStream(RunContext ctx, int repeat, double rate, int n) =>
        ServingWorkloads.ZipfProfiles(KlpmSweep.Stream(ctx, repeat, "zipf/rate/" + rate.ToString("R", CultureInfo.InvariantCulture)), n, KlpmRegime.Users, KlpmRegime.ZipfS, rate);

    /// <summary>P99 TTFT against request rate, one line per k (the paper's main serving figure).</summary>
    [Experiment("klpm/p99-vs-rate", "P99 TTFT vs request rate for k-LPM, k in {1,2,3,4,1000,inf} (simulated)")]
    public static FigureResult P99VersusRate(RunContext ctx)
    {
        double[] rates = ctx.Pick<double[]>([8, 12, 16, 20], [6, 8, 10, 12, 14, 16, 18, 20, 22]);
        long[] ks = ctx.Pick<long[]>([1, 2, Inf], [1, 2, 3, 4, 1000, Inf]);
        ServerMode[] modes = ctx.Pick<ServerMode[]>([ServerMode.Theory], [ServerMode.Theory, ServerMode.Batched]);
        int repeats = ctx.Pick(3, 10), n = ctx.Pick(1500, 2400);
        var table = new Table("mode", "rate", "k", "p99_mean_s", "p99_sd_s", "p99_min_s", "p99_max_s", "repeats");
        var fig = new Figure("klpm/p99-vs-rate", "P99 TTFT vs request rate (simulated; Zipf profiles, 40-prompt LRU radix cache)");
        if (modes.Length > 1) fig.Layout.Grid(1, modes.Length);
        fig.Layout.Width = 520 * modes.Length;
        var claims = new List<Claim>();
        var notes = new List<string>();
        for (int m = 0; m < modes.Length; m++)
        {
            var mode = modes[m];
            var sim = new ServingSimulator(KlpmRegime.Options(mode));
            ctx.Report($"p99-vs-rate: {mode} mode, {rates.Length} rates × {ks.Length} k × {repeats} repeats");
            var p99 = KlpmSweep.Grid(rates.Length, ks.Length, repeats, j =>
                sim.Run(ZipfStream(ctx, j.Repeat, rates[j.Point], n), new KLpmScheduler(ks[j.KIndex])).Percentile(0.99));
            var mean = new double[rates.Length, ks.Length];
            for (int ki = 0; ki < ks.Length; ki++)
            {
                var ys = new double[rates.Length];
                var err = new double[rates.Length];
                for (int p = 0; p < rates.Length; p++)
                {
                    var v = KlpmSweep.Slice(p99, p, ki, x => x);
                    mean[p, ki] = ys[p] = v.Average();
                    err[p] = KlpmSweep.Sd(v);
                    table.Add(mode.ToString(), rates[p], KlpmRegime.KLabel(ks[ki]), ys[p], err[p], v.Min(), v.Max(), repeats);
                }
                string ax = m == 0 ? "" : (m + 1).ToString(CultureInfo.InvariantCulture);
                fig.Add(new ScatterTrace
                {
                    Name = "k = " + KlpmRegime.KLabel(ks[ki]), X = rates, Y = ys, ErrorY = err, Color = Colors[ki % Colors.Length],
                    XAxis = "x" + ax, YAxis = "y" + ax, LegendGroup = "k" + ki, ShowLegend = m == 0,
                });
                fig.Layout.X(m + 1).Title = $"request rate (queries/s) — {mode} mode";
                fig.Layout.Y(m + 1).Title = "P99 TTFT (s, mean ± sd over seeds)";
                fig.Layout.Y(m + 1).Type = AxisType.Log;
            }
            // Who wins where.
            int k1 = Array.IndexOf(ks, 1L), k2 = Array.IndexOf(ks, 2L), kInf = Array.IndexOf(ks, Inf);
            int Best(int p) => Enumerable.Range(0, ks.Length).MinBy(ki => mean[p, ki]);
            notes.Add($"{mode}: best k per rate: " + string.Join(", ", rates.Select((r, p) => $"{F(r)}/s → {KlpmRegime.KLabel(ks[Best(p)])} ({F(mean[p, Best(p)])} s)")));
            // Hard identities: k = 1 is FCFS, k = ∞ is LPM, schedule for schedule (repeat 0, every rate).
            bool fcfsSame = true, lpmSame = true;
            foreach (double r in rates)
            {
                var q = ZipfStream(ctx, 0, r, n);
                fcfsSame &= sim.Run(q, new FcfsScheduler()).Records.SequenceEqual(sim.Run(q, new KLpmScheduler(1)).Records);
                lpmSame &= sim.Run(q, new LpmScheduler()).Records.SequenceEqual(sim.Run(q, new KLpmScheduler(Inf)).Records);
            }
            claims.Add(Claim.That($"{mode}: k = 1 gives exactly FCFS's schedule at every rate", fcfsSame));
            claims.Add(Claim.That($"{mode}: k = ∞ gives exactly LPM's schedule at every rate", lpmSame));
            if (mode != ServerMode.Theory) continue;
            int last = rates.Length - 1;
            claims.Add(Claim.LessOrEqual($"{mode}: FCFS within 10% of the best P99 at the lowest rate ({F(rates[0])}/s), ratio FCFS/best",
                mean[0, k1] / mean[0, Best(0)], 1.10));
            var k2Wins = Enumerable.Range(1, rates.Length - 2).Where(p => Enumerable.Range(0, ks.Length).All(ki => ki == k2 || mean[p, k2] < mean[p, ki])).Select(p => F(rates[p]) + "/s").ToArray();
            claims.Add(Claim.That($"{mode}: k = 2 strictly best P99 (seed mean) at some intermediate rate", k2Wins.Length > 0,
                "at least one rate", k2Wins.Length > 0 ? string.Join(", ", k2Wins) : "none"));
            claims.Add(Claim.LessOrEqual($"{mode}: LPM within 5% of the best P99 at the highest rate ({F(rates[last])}/s), ratio LPM/best",
                mean[last, kInf] / mean[last, Best(last)], 1.05));
            claims.Add(Claim.Less($"{mode}: LPM beats FCFS at the highest rate, ratio LPM/FCFS", mean[last, kInf] / mean[last, k1], 1.0));
        }
        return new FigureResult(fig, table, claims, string.Join("\n", notes));
    }

    /// <summary>P50/P90/P95/P99 TTFT at a light, a middle and a heavy rate (grouped bars).</summary>
    [Experiment("klpm/percentiles", "TTFT percentiles P50/P90/P95/P99 at light, mid and heavy load (simulated)")]
    public static FigureResult Percentiles(RunContext ctx)
    {
        double[] rates = [8, 16, 20];
        string[] rateNames = ["light", "mid", "heavy"];
        long[] ks = [1, 2, 4, Inf];
        double[] levels = [0.5, 0.9, 0.95, 0.99];
        string[] levelNames = ["P50", "P90", "P95", "P99"];
        int repeats = ctx.Pick(3, 10), n = ctx.Pick(1500, 2400);
        var sim = new ServingSimulator(KlpmRegime.Options(ServerMode.Theory));
        var res = KlpmSweep.Grid(rates.Length, ks.Length, repeats, j =>
        {
            var r = sim.Run(ZipfStream(ctx, j.Repeat, rates[j.Point], n), new KLpmScheduler(ks[j.KIndex]));
            return levels.Select(r.Percentile).ToArray();
        });
        var table = new Table("rate", "load", "k", "percentile", "ttft_mean_s", "ttft_sd_s", "repeats");
        var fig = new Figure("klpm/percentiles", "TTFT percentiles by k at three loads (simulated, theory mode)");
        fig.Layout.Grid(1, rates.Length);
        fig.Layout.BarMode = "group";
        fig.Layout.Width = 1200;
        var mean = new double[rates.Length, ks.Length, levels.Length];
        bool monotone = true;
        for (int p = 0; p < rates.Length; p++)
        {
            string ax = p == 0 ? "" : (p + 1).ToString(CultureInfo.InvariantCulture);
            for (int ki = 0; ki < ks.Length; ki++)
            {
                var ys = new double[levels.Length];
                var err = new double[levels.Length];
                for (int l = 0; l < levels.Length; l++)
                {
                    var v = KlpmSweep.Slice(res, p, ki, x => x[l]);
                    mean[p, ki, l] = ys[l] = v.Average();
                    err[l] = KlpmSweep.Sd(v);
                    table.Add(rates[p], rateNames[p], KlpmRegime.KLabel(ks[ki]), levelNames[l], ys[l], err[l], repeats);
                }
                for (int r = 0; r < repeats; r++)
                    for (int l = 1; l < levels.Length; l++) monotone &= res[p, ki, r][l] >= res[p, ki, r][l - 1];
                fig.Add(new BarTrace
                {
                    Name = "k = " + KlpmRegime.KLabel(ks[ki]), X = levelNames, Y = ys, ErrorY = err, Color = Colors[ki],
                    XAxis = "x" + ax, YAxis = "y" + ax, LegendGroup = "k" + ki, ShowLegend = p == 0,
                });
            }
            fig.Layout.X(p + 1).Title = $"{rateNames[p]} load: {F(rates[p])} queries/s";
            fig.Layout.Y(p + 1).Title = "TTFT (s)";
        }
        var claims = new List<Claim>
        {
            Claim.That("P50 ≤ P90 ≤ P95 ≤ P99 for every rate, k and seed", monotone),
        };
        // k = 2 against LPM (k = ∞) per percentile at the mid rate: k-LPM trades median for tail.
        var vsLpm = Enumerable.Range(0, levels.Length).Select(l => mean[1, 1, l] / mean[1, 3, l]).ToArray();
        claims.Add(Claim.That("mid load: k = 2's advantage over LPM is largest at P99 (ratio k=2/LPM smallest at P99)",
            vsLpm[3] <= vsLpm.Min() + 1e-12, "P99 ratio is the smallest",
            string.Join(", ", levelNames.Select((nm, l) => $"{nm} {vsLpm[l]:G3}"))));
        claims.Add(Claim.Less("mid load: k = 2 beats LPM at P99, ratio k=2/LPM", vsLpm[3], 1.0));
        // Against FCFS the gain of the best k-LPM (k = 2 or 4) is reported, not asserted.
        var gains = Enumerable.Range(0, levels.Length).Select(l => 1 - Math.Min(mean[1, 1, l], mean[1, 2, l]) / mean[1, 0, l]).ToArray();
        return new FigureResult(fig, table, claims,
            "Mid load, ratio k=2/LPM per percentile: " + string.Join(", ", levelNames.Select((nm, l) => $"{nm} {vsLpm[l]:G3}")) +
            "\nMid load, relative gain of the best of k ∈ {2, 4} over FCFS: " + string.Join(", ", levelNames.Select((nm, l) => $"{nm} {gains[l]:P1}")));
    }
    /// <summary>The Table-1 analogue: mean and P99 TTFT against the reusable-prefix fraction for k ∈ {1, 4, ∞}.</summary>
    [Experiment("klpm/prefix-ratio", "TTFT vs reusable-prefix fraction for k in {1,4,inf} (Table 1 analogue, simulated)")]
    public static FigureResult PrefixRatio(RunContext ctx)
    {
        double[] ratios = [0.25, 0.5, 0.75];
        long[] ks = [1, 4, Inf];
        const int length = 1000, perGroup = 4;
        const double load = 1.1; // offered load without any cache hit
        int repeats = ctx.Pick(3, 10), n = ctx.Pick(300, 2400);
        var cost = new PrefillCostModel(1e-4);
        double gap = cost.Seconds(length, 0) / load;
        var sim = new ServingSimulator(new SimulationOptions { Mode = ServerMode.Theory, Cache = CacheModel.LastPrompt, Cost = cost });
        var res = KlpmSweep.Grid(ratios.Length, ks.Length, repeats, j =>
        {
            int prefix = (int)Math.Round(length * ratios[j.Point]);
            var q = ServingWorkloads.Definition4(KlpmSweep.Stream(ctx, j.Repeat, "def4/ratio/" + j.Point), n / perGroup, perGroup, prefix, length - prefix, gap);
            var r = sim.Run(q, new KLpmScheduler(ks[j.KIndex]));
            return (r.MeanTtft, P99: r.Percentile(0.99));
        });
        var table = new Table("prefix_ratio", "k", "mean_ttft_s", "mean_sd_s", "p99_ttft_s", "p99_sd_s", "repeats");
        var fig = new Figure("klpm/prefix-ratio", "Mean and P99 TTFT vs reusable-prefix fraction (Definition-4 workload, theory mode)");
        fig.Layout.Grid(1, 2);
        fig.Layout.BarMode = "group";
        fig.Layout.Width = 1000;
        var mean = new double[ratios.Length, ks.Length];
        string[] labels = ratios.Select(r => r.ToString("P0", CultureInfo.InvariantCulture)).ToArray();
        for (int ki = 0; ki < ks.Length; ki++)
        {
            var m = new double[ratios.Length]; var me = new double[ratios.Length]; var p = new double[ratios.Length]; var pe = new double[ratios.Length];
            for (int ri = 0; ri < ratios.Length; ri++)
            {
                var mv = KlpmSweep.Slice(res, ri, ki, x => x.MeanTtft);
                var pv = KlpmSweep.Slice(res, ri, ki, x => x.P99);
                mean[ri, ki] = m[ri] = mv.Average(); me[ri] = KlpmSweep.Sd(mv);
                p[ri] = pv.Average(); pe[ri] = KlpmSweep.Sd(pv);
                table.Add(ratios[ri], KlpmRegime.KLabel(ks[ki]), m[ri], me[ri], p[ri], pe[ri], repeats);
            }
            fig.Add(new BarTrace { Name = "k = " + KlpmRegime.KLabel(ks[ki]), X = labels, Y = m, ErrorY = me, Color = Colors[ki], LegendGroup = "k" + ki });
            fig.Add(new BarTrace { Name = "k = " + KlpmRegime.KLabel(ks[ki]), X = labels, Y = p, ErrorY = pe, Color = Colors[ki], LegendGroup = "k" + ki, ShowLegend = false, XAxis = "x2", YAxis = "y2" });
        }
        fig.Layout.X(1).Title = "reusable prefix / prompt length"; fig.Layout.Y(1).Title = "mean TTFT (s)";
        fig.Layout.X(2).Title = "reusable prefix / prompt length"; fig.Layout.Y(2).Title = "P99 TTFT (s)";
        var gain = Enumerable.Range(0, ratios.Length).Select(ri => mean[ri, 0] / Math.Min(mean[ri, 1], mean[ri, 2])).ToArray();
        var claims = new List<Claim>
        {
            Claim.That("larger prefix fraction ⇒ larger gain of cache-aware policies over FCFS (mean TTFT ratio FCFS/best of k ∈ {4, ∞} increases)",
                gain[0] < gain[1] && gain[1] < gain[2], "increasing", string.Join(" < ", gain.Select(F))),
            Claim.Greater("cache-aware gain at the smallest prefix fraction (FCFS/best mean TTFT)", gain[0], 1.0),
        };
        return new FigureResult(fig, table, claims,
            $"Definition-4 workload: groups of {perGroup}, prompts of {length} tokens, regular arrivals every {F(gap)} s (offered load {load} without hits), shuffled; last-prompt cache (Definition 2). Gain FCFS/best: " + string.Join(", ", gain.Select(F)));
    }

    /// <summary>Token cache hit rate and completed throughput against request rate.</summary>
    [Experiment("klpm/hit-rate-throughput", "Cache hit rate and throughput vs request rate for k-LPM (simulated)")]
    public static FigureResult HitRateThroughput(RunContext ctx)
    {
        double[] rates = ctx.Pick<double[]>([8, 16, 24, 32], [4, 8, 12, 16, 20, 24, 28, 32]);
        long[] ks = ctx.Pick<long[]>([1, 2, Inf], [1, 2, 3, 4, Inf]);
        int repeats = ctx.Pick(3, 10), n = ctx.Pick(1500, 2400);
        var sim = new ServingSimulator(KlpmRegime.Options(ServerMode.Theory));
        var res = KlpmSweep.Grid(rates.Length, ks.Length, repeats, j =>
        {
            var r = sim.Run(ZipfStream(ctx, j.Repeat, rates[j.Point], n), new KLpmScheduler(ks[j.KIndex]));
            return (Hit: r.TokenHitRate, r.Throughput);
        });
        var table = new Table("rate", "k", "token_hit_rate", "hit_sd", "throughput_qps", "throughput_sd", "repeats");
        var fig = new Figure("klpm/hit-rate-throughput", "Token cache hit rate and throughput vs request rate (simulated, theory mode)");
        fig.Layout.Grid(1, 2);
        fig.Layout.Width = 1000;
        var hit = new double[rates.Length, ks.Length];
        var thr = new double[rates.Length, ks.Length];
        for (int ki = 0; ki < ks.Length; ki++)
        {
            var h = new double[rates.Length]; var he = new double[rates.Length]; var t = new double[rates.Length]; var te = new double[rates.Length];
            for (int p = 0; p < rates.Length; p++)
            {
                var hv = KlpmSweep.Slice(res, p, ki, x => x.Hit);
                var tv = KlpmSweep.Slice(res, p, ki, x => x.Throughput);
                hit[p, ki] = h[p] = hv.Average(); he[p] = KlpmSweep.Sd(hv);
                thr[p, ki] = t[p] = tv.Average(); te[p] = KlpmSweep.Sd(tv);
                table.Add(rates[p], KlpmRegime.KLabel(ks[ki]), h[p], he[p], t[p], te[p], repeats);
            }
            fig.Add(new ScatterTrace { Name = "k = " + KlpmRegime.KLabel(ks[ki]), X = rates, Y = h, ErrorY = he, Color = Colors[ki], LegendGroup = "k" + ki });
            fig.Add(new ScatterTrace { Name = "k = " + KlpmRegime.KLabel(ks[ki]), X = rates, Y = t, ErrorY = te, Color = Colors[ki], LegendGroup = "k" + ki, ShowLegend = false, XAxis = "x2", YAxis = "y2" });
        }
        fig.Add(new ScatterTrace { Name = "offered rate", X = rates, Y = rates, Mode = "lines", Dash = "dot", Color = "gray", XAxis = "x2", YAxis = "y2" });
        fig.Layout.X(1).Title = "request rate (queries/s)"; fig.Layout.Y(1).Title = "token cache hit rate";
        fig.Layout.X(2).Title = "request rate (queries/s)"; fig.Layout.Y(2).Title = "throughput (queries/s)";
        int last = rates.Length - 1, kInf = ks.Length - 1;
        double worstLow = Enumerable.Range(0, ks.Length).Max(ki => Math.Abs(thr[0, ki] / rates[0] - 1));
        var claims = new List<Claim>
        {
            Claim.LessOrEqual($"at the lowest rate ({F(rates[0])}/s) every k serves the offered load: max |throughput/rate − 1|", worstLow, 0.10),
            Claim.Greater($"at the highest rate ({F(rates[last])}/s) LPM's token hit rate exceeds FCFS's (difference)", hit[last, kInf] - hit[last, 0], 0),
            Claim.Greater($"at the highest rate LPM's throughput exceeds FCFS's (ratio)", thr[last, kInf] / thr[last, 0], 1.0),
        };
        return new FigureResult(fig, table, claims);
    }

    /// <summary>Tiny instances where the brute-force optimal schedule beats every policy (NP-hardness story).</summary>
    [Experiment("klpm/bruteforce-optimal", "Brute-force optimal max TTFT vs FCFS, LPM, k-LPM, DFS-weight, HRRN on tiny instances")]
    public static FigureResult BruteForceOptimal(RunContext ctx)
    {
        int instances = ctx.Pick(40, 300), maxN = ctx.Pick(7, 8);
        var cost = new PrefillCostModel(1e-3);
        var sim = new ServingSimulator(new SimulationOptions { Mode = ServerMode.Theory, Cache = CacheModel.LastPrompt, Cost = cost });
        Func<IScheduler>[] policies = [() => new FcfsScheduler(), () => new LpmScheduler(), () => new KLpmScheduler(2), () => new KLpmScheduler(3), () => new DfsWeightScheduler(), () => new HrrnScheduler()];
        string[] names = ["FCFS", "LPM", "k-LPM k=2", "k-LPM k=3", "DFS-weight", "HRRN"];
        var rows = new (double Opt, double[] Policy, Query[] Q)[instances];
        Parallel.For(0, instances, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var rng = KlpmSweep.Stream(ctx, i, "tiny");
            int groups = 2 + rng.NextInt(2);
            int per = Math.Max(2, maxN / groups - rng.NextInt(2));
            var q = ServingWorkloads.Definition4(rng, groups, per, 50 + rng.NextInt(250), 10 + rng.NextInt(90), 0.02 + 0.12 * rng.Uniform());
            var (opt, _) = OptimalSchedule.MinMaxTtft(q, cost);
            rows[i] = (opt, policies.Select(p => sim.Run(q, p()).MaxTtft).ToArray(), q);
        });
        var table = new Table("instance", "queries", "optimal_max_ttft_s", "best_policy_max_ttft_s", "best_policy_over_optimal", "fcfs_s", "lpm_s", "klpm2_s", "klpm3_s", "dfs_weight_s", "hrrn_s");
        for (int i = 0; i < instances; i++)
        {
            var (opt, pol, q) = rows[i];
            table.Add(i, q.Length, opt, pol.Min(), pol.Min() / opt, pol[0], pol[1], pol[2], pol[3], pol[4], pol[5]);
        }
        int worst = Enumerable.Range(0, instances).MaxBy(i => rows[i].Policy.Min() / rows[i].Opt);
        var fig = new Figure("klpm/bruteforce-optimal", "Optimal schedule vs policies on tiny instances (batch 1, last-prompt cache)");
        fig.Layout.Grid(1, 2);
        fig.Layout.Width = 1100;
        fig.Add(new BarTrace { Name = $"instance {worst}", X = [.. names, "optimal"], Y = [.. rows[worst].Policy, rows[worst].Opt], Color = "#1f77b4" });
        var ratios = rows.Select(r => r.Policy.Min() / r.Opt).Order().ToArray();
        fig.Add(new ScatterTrace { Name = "best policy / optimal (sorted)", X = Enumerable.Range(1, instances).Select(i => (double)i).ToArray(), Y = ratios, Mode = "lines+markers", Color = "#d62728", XAxis = "x2", YAxis = "y2" });
        fig.Layout.X(1).Title = $"instance {worst} ({rows[worst].Q.Length} queries)"; fig.Layout.Y(1).Title = "max TTFT (s)";
        fig.Layout.X(2).Title = "instance (sorted)"; fig.Layout.Y(2).Title = "best policy max TTFT / optimal";
        bool never = rows.All(r => r.Policy.All(p => r.Opt <= p + 1e-12));
        int strict = rows.Count(r => r.Policy.Min() > r.Opt * (1 + 1e-9));
        var claims = new List<Claim>
        {
            Claim.That("brute-force optimal max TTFT ≤ every policy's on every instance", never),
            Claim.GreaterOrEqual($"an instance where a TTFT limit met by the optimal order is missed by every policy: max best-policy/optimal", ratios[^1], 1.05),
        };
        return new FigureResult(fig, table, claims,
            $"{strict} of {instances} instances have an optimal max TTFT strictly below every policy; worst ratio {F(ratios[^1])} (instance {worst}).");
    }

    /// <summary>Which k minimises maximum TTFT under the stylised Definition-4 model, over (gap, prefix length).</summary>
    [Experiment("klpm/def4-maxttft", "argmin_k max TTFT over (inter-arrival gap, prefix length), Definition-4 model")]
    public static FigureResult Definition4MaxTtft(RunContext ctx)
    {
        int g = ctx.Pick(4, 12), n = ctx.Pick(200, 2000);
        const int suffix = 200, perGroup = 4;
        long[] ks = [1, 2, 3, 4, Inf];
        var gaps = Enumerable.Range(0, g).Select(i => 0.15 * i / (g - 1)).ToArray();
        var prefixes = Enumerable.Range(0, g).Select(i => (int)Math.Round(100 + 900.0 * i / (g - 1))).ToArray();
        var cost = new PrefillCostModel(1e-4);
        var sim = new ServingSimulator(new SimulationOptions { Mode = ServerMode.Theory, Cache = CacheModel.LastPrompt, Cost = cost });
        var res = KlpmSweep.Grid(g * g, ks.Length, 1, j =>
        {
            int gi = j.Point % g, pi = j.Point / g;
            var q = ServingWorkloads.Definition4(KlpmSweep.Stream(ctx, 0, $"def4/{gi}/{pi}"), n / perGroup, perGroup, prefixes[pi], suffix, gaps[gi]);
            return sim.Run(q, new KLpmScheduler(ks[j.KIndex])).MaxTtft;
        });
        var z = new double[g, g];
        var table = new Table("gap_s", "prefix_tokens", "best_k", "fcfs_s", "k2_s", "k3_s", "k4_s", "lpm_s", "middle_k_beats_both");
        int middleWins = 0;
        bool lpmBestAtZero = true, equalAtLargest = true;
        for (int pi = 0; pi < g; pi++)
            for (int gi = 0; gi < g; gi++)
            {
                var v = Enumerable.Range(0, ks.Length).Select(ki => res[pi * g + gi, ki, 0]).ToArray();
                int best = Enumerable.Range(0, ks.Length).MinBy(ki => v[ki]);
                z[pi, gi] = best;
                bool middle = new[] { v[1], v[2], v[3] }.Min() < Math.Min(v[0], v[4]) * (1 - 1e-9);
                if (middle) middleWins++;
                if (gi == 0) lpmBestAtZero &= v[4] <= v.Min() + 1e-12;
                if (gi == g - 1) equalAtLargest &= v.Max() - v.Min() <= 1e-12;
                table.Add(gaps[gi], prefixes[pi], KlpmRegime.KLabel(ks[best]), v[0], v[1], v[2], v[3], v[4], middle);
            }
        var fig = new Figure("klpm/def4-maxttft", "argmin_k max TTFT (0 = FCFS, 1–3 = k 2–4, 4 = LPM), Definition-4 model, batch 1");
        fig.Add(new HeatmapTrace
        {
            XLabels = gaps.Select(x => x.ToString("0.###", CultureInfo.InvariantCulture)).ToArray(),
            YLabels = prefixes.Select(p => p.ToString(CultureInfo.InvariantCulture)).ToArray(),
            Z = z, ColorScale = "Viridis", ColorBarTitle = "best k index",
        });
        fig.Layout.X().Title = "inter-arrival gap Δ (s)";
        fig.Layout.Y().Title = "shared prefix length (tokens)";
        var claims = new List<Claim>
        {
            Claim.That("all arrivals at time 0 (Δ = 0): LPM's max TTFT is the smallest of every k (LPM optimal for identical arrivals)", lpmBestAtZero),
            Claim.That($"Δ = {F(gaps[^1])} s exceeds every prefill time: no queue forms and every k gives the same max TTFT", equalAtLargest),
        };
        return new FigureResult(fig, table, claims,
            $"Cells where some k ∈ {{2, 3, 4}} has strictly lower max TTFT than both FCFS and LPM: {middleWins} of {g * g} (Theorem 2 predicts such a region for some ranges; not asserted).");
    }
}
