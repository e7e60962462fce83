using System.Globalization;
using Reproduce.Experiments;
using Reproduce.Figures;

namespace Reproduce.Serving;

/// <summary>Figures of "LLM Query Scheduling with Prefix Reuse and Latency Constraints"
/// (Dexter et al., arXiv 2502.04677, NeurIPS 2025), regenerated with the discrete-event simulator on
/// synthetic workloads (the paper's data and GPU serving runs are not available). Every result
/// depends on the assumed cost model and cache (see <see cref="KlpmRegime"/>).</summary>
public static partial class KlpmExperiments
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
        var notes = new List<string>(); var measured = new List<string>();
        bool k2Shown = false, lpmHigh = false, fcfsLow = false;
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
            // Who wins where. Equal seed means (several k often give the same schedules) are ties: every tied k is listed,
            // so a tie is never read as one k winning (MinBy would pick the first).
            int k1 = Array.IndexOf(ks, 1L), k2 = Array.IndexOf(ks, 2L), kInf = Array.IndexOf(ks, Inf);
            double BestMean(int p) => Enumerable.Range(0, ks.Length).Min(ki => mean[p, ki]);
            string BestKs(int p) => string.Join(" = ", Enumerable.Range(0, ks.Length).Where(ki => mean[p, ki] <= BestMean(p) * (1 + 1e-12)).Select(ki => KlpmRegime.KLabel(ks[ki])));
            notes.Add($"{mode}: best k per rate (ties joined by '='): " + string.Join(", ", rates.Select((r, p) => $"{F(r)}/s → {BestKs(p)} ({F(BestMean(p))} s)")));
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
            int last = rates.Length - 1;
            // Paired comparison with common random numbers: every k sees the same query stream in repeat r, so k = 2 is
            // compared with FCFS and with LPM repeat by repeat. A sign test: k = 2 strictly better in all R repeats has
            // probability 2^-R under "no difference" (1/8 at smoke, 1/1024 at paper scale) for each comparison.
            bool Dominates(int p, int a, int b) => Enumerable.Range(0, repeats).All(r => p99[p, a, r] < p99[p, b, r]);
            var k2Wins = Enumerable.Range(0, rates.Length).Where(p => Dominates(p, k2, k1) && Dominates(p, k2, kInf)).ToArray();
            string k2At = k2Wins.Length > 0 ? string.Join(", ", k2Wins.Select(p => F(rates[p]) + "/s")) : "none";
            bool lpmBeatsFcfs = Dominates(last, kInf, k1);
            if (mode == ServerMode.Theory)
            {
                // Whether k = 2 separates from both extremes is the paper's central result: the verdict reports it (reproduced
                // only when the paired test separates it), a claim would turn a non-reproduction into a failed run.
                claims.Add(Claim.That($"{mode}: LPM's P99 below FCFS's in every one of {repeats} paired repeats at the highest rate ({F(rates[last])}/s)", lpmBeatsFcfs));
                k2Shown = k2Wins.Length > 0; lpmHigh = lpmBeatsFcfs;
                fcfsLow = mean[0, k1] <= BestMean(0) * 1.10;
            }
            measured.Add($"{mode} mode: k = 2's P99 is below both FCFS's and LPM's in every one of {repeats} paired seeds at {k2At}; best mean P99 per rate: "
                + string.Join(", ", rates.Select((r, p) => $"{F(r)}/s → {BestKs(p)}")) + $"; at {F(rates[last])}/s LPM/FCFS P99 = {F(mean[last, kInf] / mean[last, k1])}");
        }
        var verdict = Verdict.Judge(
            "k = 2 gives the best P99 TTFT over a wide range of request rates; FCFS is as good as any policy at low load and LPM wins at the heaviest loads.",
            string.Join("; ", measured) + $" (mean over {repeats} seeds; FCFS within 10 % of the best at {F(rates[0])}/s: {(fcfsLow ? "yes" : "no")}).",
            reproduced: k2Shown && lpmHigh && fcfsLow, partly: lpmHigh && fcfsLow);
        return new FigureResult(fig, table, claims, string.Join("\n", notes), verdict);
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
                fig.Add(new BarTrace
                {
                    Name = "k = " + KlpmRegime.KLabel(ks[ki]), X = levelNames, Y = ys, ErrorY = err, Color = Colors[ki],
                    XAxis = "x" + ax, YAxis = "y" + ax, LegendGroup = "k" + ki, ShowLegend = p == 0,
                });
            }
            fig.Layout.X(p + 1).Title = $"{rateNames[p]} load: {F(rates[p])} queries/s";
            fig.Layout.Y(p + 1).Title = "TTFT (s)";
        }
        // Percentiles of one sample are ordered by construction (P50 ≤ … ≤ P99), so that is not a claim. k = 2 against LPM
        // (k = ∞) at the mid rate, paired by seed (common random numbers: every k serves the same stream in repeat r):
        // a sign test, k = 2 below LPM in all R repeats has probability 2^-R under "no difference" (1/8 at smoke, 1/1024
        // at paper scale).
        var vsLpm = Enumerable.Range(0, levels.Length).Select(l => mean[1, 1, l] / mean[1, 3, l]).ToArray();
        int p99 = levels.Length - 1;
        int k2BelowLpm = Enumerable.Range(0, repeats).Count(r => res[1, 1, r][p99] < res[1, 3, r][p99]);
        // Whether the advantage is largest at P99 compares ratios across percentiles; per seed it is reported, not claimed.
        int tailLargest = Enumerable.Range(0, repeats).Count(r =>
            Enumerable.Range(0, levels.Length).All(l => res[1, 1, r][p99] / res[1, 3, r][p99] <= res[1, 1, r][l] / res[1, 3, r][l] + 1e-12));
        var claims = new List<Claim>
        {
            Claim.That($"mid load ({F(rates[1])}/s): k = 2's P99 below LPM's in every one of {repeats} paired repeats", k2BelowLpm == repeats, "all repeats", $"{k2BelowLpm} of {repeats}"),
        };
        // Against FCFS the gain of the best k-LPM (k = 2 or 4) is reported, not asserted.
        var gains = Enumerable.Range(0, levels.Length).Select(l => 1 - Math.Min(mean[1, 1, l], mean[1, 2, l]) / mean[1, 0, l]).ToArray();
        var verdict = Verdict.Judge("k-LPM's advantage is in the tail: it keeps most of LPM's cache reuse while bounding how long any query waits, so against LPM it gains most at P99.",
            $"mid load ({F(rates[1])}/s), ratio k=2/LPM of the seed means: " + string.Join(", ", levelNames.Select((nm, l) => $"{nm} {F(vsLpm[l])}"))
            + $"; k = 2's P99 below LPM's in {k2BelowLpm} of {repeats} paired seeds; the k=2/LPM ratio smallest at P99 in {tailLargest} of {repeats} seeds"
            + "; gain of the best of k ∈ {2, 4} over FCFS: " + string.Join(", ", levelNames.Select((nm, l) => $"{nm} {gains[l]:P1}")) + $" (means over {repeats} seeds).",
            reproduced: k2BelowLpm == repeats && tailLargest == repeats && gains[p99] > 0, partly: k2BelowLpm == repeats);
        return new FigureResult(fig, table, claims,
            "Mid load, ratio k=2/LPM per percentile: " + string.Join(", ", levelNames.Select((nm, l) => $"{nm} {vsLpm[l]:G3}")) +
            "\nMid load, relative gain of the best of k ∈ {2, 4} over FCFS: " + string.Join(", ", levelNames.Select((nm, l) => $"{nm} {gains[l]:P1}")), verdict);
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
            // One stream per repeat for every prefix fraction and k (common random numbers), so the fractions are compared
            // seed by seed: only the prefix length differs between them.
            var q = ServingWorkloads.Definition4(KlpmSweep.Stream(ctx, j.Repeat, "def4/ratio"), n / perGroup, perGroup, prefix, length - prefix, gap);
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
        // Paired by seed (sign tests, 2^-R under "no difference"): the gain FCFS / best of k ∈ {4, ∞} of repeat r at each
        // fraction, all from the same query stream. Comparing seed means instead would call noise a trend.
        double Gain(int ri, int r) => res[ri, 0, r].MeanTtft / Math.Min(res[ri, 1, r].MeanTtft, res[ri, 2, r].MeanTtft);
        int lastRatio = ratios.Length - 1;
        int gainGrows = Enumerable.Range(0, repeats).Count(r => Gain(lastRatio, r) > Gain(0, r));
        int gainMonotone = Enumerable.Range(0, repeats).Count(r => Enumerable.Range(1, lastRatio).All(ri => Gain(ri, r) > Gain(ri - 1, r)));
        int cacheHelps = Enumerable.Range(0, repeats).Count(r => Gain(0, r) > 1);
        var claims = new List<Claim>
        {
            Claim.That($"gain of cache-aware policies over FCFS (mean TTFT, FCFS / best of k ∈ {{4, ∞}}) larger at {labels[lastRatio]} than at {labels[0]} prefix in every one of {repeats} paired seeds",
                gainGrows == repeats, "all seeds", $"{gainGrows} of {repeats}"),
            Claim.That($"at the smallest prefix fraction ({labels[0]}) the best of k ∈ {{4, ∞}} has a lower mean TTFT than FCFS in every one of {repeats} paired seeds",
                cacheHelps == repeats, "all seeds", $"{cacheHelps} of {repeats}"),
        };
        var verdict = Verdict.Judge("(Table 1, one H100, Llama-3.2-1B) the TTFT gain of cache-aware scheduling over FCFS grows with the reusable-prefix fraction.",
            $"simulated Definition-4 workload: mean-TTFT gain FCFS/best of k ∈ {{4, ∞}} = {string.Join(" / ", gain.Select(F))} at prefix fractions {string.Join(" / ", labels)} (seed means); "
            + $"larger at {labels[lastRatio]} than at {labels[0]} in {gainGrows} of {repeats} paired seeds, increasing at every step in {gainMonotone} of {repeats} ({repeats} seeds; cost model, not a GPU).",
            reproduced: gainMonotone == repeats && cacheHelps == repeats, partly: gainGrows == repeats);
        return new FigureResult(fig, table, claims,
            $"Definition-4 workload: groups of {perGroup}, prompts of {length} tokens, regular arrivals every {F(gap)} s (offered load {load} without hits), shuffled; last-prompt cache (Definition 2). Gain FCFS/best: " + string.Join(", ", gain.Select(F)), verdict);
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
        // Paired (common random numbers: the same stream for every k in repeat r): LPM's hit rate and throughput above
        // FCFS's in every repeat at the highest rate (sign test, 2^-R under no difference).
        bool hitPaired = Enumerable.Range(0, repeats).All(r => res[last, kInf, r].Hit > res[last, 0, r].Hit);
        bool thrPaired = Enumerable.Range(0, repeats).All(r => res[last, kInf, r].Throughput > res[last, 0, r].Throughput);
        var claims = new List<Claim>
        {
            Claim.That($"at the highest rate ({F(rates[last])}/s) LPM's token hit rate exceeds FCFS's in every one of {repeats} paired repeats", hitPaired, "all repeats", $"mean difference {F(hit[last, kInf] - hit[last, 0])}"),
            Claim.That($"at the highest rate LPM's throughput exceeds FCFS's in every one of {repeats} paired repeats", thrPaired, "all repeats", $"mean ratio {F(thr[last, kInf] / thr[last, 0])}"),
        };
        var verdict = Verdict.Demonstrate("the mechanism behind the TTFT results: cache-aware orders raise the token hit rate and so the throughput once the server saturates.",
            $"at {F(rates[last])}/s token hit rate FCFS {F(hit[last, 0])} vs LPM {F(hit[last, kInf])}, throughput {F(thr[last, 0])} vs {F(thr[last, kInf])} queries/s; at {F(rates[0])}/s every k serves {F(Enumerable.Range(0, ks.Length).Min(ki => thr[0, ki]))}–{F(Enumerable.Range(0, ks.Length).Max(ki => thr[0, ki]))} queries/s ({repeats} seeds).");
        return new FigureResult(fig, table, claims, null, verdict);
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
        // The first claim checks the brute force (every policy's order is one of the orders it enumerates), not the paper.
        // The second compares online policies with a clairvoyant offline optimum: it shows the gap NP-hardness leaves room
        // for, it is not evidence of NP-hardness (a theorem the simulation cannot test).
        var claims = new List<Claim>
        {
            Claim.That("oracle check: brute-force optimal max TTFT ≤ every policy's on every instance", never),
            Claim.GreaterOrEqual($"online policies vs the offline optimum: some instance where every policy's max TTFT is ≥ 5 % above it (max best-policy/optimal)", ratios[^1], 1.05),
        };
        var verdict = Verdict.Demonstrate("the paper proves that meeting TTFT limits with prefix reuse is NP-hard; tiny instances show how far the online policies fall from a clairvoyant optimal order.",
            $"{strict} of {instances} instances have an optimal max TTFT strictly below every policy; median best-policy/optimal {F(ratios[instances / 2])}, worst {F(ratios[^1])} (instance {worst}).");
        return new FigureResult(fig, table, claims,
            $"{strict} of {instances} instances have an optimal max TTFT strictly below every policy; worst ratio {F(ratios[^1])} (instance {worst}).", verdict);
    }

    /// <summary>Which k minimises maximum TTFT under the stylised Definition-4 model, over (gap, prefix length).</summary>
    private static readonly string[] Def4Colors = ["#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#d62728"];

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
        int middleWins = 0, ties = 0;
        bool lpmBestAtZero = true, equalAtLargest = true;
        for (int pi = 0; pi < g; pi++)
            for (int gi = 0; gi < g; gi++)
            {
                var v = Enumerable.Range(0, ks.Length).Select(ki => res[pi * g + gi, ki, 0]).ToArray();
                // Several k often give the same schedule (at large Δ every k does): a tie is drawn grey (code −1) and listed with '=',
                // never read as the first k winning (MinBy would pick it).
                var best = Enumerable.Range(0, ks.Length).Where(ki => v[ki] <= v.Min() * (1 + 1e-12)).ToArray();
                z[pi, gi] = best.Length == 1 ? best[0] : -1;
                bool middle = new[] { v[1], v[2], v[3] }.Min() < Math.Min(v[0], v[4]) * (1 - 1e-9);
                if (middle) middleWins++;
                if (best.Length > 1) ties++;
                if (gi == 0) lpmBestAtZero &= v[4] <= v.Min() + 1e-12;
                if (gi == g - 1) equalAtLargest &= v.Max() - v.Min() <= 1e-12;
                table.Add(gaps[gi], prefixes[pi], string.Join(" = ", best.Select(ki => KlpmRegime.KLabel(ks[ki]))), v[0], v[1], v[2], v[3], v[4], middle);
            }
        var fig = new Figure("klpm/def4-maxttft", "argmin_k max TTFT (ties: several k share the minimum), Definition-4 model, batch 1");
        fig.Add(new HeatmapTrace
        {
            XLabels = gaps.Select(x => x.ToString("0.###", CultureInfo.InvariantCulture)).ToArray(),
            YLabels = prefixes.Select(p => p.ToString(CultureInfo.InvariantCulture)).ToArray(),
            Z = z, ColorBarTitle = "best k",
            // One distinct colour per k, grey for ties, so a tie is never read as a k winning.
            Categories = [new(-1, "tie", "#bdbdbd"), .. ks.Select((k, i) => new HeatmapCategory(i, KlpmRegime.KLabel(k), Def4Colors[i]))],
        });
        fig.Layout.X().Title = "inter-arrival gap Δ (s)";
        fig.Layout.Y().Title = "shared prefix length (tokens)";
        // Δ = 0 (all queries present at once): LPM's grouping is optimal for max TTFT under the last-prompt cache (the
        // paper's argument), a statement a wrong scheduler or cache fails. Equal results at the largest Δ hold by
        // construction (no queue) and are reported, not claimed.
        var claims = new List<Claim>
        {
            Claim.That("all arrivals at time 0 (Δ = 0): LPM's max TTFT is the smallest of every k (LPM optimal for identical arrivals)", lpmBestAtZero),
        };
        var verdict = Verdict.Judge("(Theorem 2 / Corollary 3) under the regular-arrival shuffled-queue model there are ranges of (Δ, prefix length) where some finite k > 1 minimises the maximum TTFT, beating both FCFS and LPM.",
            $"cells where some k ∈ {{2, 3, 4}} has strictly lower max TTFT than both FCFS and LPM: {middleWins} of {g * g}; LPM best at Δ = 0: {(lpmBestAtZero ? "yes" : "no")}; cells where several k tie for the best (drawn grey): {ties}; all k equal at the largest Δ: {(equalAtLargest ? "yes" : "no")}.",
            reproduced: middleWins > 0, partly: false);
        return new FigureResult(fig, table, claims,
            $"Cells where some k ∈ {{2, 3, 4}} has strictly lower max TTFT than both FCFS and LPM: {middleWins} of {g * g} (Theorem 2 predicts such a region for some ranges; not asserted).", verdict);
    }
}
