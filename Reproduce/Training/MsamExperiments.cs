using System.Collections.Concurrent;
using System.Globalization;
using Reproduce.Compute;
using Reproduce.Data;
using Reproduce.Experiments;
using Reproduce.Nn;

namespace Reproduce.Training;

/// <summary>Demonstrations for "mSAM: Micro-Batch-Averaged Sharpness-Aware Minimization" (Behdin et
/// al., arXiv:2302.09693). The paper's tables, hyperparameters and code are not available, so every
/// figure is a demonstration proposed by the brief (accuracy and flatness against the number of
/// micro-batches m, the cost of an mSAM epoch), on Fashion-MNIST with a 784–128–10 ReLU MLP, plus the
/// same accuracy comparison for a small CNN and the coherence link to the SGD-stability paper. The MLP
/// trains on the CPU in float64 whatever the context's device (its micro-batch GEMMs are too small for a
/// GPU to help); the CNN trains on the context's device. Runs are cached per process so the accuracy
/// and flatness figures share them within one notebook run.</summary>
public static partial class MsamExperiments
{
    /// <summary>ρ at which flatness is compared: Keras' SAM default (brief §6), fixed before any run.</summary>
    public const double FlatnessRho = 0.05;

    /// <summary>Paper-scale radii. The brief proposes {0.02, 0.05, 0.1, 0.2}; 0.02 (the radius closest to
    /// SGD) is left out so that all three figures at paper scale fit a 7-minute budget on 16 cores
    /// (57 training runs of 10 epochs instead of 75). A setting, chosen before any paper-scale run.</summary>
    internal static readonly double[] PaperRhos = [0.05, 0.1, 0.2];

    private static readonly ConcurrentDictionary<string, TrainingRun> Runs = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, MsamData> DataCache = new(StringComparer.Ordinal);

    /// <summary>The sizes and settings of a scale.</summary>
    internal sealed record Setup(int[] Sizes, TrainingSettings Settings, int[] Ms, double[] Rhos, int Seeds, int TrainCount);

    internal static Setup SetupFor(RunContext ctx) => ctx.IsPaper
        ? new Setup([FashionMnist.Pixels, 128, 10], new TrainingSettings(Epochs: 10, BatchSize: 128, LearningRate: 0.05, Momentum: 0.9, WeightDecay: 5e-4),
            [1, 2, 4, 8, 16, 32], PaperRhos, Seeds: 3, TrainCount: 60_000)
        : new Setup([FashionMnist.Pixels, 32, 10], new TrainingSettings(Epochs: 3, BatchSize: 64, LearningRate: 0.05, Momentum: 0.9, WeightDecay: 5e-4),
            [1, 4, 16], [0.05], Seeds: 2, TrainCount: 1_600);

    /// <summary>Training inputs (features×N) and labels, and the test set.</summary>
    internal sealed record MsamData(Matrix TrainX, int[] TrainY, Matrix TestX, int[] TestY, string Source);

    /// <summary>Paper scale: the 60,000/10,000 Fashion-MNIST split (Debian dataset-fashion-mnist; a
    /// clear error names the package when it is missing). Smoke: the committed 2,000-image subset,
    /// first 1,600 for training and the last 400 for testing.</summary>
    internal static MsamData Data(RunContext ctx) => DataCache.GetOrAdd(ctx.Scale.ToString(), _ =>
    {
        if (ctx.IsPaper)
        {
            var train = FashionMnist.Load(FashionMnistSplit.Train);
            var test = FashionMnist.Load(FashionMnistSplit.Test);
            return new MsamData(Ops.Transpose(train.Points), train.Labels, Ops.Transpose(test.Points), test.Labels,
                "Fashion-MNIST, 60,000 training and 10,000 test images (Debian dataset-fashion-mnist)");
        }
        var all = FashionMnist.Load(FashionMnistSplit.Subset);
        var x = Ops.Transpose(all.Points);
        int n = 1_600;
        var trainIdx = Enumerable.Range(0, n).ToArray();
        var testIdx = Enumerable.Range(n, all.Count - n).ToArray();
        return new MsamData(Ops.GatherColumns(x, trainIdx), all.Labels[..n], Ops.GatherColumns(x, testIdx), all.Labels[n..],
            $"the committed Fashion-MNIST subset: {n} images for training, {all.Count - n} for testing");
    });

    /// <summary>The objective of a fresh MLP (initialised from <paramref name="runSeed"/>) on the training data.</summary>
    internal static MlpObjective NewObjective(RunContext ctx, ulong runSeed)
    {
        var setup = SetupFor(ctx); var data = Data(ctx);
        return new MlpObjective(new Mlp(setup.Sizes, ActivationKind.Relu, runSeed, DType.F64, Device.Cpu), data.TrainX, data.TrainY);
    }

    /// <summary>The seed of repeat <paramref name="repeat"/>: model initialisation and batch order.</summary>
    internal static ulong RunSeed(RunContext ctx, int repeat) => ctx.Rng($"msam/seed/{repeat}").NextUInt64();

    /// <summary>One run, cached: SGD when <paramref name="rho"/> = 0 (m ignored), else mSAM with m micro-batches (m = 1: SAM).</summary>
    internal static TrainingRun Run(RunContext ctx, double rho, int m, int repeat)
    {
        string key = string.Create(CultureInfo.InvariantCulture, $"{ctx.Scale}/{ctx.Seed}/{rho}/{(rho == 0 ? 1 : m)}/{repeat}");
        return Runs.GetOrAdd(key, _ =>
        {
            var setup = SetupFor(ctx); var data = Data(ctx);
            ulong seed = RunSeed(ctx, repeat);
            var f = NewObjective(ctx, seed);
            Func<IOptimizer, IUpdateRule> rule = rho == 0 ? o => new GradientRule(o) : m == 1 ? o => new Sam(o, rho) : o => new Msam(o, rho, m);
            // Same shuffle stream for every rule of a repeat: the rules see the same batches (common random numbers).
            return ClassifierTraining.Train(f, data.TestX, data.TestY, rule, setup.Settings, new Rng(seed).Fork("shuffle"),
                rho, rho == 0 ? 1 : m, seed, ctx.Progress);
        });
    }

    private static string F(double x) => x.ToString("G4", CultureInfo.InvariantCulture);

    private static (double Mean, double Sd) MeanSd(IReadOnlyList<double> xs) => SampleStats.MeanSd(xs);

    private static string Describe(RunContext ctx)
    {
        var s = SetupFor(ctx); var t = s.Settings;
        return string.Create(CultureInfo.InvariantCulture,
            $"Data: {Data(ctx).Source}. Model: MLP {string.Join("–", s.Sizes)}, ReLU, cross-entropy, PyTorch-style uniform initialisation, float64 on the CPU. " +
            $"Optimizer: SGD, momentum {t.Momentum}, weight decay {t.WeightDecay}, constant learning rate {t.LearningRate}, batch size b = {t.BatchSize} (last incomplete batch of each epoch dropped), {t.Epochs} epochs. " +
            $"m is the number of micro-batches (each of b/m examples; m must divide b); m = 1 is SAM. {s.Seeds} seeds; a seed fixes the initialisation and the batch order, shared by all rules.");
    }
}
