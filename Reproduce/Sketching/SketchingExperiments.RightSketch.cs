using Reproduce.Compute;
using Reproduce.Data;
using Reproduce.Experiments;
using Reproduce.Figures;

namespace Reproduce.Sketching;

public static partial class SketchingExperiments
{
    private sealed record RightSweep(string Dataset, int[] Ts, double[][] Ratios, double[][] AriToExact, double[][] AriToTruth);

    private static IEnumerable<(string Name, int N, int D, int K)> RightDatasets(RunContext ctx) =>
        ctx.Pick<(string, int, int, int)[]>(
            [("mixture n=2000 d=50 k=5", 2000, 50, 5)],
            [("mixture n=10000 d=50 k=5", 10_000, 50, 5), ("mixture n=10000 d=500 k=10", 10_000, 500, 10),
             ("mixture n=100000 d=50 k=10", 100_000, 50, 10)]);

    // Keyed by device too (reference identity): a run on an accelerator must not be served the CPU sweep.
    private static readonly Dictionary<(ulong, Scale, Device), List<RightSweep>> RightCache = [];

    private static List<RightSweep> RunRightSweep(RunContext ctx)
    {
        lock (RightCache)
        {
            if (!RightCache.TryGetValue((ctx.Seed, ctx.Scale, ctx.Device), out var cached))
                RightCache[(ctx.Seed, ctx.Scale, ctx.Device)] = cached = ComputeRightSweep(ctx);
            return cached;
        }
    }

    private static List<RightSweep> ComputeRightSweep(RunContext ctx)
    {
        int[] ts = ctx.Pick<int[]>([4, 8, 16, 32], [4, 8, 16, 32, 64, 128]);
        int reps = ctx.Pick(3, 5);
        var sweeps = new List<RightSweep>();
        foreach (var (name, n, d, k) in RightDatasets(ctx))
        {
            var ratios = ts.Select(_ => new double[reps]).ToArray();
            var ariExact = ts.Select(_ => new double[reps]).ToArray();
            var ariTruth = ts.Select(_ => new double[reps]).ToArray();
            for (int r = 0; r < reps; r++)
            {
                ctx.Report($"right sketch: {name}, repeat {r + 1}/{reps}");
                var ds = Mixture(n, d, k, ctx.Rng($"data/{name}/{r}"));
                var run = ctx.Rng($"run/{name}/{r}");
                var exact = new LloydKMeans(k).Fit(ds.Points, run.Fork("lloyd"));
                for (int q = 0; q < ts.Length; q++)
                {
                    var sk = new SketchedKMeans(k, ts[q]).Fit(ds.Points, run);
                    ratios[q][r] = sk.CostOn(ds.Points) / exact.Cost;
                    ariExact[q][r] = ClusteringAgreement.AdjustedRandIndex(sk.Labels, exact.Labels);
                    ariTruth[q][r] = ClusteringAgreement.AdjustedRandIndex(sk.Labels, ds.Labels);
                }
            }
            sweeps.Add(new RightSweep(name, ts, ratios, ariExact, ariTruth));
        }
        return sweeps;
    }

