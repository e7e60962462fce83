using System.Globalization;
using Reproduce.Compute;
using Reproduce.Data;
using Reproduce.Experiments;
using Reproduce.Figures;
using Reproduce.Nn;

namespace Reproduce.Training;

public static partial class MsamExperiments
{
    /// <summary>Sizes and settings of the CNN figure at a scale.</summary>
    internal sealed record CnnSetup(int[] Channels, TrainingSettings Settings, int[] Ms, double[] Rhos, int Seeds);

    /// <summary>Paper scale (the issue's "small CNN on the GPU machine"): conv3×3(8)–pool–conv3×3(16)–pool–fc
    /// on all 60,000 training images, b = 128, 3 epochs, ρ ∈ {0.05, 0.1}, m ∈ {1, 4, 16}, 3 seeds (21 runs).
    /// The grid is sized, before any run, for a few minutes of one GPU: an mSAM step makes 2m small
    /// forward–backward passes, each a few dozen kernel launches, so launches (not FLOPs) set the time.
    /// Smoke: blocks of 4 and 8 channels on the committed subset, b = 32, 1 epoch, ρ = 0.05, m ∈ {1, 4}, 2 seeds
    /// (6 runs of 50 steps: enough to learn far above chance, and seconds on a laptop).</summary>
    internal static CnnSetup CnnSetupFor(RunContext ctx) => ctx.IsPaper
        ? new CnnSetup([8, 16], new TrainingSettings(Epochs: 3, BatchSize: 128, LearningRate: 0.05, Momentum: 0.9, WeightDecay: 5e-4), [1, 4, 16], [0.05, 0.1], Seeds: 3)
        : new CnnSetup([4, 8], new TrainingSettings(Epochs: 1, BatchSize: 32, LearningRate: 0.05, Momentum: 0.9, WeightDecay: 5e-4), [1, 4], [0.05], Seeds: 2);

    /// <summary>Fashion-MNIST images are 28×28 with one channel; the data's 784 rows per column are the
    /// pixels row by row, which is the HWC layout of <see cref="ImageShape"/> for one channel.</summary>
    internal static readonly ImageShape FashionImage = new(1, 28, 28);

    /// <summary>A fresh CNN (initialised from <paramref name="runSeed"/>) on the training data, float64 on the
    /// context's device (float64 so that SAM's flat-vector arithmetic is the same on every device).</summary>
    internal static CnnObjective NewCnnObjective(RunContext ctx, ulong runSeed)
    {
        var data = Data(ctx);
        return new CnnObjective(new Cnn(FashionImage, CnnSetupFor(ctx).Channels, 10, runSeed, 3, DType.F64, ctx.Device), data.TrainX, data.TrainY);
    }

    /// <summary>One CNN run, cached: SGD when ρ = 0, else mSAM with m micro-batches (m = 1: SAM).</summary>
    internal static TrainingRun RunCnn(RunContext ctx, double rho, int m, int repeat)
    {
        string key = string.Create(CultureInfo.InvariantCulture, $"cnn/{ctx.Scale}/{ctx.Device.Name}/{ctx.Seed}/{rho}/{(rho == 0 ? 1 : m)}/{repeat}");
        return Runs.GetOrAdd(key, _ =>
        {
            var setup = CnnSetupFor(ctx); var data = Data(ctx);
            ulong seed = RunSeed(ctx, repeat);
            Func<IOptimizer, IUpdateRule> rule = rho == 0 ? o => new GradientRule(o) : m == 1 ? o => new Sam(o, rho) : o => new Msam(o, rho, m);
            return ClassifierTraining.Train(NewCnnObjective(ctx, seed), data.TestX, data.TestY, rule, setup.Settings, new Rng(seed).Fork("shuffle"),
                rho, rho == 0 ? 1 : m, seed, ctx.Progress);
        });
    }

