using System.Diagnostics;
using Reproduce.Experiments;
using Reproduce.Figures;
using Reproduce.Nn;

namespace Reproduce.Compression;

public static partial class CompressionExperiments
{
    /// <summary>tab-prune-gradual: FFN neurons pruned with OSSCAR (greedy, 10 groups per step as released for FFN
    /// layers, then local search) one-shot to each kept fraction, against gradual pruning through the same fractions
    /// with a KD phase after every step; one-shot + the same number of KD steps as the fair comparison; group-magnitude
    /// pruning as the baseline; and the measured forward-pass speed-up of the physically smaller model. The paper's
    /// comparison (gradual + KD against one-shot + KD at the smallest fraction) is repeated with other KD batches, 2 runs
    /// of each at smoke scale and 3 at paper scale, and judged on the means against their standard error.</summary>
    [Experiment("compression/prune-gradual", "tab-prune-gradual: OSSCAR FFN-neuron pruning, one-shot vs gradual + KD, and measured speed-up")]
    public static FigureResult PruneGradual(RunContext ctx)
    {
        var (teacher, corpus, seq) = TrainedTeacher(ctx);
        double[] fractions = ctx.Pick(new[] { 0.75, 0.5 }, new[] { 0.9, 0.8, 0.7, 0.6, 0.5 });
        int calibSeqs = ctx.Pick(16, 128), kdSteps = ctx.Pick(40, 300), f0 = teacher.Config.FfnDim;
        var (calib, _) = CharCorpus.SampleBatch(corpus.Train, calibSeqs, seq, ctx.Rng("calibration"));
        var osscar = new Osscar { UpdateIter = 10, LocalIterations = ctx.Pick(5, 30) };
        var teach = TeacherTraining(ctx, seq);
        // extra: 1000 per repeat, so the repeats' KD phases draw other batches than the first run's (whose seeds are
        // ctx.Seed + 500 + k and + 700 + k for k < 10).
        LmTrainingOptions Phase(int k, ulong extra = 0) => teach with { Steps = kdSteps * k, PeakLr = teach.PeakLr / 3, WarmupSteps = Math.Min(teach.WarmupSteps, kdSteps / 4), Seed = ctx.Seed + 500 + (ulong)k + extra };
        int Keep(double f) => (int)Math.Round(f * f0);
        double Ppl(Gpt m) => Math.Exp(CharCorpus.Evaluate(m, corpus.Test, seq));
        // The paper's comparison at the smallest fraction is repeated with other KD batches (the pruning itself is
        // deterministic): one run of each schedule differs from the other by less than their seed-to-seed spread.
        int seeds = ctx.Pick(2, 3);

        int n = fractions.Length;
        var oneShot = new double[n]; var magnitude = new double[n]; var oneShotKd = new double[n]; var gradual = new double[n];
        var errOsscar = new double[n]; var errMagnitude = new double[n];
        var oneShotKdLo = new double[seeds]; var gradualLo = new double[seeds];
        Gpt? smallest = null;
        var pruned = new Gpt[n];
        // One-shot pruning of every fraction, OSSCAR and group magnitude, all at once on CPU copies.
        ForEachOnCpu(2 * n, j =>
        {
            int k = j % n;
            var (m, layers) = FfnNeuronPruning.Prune(CpuCopy(teacher), calib, calibSeqs, seq, Keep(fractions[k]),
                j < n ? (p, kk) => osscar.Prune(p, 1, kk) : (p, kk) => GroupMagnitudePruner.Prune(p, 1, kk), ctx.Seed);
            double e = layers.Average(r => r.RelativeError), ppl = Ppl(m);
            if (j < n) { pruned[k] = m; oneShot[k] = ppl; errOsscar[k] = e; }
            else { magnitude[k] = ppl; errMagnitude[k] = e; }
        });
        // One-shot + KD at fraction k, with as many KD steps as gradual has used by then.
        double OneShotKd(int k, ulong extra)
        {
            var m = Clone(pruned[k], ctx);
            LmTrainer.Distill(m, Clone(teacher, ctx), corpus, Phase(k + 1, extra), Kd);
            return Ppl(m);
        }
        // The gradual chain: prune (on a CPU copy) to each fraction in turn and distill after every step.
        (Gpt Model, double[] Ppl) Gradual(ulong extra)
        {
            var m = Clone(teacher, ctx); var ppl = new double[n];
            for (int k = 0; k < n; k++)
            {
                m = Clone(FfnNeuronPruning.Prune(CpuCopy(m), calib, calibSeqs, seq, Keep(fractions[k]), (p, kk) => osscar.Prune(p, 1, kk), ctx.Seed).Pruned, ctx);
                LmTrainer.Distill(m, Clone(teacher, ctx), corpus, Phase(1) with { Seed = ctx.Seed + 700 + (ulong)k + extra }, Kd);
                ppl[k] = Ppl(m);
            }
            return (m, ppl);
        }
        // Then the distillation: the first run at every fraction, and the repeats of both schedules at the smallest;
        // in parallel on the CPU, one after another on a GPU.
        int lo = n - 1;
        ForEachJob(ctx, n + 1 + 2 * (seeds - 1), j =>
        {
            if (j < n) oneShotKd[j] = OneShotKd(j, 0);
            else if (j == n) (smallest, gradual) = Gradual(0);
            else
            {
                int r = 1 + (j - n - 1) / 2; ulong extra = 1000 * (ulong)r;
                if ((j - n - 1) % 2 == 0) oneShotKdLo[r] = OneShotKd(lo, extra);
                else gradualLo[r] = Gradual(extra).Ppl[lo];
            }
        });
        oneShotKdLo[0] = oneShotKd[lo]; gradualLo[0] = gradual[lo];
        double dense = Ppl(teacher);

        // Speed-up of the smallest model, same forward code path and batch, timed here: dense and pruned
        // forwards alternate and each keeps its fastest repeat, so a burst of load on a shared machine slows
        // both or is discarded rather than biasing the ratio.
        int reps = ctx.Pick(7, 20), tb = ctx.Pick(64, 64);
        var (tokens, targets) = CharCorpus.SampleBatch(corpus.Test, tb, seq, ctx.Rng("timing"));
        double tDense = double.MaxValue, tPruned = double.MaxValue;
        for (int r = 0; r < reps; r++)
        {
            tDense = Math.Min(tDense, Time(() => teacher.Loss(tokens, targets, tb, seq)));
            tPruned = Math.Min(tPruned, Time(() => smallest!.Loss(tokens, targets, tb, seq)));
        }
        double speedup = tDense / tPruned;

        var table = new Table("method", "kept_fraction", "ffn_neurons", "seed", "test_perplexity", "mean_layer_relative_error");
        table.Add("dense", 1.0, f0, 0, dense, 0.0);
        for (int k = 0; k < n; k++)
        {
            table.Add("osscar one-shot", fractions[k], Keep(fractions[k]), 0, oneShot[k], errOsscar[k]);
            table.Add("group-magnitude one-shot", fractions[k], Keep(fractions[k]), 0, magnitude[k], errMagnitude[k]);
            table.Add($"osscar one-shot + KD", fractions[k], Keep(fractions[k]), 0, oneShotKd[k], double.NaN);
            table.Add("osscar gradual + KD", fractions[k], Keep(fractions[k]), 0, gradual[k], double.NaN);
        }
        for (int r = 1; r < seeds; r++)
        {
            table.Add($"osscar one-shot + KD", fractions[lo], Keep(fractions[lo]), r, oneShotKdLo[r], double.NaN);
            table.Add("osscar gradual + KD", fractions[lo], Keep(fractions[lo]), r, gradualLo[r], double.NaN);
        }
        var (oMean, oSd) = SampleStats.MeanSd(oneShotKdLo); var (gMean, gSd) = SampleStats.MeanSd(gradualLo);
        // Standard error of the difference of the two means (independent KD batches in every run).
        double se = Math.Sqrt((oSd * oSd + gSd * gSd) / seeds), gap = oMean - gMean;
        var fig = new Figure("compression/prune-gradual", $"FFN-neuron pruning of a {teacher.Config.Layers}-layer d = {teacher.Config.ModelDim} character GPT (FFN {f0}): one-shot vs gradual + KD ({kdSteps} KD steps per pruning step)");
        // Colours fixed so that the repeats' means below wear the colour of their schedule's line.
        const string oneShotKdColour = "#2ca02c", gradualColour = "#d62728";
        void Line(string name, double[] y, string? dash = null, string? colour = null) =>
            fig.Add(new ScatterTrace { Name = name, X = [1.0, .. fractions], Y = [dense, .. y], Dash = dash, Color = colour });
        Line("group-magnitude one-shot", magnitude, "dot", "#1f77b4");
        Line("OSSCAR one-shot", oneShot, colour: "#ff7f0e");
        Line("OSSCAR one-shot + KD (same KD steps)", oneShotKd, "dash", oneShotKdColour);
        Line("OSSCAR gradual + KD", gradual, colour: gradualColour);
        // The repeated comparison at the smallest fraction, the two points set a little apart so both bars show.
        double dx = 0.01 * (fractions.Max() - fractions.Min() + 0.1);
        fig.Add(new ScatterTrace { Name = $"one-shot + KD, mean ± sd of {seeds} runs", X = [fractions[lo] - dx], Y = [oMean], ErrorY = [oSd], Mode = "markers", Color = oneShotKdColour, MarkerOutline = "#000000" });
        fig.Add(new ScatterTrace { Name = $"gradual + KD, mean ± sd of {seeds} runs", X = [fractions[lo] + dx], Y = [gMean], ErrorY = [gSd], Mode = "markers", Color = gradualColour, MarkerOutline = "#000000" });
        fig.Layout.X().Title = "kept fraction of FFN neurons (every block)";
        fig.Layout.Y().Title = "test perplexity (characters)";
        fig.Layout.Y().Type = AxisType.Log;

        // The paper says "much better": reproduced when gradual + KD is below one-shot + KD by more than two standard
        // errors of the difference of the means; the claim is the direction of the means.
        bool gradualWins = gap > 2 * se;
        var claims = new List<Claim>
        {
            Claim.That("OSSCAR layer error ≤ group-magnitude at every kept fraction (equal neuron count)", Enumerable.Range(0, n).All(k => errOsscar[k] <= errMagnitude[k])),
            Claim.LessOrEqual($"OSSCAR one-shot perplexity ≤ group-magnitude at {fractions[lo]:0.##} kept", oneShot[lo], magnitude[lo]),
            Claim.Less($"KD after one-shot pruning lowers perplexity at {fractions[lo]:0.##} kept", oneShotKd[lo], oneShot[lo]),
        };
        // At smoke scale the 250-step teacher is so under-trained that halving its FFN barely moves perplexity and
        // any extra training improves it, and a 32-wide model's forward time is overhead, not FLOPs: both
        // comparisons would be coin flips there, so they are claims at paper scale only (shown in the verdict always).
        if (ctx.IsPaper)
        {
            claims.Add(Claim.LessOrEqual($"gradual + KD mean perplexity ≤ one-shot + KD mean at {fractions[lo]:0.##} kept, {seeds} runs each (paper direction)", gMean, oMean));
            claims.Add(Claim.Greater($"measured forward speed-up of the {fractions[lo]:0.##}-FFN model over dense", speedup, 1));
        }
        var verdict = Verdict.Judge(
            "gradual structured pruning with KD between steps recovers much better than one-shot pruning (2502.14305: near-lossless 3B → 2.4B); OSSCAR reaches 2× inference speed-up on OPT-2.7B with far lower perplexity than prior structured pruning.",
            $"at {fractions[lo]:0.##} of the FFN neurons kept: dense {F(dense)}, group-magnitude one-shot {F(magnitude[lo])}, OSSCAR one-shot {F(oneShot[lo])}, one-shot + KD {F(oneShotKd[lo])}, gradual + KD {F(gradual[lo])} ({Pct(100 * (gradual[lo] / oneShotKd[lo] - 1))} vs one-shot + KD); over {seeds} runs of each with other KD batches, one-shot + KD {F(oMean)} ± {F(oSd)}, gradual + KD {F(gMean)} ± {F(gSd)} (mean ± sd), one-shot + KD minus gradual + KD {F(gap)}, that is {F(se > 0 ? gap / se : double.NaN)} standard errors of the difference (a clear win for gradual needs more than +2: {(gradualWins ? "yes" : "no")}); forward pass {F(1e3 * tDense)} ms dense vs {F(1e3 * tPruned)} ms pruned, speed-up {F(speedup)}× (fastest of {reps} alternated repeats, {tb}×{seq} tokens, {ctx.Device}).",
            reproduced: gradualWins && speedup > 1, partly: gradualWins || speedup > 1);
        return new FigureResult(fig, table, claims,
            $"OSSCAR with 10 neurons removed per greedy step and {osscar.LocalIterations} local-search iterations; {calibSeqs}×{seq} calibration tokens; KD τ = {Kd.Temperature}, α = {Kd.Alpha}, peak rate {F(Phase(1).PeakLr)}; attention heads are pruned in compression/prune-speedup.", verdict);
    }

    private static double Time(Action a)
    {
        var sw = Stopwatch.StartNew();
        a();
        return sw.Elapsed.TotalSeconds;
    }
}