    /// <summary>demo-right-sketch [proposal, brief §3]: cost on A of the assignment computed from AG
    /// (Lloyd + k-means++ on the sketched points, centres = exact centroids of those labels),
    /// divided by the cost of exact Lloyd on A with paired seeds, against the sketch dimension t.
    /// Plus one brute-force instance (n = 10, k = 3, d = 20) where the denominator is the exact
    /// optimum, so the ratio is ≥ 1 by definition.</summary>
    [Experiment(Paper + "/right-sketch-cost", "Cost ratio of assignments computed from the right sketch AG against sketch dimension t")]
    public static FigureResult RightSketchCost(RunContext ctx)
    {
        var sweeps = RunRightSweep(ctx);
        var table = new Table("dataset", "t", "repeat", "cost_ratio");
        var fig = new Figure(Paper + "/right-sketch-cost", "k-means cost of assignments from AG ÷ exact Lloyd cost");
        fig.Layout.X().Title = "sketch dimension t"; fig.Layout.X().Type = AxisType.Log;
        fig.Layout.Y().Title = "cost ratio (sketched / exact Lloyd)";
        var claims = new List<Claim>();
        var notes = new List<string>();
        foreach (var s in sweeps)
        {
            for (int q = 0; q < s.Ts.Length; q++)
                for (int r = 0; r < s.Ratios[q].Length; r++) table.Add(s.Dataset, s.Ts[q], r, s.Ratios[q][r]);
            fig.Add(Series(s.Dataset, s.Ts.Select(t => (double)t).ToArray(), s.Ratios));
            double first = s.Ratios[0].Average(), last = s.Ratios[^1].Average();
            claims.Add(PairedDecreaseClaim($"{s.Dataset}: cost ratio from t={s.Ts[0]} to t={s.Ts[^1]}", s.Ratios[0], s.Ratios[^1]));
            var excess = s.Ratios.Select(rs => rs.Average() - 1).ToArray();
            notes.Add($"{s.Dataset}: mean ratio {F(first)} at t={s.Ts[0]} → {F(last)} at t={s.Ts[^1]}; fitted slope of log(ratio−1) on log t = {F(LogLogSlope(s.Ts.Select(t => (double)t).ToArray(), excess))} (the 1 + O(1/√t) guess predicts −0.5; reported, not asserted).");
        }
        // Brute-force instance: exact optimum by enumerating all 3^10 labellings.
        var tiny = GaussianMixture.Generate(10, 20, 3, 1.0, ctx.Rng("data/brute-force"));
        var (_, optimum) = BruteForceKMeans.Solve(tiny.Points, 3);
        int[] tinyTs = [2, 4, 8, 16];
        var tinyRatios = new List<double>();
        foreach (var t in tinyTs)
        {
            var sk = new SketchedKMeans(3, t).Fit(tiny.Points, ctx.Rng("run/brute-force"));
            double ratio = sk.CostOn(tiny.Points) / optimum;
            tinyRatios.Add(ratio);
            table.Add("brute-force n=10 d=20 k=3", t, 0, ratio);
        }
        fig.Add(new ScatterTrace { Name = "brute-force n=10 d=20 k=3 (÷ exact optimum)", X = tinyTs.Select(t => (double)t).ToArray(), Y = [.. tinyRatios], Dash = "dot" });
        fig.Layout.Shapes.Add(new LineShape(tinyTs.Min(), 1, sweeps[0].Ts.Max(), 1));
        notes.Add($"Mixtures: separation c = {MixtureSeparation}, {ctx.Pick(3, 5)} seeds, Lloyd 5 k-means++ restarts, G with N(0,1/t) entries (hashed, 2⁻²⁴ grid).");
        var s0 = sweeps[0];
        var verdict = Verdict.Demonstrate(
            "assignments computed from AG alone (t = Õ(1/ε²) columns; O(log(k/ε)/ε²) preserve every k-means cost to 1 ± ε, Makarychev et al.) cost at most 1 + O(ε) times the best on A, so the ratio falls towards 1 as t grows.",
            $"{s0.Dataset}: cost ratio {MeanPm(s0.Ratios[0])} at t = {s0.Ts[0]}, {MeanPm(s0.Ratios[^1])} at t = {s0.Ts[^1]} (mean ± sd over {s0.Ratios[0].Length} seeds, paired with exact Lloyd); brute-force instance (n = 10): ratio to the exact optimum {string.Join(", ", tinyTs.Select((t, i) => $"t={t}: {F(tinyRatios[i])}"))}.");
        return new FigureResult(fig, table, claims, string.Join("\n", notes), verdict);
    }

    /// <summary>Assignment agreement [proposal]: adjusted Rand index between the labels computed
    /// from AG and (a) exact Lloyd's labels on A, (b) the generating components, against t.</summary>
    [Experiment(Paper + "/assignment-agreement", "Agreement of sketched assignments with exact Lloyd and with the truth against t")]
    public static FigureResult AssignmentAgreement(RunContext ctx)
    {
        var sweeps = RunRightSweep(ctx);
        var table = new Table("dataset", "t", "repeat", "ari_vs_exact_lloyd", "ari_vs_truth");
        var fig = new Figure(Paper + "/assignment-agreement", "Adjusted Rand index of assignments computed from AG");
        fig.Layout.X().Title = "sketch dimension t"; fig.Layout.X().Type = AxisType.Log;
        fig.Layout.Y().Title = "adjusted Rand index";
        var claims = new List<Claim>();
        var notes = new List<string>();
        foreach (var s in sweeps)
        {
            var x = s.Ts.Select(t => (double)t).ToArray();
            for (int q = 0; q < s.Ts.Length; q++)
                for (int r = 0; r < s.Ratios[q].Length; r++) table.Add(s.Dataset, s.Ts[q], r, s.AriToExact[q][r], s.AriToTruth[q][r]);
            fig.Add(Series(s.Dataset + " vs exact Lloyd", x, s.AriToExact));
            var truth = Series(s.Dataset + " vs generating components", x, s.AriToTruth);
            truth.Dash = "dash";
            fig.Add(truth);
            double first = s.AriToExact[0].Average(), last = s.AriToExact[^1].Average();
            claims.Add(PairedDecreaseClaim($"{s.Dataset}: 1 − ARI vs exact Lloyd from t={s.Ts[0]} to t={s.Ts[^1]}", s.AriToExact[0].Select(v => 1 - v).ToArray(), s.AriToExact[^1].Select(v => 1 - v).ToArray()));
            notes.Add($"{s.Dataset}: ARI vs exact Lloyd {F(first)} at t={s.Ts[0]} → {F(last)} at t={s.Ts[^1]}; vs truth {F(s.AriToTruth[0].Average())} → {F(s.AriToTruth[^1].Average())}.");
        }
        var a0 = sweeps[0];
        var verdict = Verdict.Demonstrate(
            "the assignments computed from AG agree increasingly with those of exact Lloyd on A as t grows (the paper outputs every point's assignment from the sketch).",
            $"{a0.Dataset}: ARI vs exact Lloyd {MeanPm(a0.AriToExact[0])} at t = {a0.Ts[0]} → {MeanPm(a0.AriToExact[^1])} at t = {a0.Ts[^1]}; vs the generating components {MeanPm(a0.AriToTruth[0])} → {MeanPm(a0.AriToTruth[^1])}.");
        return new FigureResult(fig, table, claims, string.Join("\n", notes), verdict);
    }
}