    /// <summary>demo-acc for a CNN: test accuracy against m for each ρ (mean ± sd over seeds), SGD as a
    /// band, Fashion-MNIST. Runs in parallel on the CPU (one per core), one after another on a GPU.</summary>
    [Experiment("msam/cnn-accuracy-vs-m", "Test accuracy against the number of micro-batches m for a small CNN, several ρ, SGD as a band (Fashion-MNIST)")]
    public static FigureResult CnnAccuracyVersusM(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var setup = CnnSetupFor(ctx);
        var jobs = setup.Rhos.SelectMany(r => setup.Ms.Select(m => (Rho: r, M: m)))
            .SelectMany(c => Enumerable.Range(0, setup.Seeds).Select(s => (c.Rho, c.M, Seed: s)))
            .Concat(Enumerable.Range(0, setup.Seeds).Select(s => (Rho: 0.0, M: 1, Seed: s))).ToArray();
        bool cpu = ctx.Device.Kind == DeviceKind.Cpu;
        ctx.Report($"msam cnn: {jobs.Length} training runs of {setup.Settings.Epochs} epochs on {ctx.Device.Name}" + (cpu ? $", {Environment.ProcessorCount} at a time" : ", one at a time"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int done = 0;
        // On the CPU one run per core, OpenBLAS single-threaded meanwhile: the convolution GEMMs are small
        // (k²·Cin ≤ 72 rows), and with more callers than cores OpenBLAS's worker threads spin against them
        // (the GEMM share of a smoke SAM epoch fell from 3.7 s to 0.9 s on 2 loaded cores, same results).
        var blas = cpu ? Device.Cpu.Backend as OpenBlasCpuBackend : null;
        int previous = blas?.SetNativeThreads(1) ?? -1;
        try
        {
            Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = cpu ? Environment.ProcessorCount : 1 }, j =>
            {
                var run = RunCnn(ctx, j.Rho, j.M, j.Seed);
                int k = Interlocked.Increment(ref done);
                ctx.Report(string.Create(CultureInfo.InvariantCulture, $"msam cnn: run {k}/{jobs.Length} done ({run.Rule}, seed {j.Seed}, test accuracy {run.TestAccuracy:P2}), {clock.Elapsed.TotalSeconds:F0} s elapsed"));
            });
        }
        finally { if (previous > 0) blas!.SetNativeThreads(previous); }

        var table = new Table("rule", "rho", "num_micro_batches", "seed", "test_accuracy", "initial_train_loss", "final_train_loss", "train_seconds");
        void AddRow(TrainingRun r) => table.Add(r.Rule, r.Rho, r.NumMicroBatches, r.Seed, r.TestAccuracy, r.InitialTrainLoss, r.FinalTrainLoss, r.EpochSeconds.Sum());
        var sgd = Enumerable.Range(0, setup.Seeds).Select(s => RunCnn(ctx, 0, 1, s)).ToArray();
        foreach (var r in sgd) AddRow(r);
        var sgdAcc = sgd.Select(r => r.TestAccuracy).ToArray();
        var (sgdMean, sgdSd) = MeanSd(sgdAcc);
        var fig = new Figure("msam/cnn-accuracy-vs-m", $"Small CNN: test accuracy against the number of micro-batches m (m = 1 is SAM), mean ± sd over {setup.Seeds} seeds; SGD band: mean ± sd");
        double[] xs = [setup.Ms[0], setup.Ms[^1]];
        fig.Add(new ScatterTrace { Name = "SGD (ρ = 0) mean", X = xs, Y = [sgdMean, sgdMean], Mode = "lines", Color = "black", Dash = "dash" });
        fig.Add(new ScatterTrace { Name = "SGD mean ± sd", X = xs, Y = [sgdMean + sgdSd, sgdMean + sgdSd], Mode = "lines", Color = "grey", Dash = "dot", LegendGroup = "sgd-band" });
        fig.Add(new ScatterTrace { Name = "SGD mean − sd", X = xs, Y = [sgdMean - sgdSd, sgdMean - sgdSd], Mode = "lines", Color = "grey", Dash = "dot", LegendGroup = "sgd-band", ShowLegend = false });
        string[] colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd"];
        var acc = new Dictionary<(double, int), double[]>();
        for (int k = 0; k < setup.Rhos.Length; k++)
        {
            double rho = setup.Rhos[k];
            var ys = new double[setup.Ms.Length]; var sds = new double[setup.Ms.Length];
            for (int i = 0; i < setup.Ms.Length; i++)
            {
                var runs = Enumerable.Range(0, setup.Seeds).Select(s => RunCnn(ctx, rho, setup.Ms[i], s)).ToArray();
                foreach (var r in runs) AddRow(r);
                acc[(rho, setup.Ms[i])] = runs.Select(r => r.TestAccuracy).ToArray();
                (ys[i], sds[i]) = MeanSd(acc[(rho, setup.Ms[i])]);
            }
            fig.Add(new ScatterTrace { Name = string.Create(CultureInfo.InvariantCulture, $"ρ = {rho}"), X = setup.Ms.Select(m => (double)m).ToArray(), Y = ys, ErrorY = sds, Color = colours[k % colours.Length] });
        }
        fig.Layout.X().Title = "number of micro-batches m (log scale; batch size " + setup.Settings.BatchSize + ")";
        fig.Layout.X().Type = AxisType.Log;
        fig.Layout.Y().Title = "test accuracy";

        // Every configuration trains: bounds fixed by arguments (uniform predictor ln 10; chance accuracy 10 %
        // plus 5 binomial standard errors), as in msam/accuracy-vs-m.
        int nTest = Data(ctx).TestY.Length;
        double chanceBar = 0.1 + 5 * Math.Sqrt(0.1 * 0.9 / nTest);
        var final = table.Numbers("final_train_loss"); var initial = table.Numbers("initial_train_loss");
        var claims = new List<Claim>
        {
            Claim.Less("largest final training loss over all CNN runs (uniform predictor: ln 10)", final.Max(), Math.Log(10)),
            Claim.That("every CNN run's final training loss is below its initial loss", final.Zip(initial).All(p => p.First < p.Second),
                actual: $"{final.Zip(initial).Count(p => p.First < p.Second)} of {table.RowCount}"),
            Claim.Greater(string.Create(CultureInfo.InvariantCulture, $"smallest CNN test accuracy over all runs (chance 0.1 + 5 binomial standard errors at n = {nTest})"), table.Numbers("test_accuracy").Min(), chanceBar),
        };
        // The abstract's direction (mSAM ≥ SAM ≥ SGD) as non-inferiority against the seed spread: seeds share
        // initialisation and batch order across rules (common random numbers), so differences are paired
        // per seed, and a claim fails only when the paired mean difference is below zero by more than its
        // two-sided 95 % Student-t margin t₀.₉₇₅(s − 1)·sd/√s, i.e. when the run shows the rule significantly worse.
        var lines = new List<string>();
        foreach (double rho in setup.Rhos)
        {
            var sam = acc[(rho, 1)];
            var (d1, m1) = PairedDifference(sam, sgdAcc);
            claims.Add(Claim.GreaterOrEqual(string.Create(CultureInfo.InvariantCulture, $"ρ = {rho}: SAM − SGD test accuracy, paired mean over {setup.Seeds} seeds plus its 95 % t margin (negative = SAM significantly worse)"), d1 + m1, 0));
            var msamMean = Enumerable.Range(0, setup.Seeds).Select(s => setup.Ms.Where(m => m > 1).Average(m => acc[(rho, m)][s])).ToArray();
            var (d2, m2) = PairedDifference(msamMean, sam);
            claims.Add(Claim.GreaterOrEqual(string.Create(CultureInfo.InvariantCulture, $"ρ = {rho}: mSAM (mean over m > 1) − SAM test accuracy, paired mean plus its 95 % t margin (negative = mSAM significantly worse)"), d2 + m2, 0));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"ρ = {rho}: SAM − SGD {d1:+0.00%;−0.00%} ± {m1:P2}, mSAM(m > 1) − SAM {d2:+0.00%;−0.00%} ± {m2:P2}"));
        }
        var best = acc.MaxBy(p => p.Value.Average());
        var verdict = Verdict.Demonstrate(
            "the abstract: mSAM generalises better than SAM, and SAM better than SGD, across image-classification and NLP tasks; the paper's tables (CIFAR/ImageNet-scale models, GLUE) are not available, so this small CNN on Fashion-MNIST is the brief's proposed demonstration, not a reproduction.",
            string.Create(CultureInfo.InvariantCulture,
                $"SGD {sgdMean:P2} ± {sgdSd:P2}; best cell {best.Value.Average():P2} at ρ = {best.Key.Item1}, m = {best.Key.Item2}. Paired differences (mean ± 95 % t margin over {setup.Seeds} seeds): {string.Join("; ", lines)}."));
        var c = setup.Settings;
        string notes = string.Join("\n",
            string.Create(CultureInfo.InvariantCulture, $"Data: {Data(ctx).Source}. Model: {new Cnn(FashionImage, setup.Channels, 10, 0).Describe()} (ReLU, max pooling, cross-entropy, PyTorch-default uniform initialisation), float64 on {ctx.Device.Name}."),
            string.Create(CultureInfo.InvariantCulture, $"Optimizer: SGD, momentum {c.Momentum}, weight decay {c.WeightDecay}, constant learning rate {c.LearningRate}, batch size b = {c.BatchSize} (last incomplete batch dropped), {c.Epochs} epochs. m is the number of micro-batches of b/m images; m = 1 is SAM. ρ ∈ {{{string.Join(", ", setup.Rhos.Select(F))}}}, m ∈ {{{string.Join(", ", setup.Ms)}}}, {setup.Seeds} seeds (a seed fixes initialisation and batch order, shared by all rules)."),
            "Error bars and the SGD band are ± one sample standard deviation over seeds; the claims compare paired differences with Student-t margins.");
        return new FigureResult(fig, table, claims, notes, verdict);
    }

    /// <summary>Mean of a − b over paired seeds and its two-sided 95 % Student-t margin t₀.₉₇₅(s − 1)·sd/√s.</summary>
    internal static (double Mean, double Margin) PairedDifference(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        if (a.Count != b.Count || a.Count < 2) throw new ArgumentException($"A paired comparison needs the same seeds on both sides, at least 2; got {a.Count} and {b.Count}.");
        var d = a.Zip(b, (x, y) => x - y).ToArray();
        var (mean, sd) = MeanSd(d);
        return (mean, TQuantile975(d.Length - 1) * sd / Math.Sqrt(d.Length));
    }

    /// <summary>t₀.₉₇₅ of Student's t with <paramref name="df"/> degrees of freedom (table; between tabulated
    /// values the quantile of the smaller df, which is larger, so margins are never too narrow).</summary>
    internal static double TQuantile975(int df) => df switch
    {
        < 1 => throw new ArgumentOutOfRangeException(nameof(df), df, "Degrees of freedom must be at least 1."),
        1 => 12.706, 2 => 4.303, 3 => 3.182, 4 => 2.776, 5 => 2.571, 6 => 2.447, 7 => 2.365, 8 => 2.306, 9 => 2.262, 10 => 2.228,
        <= 15 => 2.201, <= 20 => 2.120, <= 30 => 2.080, _ => 2.042,
    };
}
