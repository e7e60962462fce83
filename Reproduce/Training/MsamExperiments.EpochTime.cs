using System.Diagnostics;
using System.Globalization;
using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;
using Reproduce.Nn;

namespace Reproduce.Training;

public static partial class MsamExperiments
{
    /// <summary>Wall time of one training epoch with SGD, SAM and mSAM (every m of the scale) on the
    /// same device in the same run, and the ratio to SGD (issue 21's target: mSAM ≤ 2× SGD).</summary>
    [Experiment("msam/epoch-time", "Seconds per training epoch: SGD, SAM and mSAM against the number of micro-batches (CPU, same run)")]
    public static FigureResult EpochTime(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var setup = SetupFor(ctx);
        // Smoke epochs take a fraction of a second, so more repeats cost little and steady the minimum.
        int repeats = ctx.Pick(5, 2);
        var t = setup.Settings;
        var rules = new List<(string Name, int M, Func<IOptimizer, IUpdateRule> Make)>
        {
            ("SGD", 0, o => new GradientRule(o)),
            ("SAM (two passes)", 1, o => new Sam(o, FlatnessRho)),
        };
        foreach (int m in setup.Ms) rules.Add(($"mSAM m = {m}", m, o => new Msam(o, FlatnessRho, m)));
        var data = Data(ctx);
        ulong seed = RunSeed(ctx, 0);
        int n = data.TrainY.Length, b = t.BatchSize, steps = n / b;
        var best = new double[rules.Count];
        Array.Fill(best, double.PositiveInfinity);
        for (int r = 0; r < repeats; r++)
        {
            // Every rule trains its own model from the same initialisation on the same batches, and the
            // rules take their steps in turn (step s of every rule, then step s + 1): load that comes and
            // goes during the measurement then slows every rule alike, which whole epochs one after the
            // other would not. A rule's epoch time is the sum of its own steps' wall times.
            var perm = new Rng(seed).Fork("shuffle").Permutation(n);
            var models = rules.Select(rule => (F: NewObjective(ctx, seed), Rule: rule.Make(new Sgd(t.Momentum, t.WeightDecay)))).ToArray();
            var seconds = new double[rules.Count];
            var clock = new Stopwatch();
            for (int s = 0; s < steps; s++)
                for (int k = 0; k < rules.Count; k++)
                {
                    var (f, rule) = models[k];
                    clock.Restart();
                    rule.Step(f.Mlp.Parameters, f, perm.AsSpan(s * b, b), t.LearningRate);
                    seconds[k] += clock.Elapsed.TotalSeconds;
                }
            for (int k = 0; k < rules.Count; k++) best[k] = Math.Min(best[k], seconds[k]);
            ctx.Report(string.Create(CultureInfo.InvariantCulture, $"msam/epoch-time: repeat {r + 1}/{repeats}: {string.Join(", ", rules.Select((x, k) => $"{x.Name} {seconds[k]:F2} s"))}"));
        }
        double sgd = best[0];
        var ratios = best.Select(x => x / sgd).ToArray();
        var table = new Table("rule", "num_micro_batches", "epoch_seconds", "ratio_to_sgd", "steps", "batch_size", "device");
        string device = "cpu, one thread (managed GEMM)";
        for (int k = 0; k < rules.Count; k++) table.Add(rules[k].Name, rules[k].M, best[k], ratios[k], steps, b, device);

        var fig = new Figure("msam/epoch-time", $"Seconds per epoch ({steps} steps of {b}), MLP {string.Join("–", setup.Sizes)}, one CPU thread; ratio to SGD under each bar");
        // Two-line tick labels (rule, then ratio): one-line labels were turned by plotly.js and ran into the axis title.
        fig.Add(new BarTrace { Name = "seconds per epoch", X = rules.Select((x, k) => string.Create(CultureInfo.InvariantCulture, $"{ShortName(x.Name)}<br>{ratios[k]:F2}×")).ToArray(), Y = best, Color = "steelblue" });
        fig.Layout.X().Title = "rule (m: mSAM with m micro-batches), ratio to SGD below";
        fig.Layout.Y().Title = "seconds per epoch (minimum of repeats)";

        // The issue's target concerns mSAM proper (m > 1); SAM and mSAM m = 1 are reported beside it.
        var msam = Enumerable.Range(0, rules.Count).Where(k => rules[k].M > 1 && rules[k].Name.StartsWith("mSAM", StringComparison.Ordinal)).ToArray();
        int worst = msam.MaxBy(k => ratios[k]);
        // The target is claimed at paper scale only: a smoke epoch (25 steps of 64) lasts a few hundred
        // milliseconds, and on 2 cores shared with a parallel test run (load average ~100) scheduling noise
        // alone moved the ratio from 1.3 to 2.1 between runs of the same code. Smoke reports it in the verdict.
        var claims = new List<Claim>();
        if (ctx.IsPaper)
            claims.Add(Claim.LessOrEqual($"largest mSAM (m > 1) epoch time ÷ SGD epoch time ({rules[worst].Name}; issue 21's target 2)", ratios[worst], 2));
        int meeting = msam.Count(k => ratios[k] <= 2);
        var verdict = Verdict.Demonstrate(
            "the abstract: mSAM \"can be implemented in a flexible and parallelizable manner without significantly increasing computational costs\"; issue 21's target: one mSAM epoch ≤ 2× an SGD epoch on the same device (SAM itself needs two gradient passes per step).",
            string.Create(CultureInfo.InvariantCulture,
                $"on this CPU an SGD epoch took {sgd:F2} s; ratios to SGD: {string.Join(", ", rules.Skip(1).Select((x, i) => $"{x.Name} {ratios[i + 1]:F2}×"))}. " +
                $"{meeting} of {msam.Length} mSAM configurations with m > 1 meet the 2× target; the slowest is {rules[worst].Name} at {ratios[worst]:F2}×."));
        string notes = string.Join("\n",
            Describe(ctx),
            $"Timing: one epoch ({steps} steps) per rule, the rules stepping in turn on their own models; {repeats} repeat(s), minimum kept; evaluation excluded; ρ = {F(FlatnessRho)} (the time does not depend on ρ > 0). Processor count {Environment.ProcessorCount}.",
            "All rules run on one thread with the same flat-array MLP kernel (managed GEMM). SAM evaluates two full-batch gradients per step. mSAM uses the fused kernel: each micro-batch's perturbation is a rank-(b/m) matrix, applied through (b/m)×(b/m) Gram matrices, so no perturbed weight copy is formed and every large product stays one full-batch GEMM; its extra cost over SGD is about b·(b/m)·784 multiply-adds per step for the input Grams (largest at m = 1).");
        return new FigureResult(fig, table, claims, notes, verdict);
    }

    /// <summary>"mSAM m = 4" → "m = 4", "SAM (two passes)" → "SAM": tick labels short enough to stay level.</summary>
    private static string ShortName(string rule) =>
        rule.StartsWith("mSAM ", StringComparison.Ordinal) ? rule["mSAM ".Length..] : rule.Split(" (")[0];
}
