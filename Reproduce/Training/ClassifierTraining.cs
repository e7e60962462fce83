using System.Diagnostics;
using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Training;

/// <summary>Trains a classifier (an MLP or a CNN, through <see cref="IClassifierObjective"/>) with an <see cref="IUpdateRule"/> (SGD, SAM, mSAM) and reports
/// training loss and test accuracy. Deterministic given the seed: the model, every permutation and
/// so every batch derive from it.</summary>
public static class ClassifierTraining
{
    /// <summary>One run. <paramref name="train"/>'s model is trained in place; <paramref name="testX"/>
    /// is features×examples with labels <paramref name="testLabels"/>; <paramref name="rule"/> wraps the
    /// SGD optimizer built from <paramref name="settings"/>; <paramref name="shuffle"/> draws the
    /// per-epoch permutations.</summary>
    public static TrainingRun Train(IClassifierObjective train, Matrix testX, int[] testLabels, Func<IOptimizer, IUpdateRule> rule,
        TrainingSettings settings, Rng shuffle, double rho = 0, int numMicroBatches = 1, ulong seed = 0, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(shuffle);
        settings.Validate();
        int n = train.ExampleCount, b = settings.BatchSize;
        if (b > n) throw new ArgumentOutOfRangeException(nameof(settings), b, $"The batch size {b} exceeds the {n} training examples.");
        var r = rule(new Sgd(settings.Momentum, settings.WeightDecay));
        var ps = train.Parameters;
        var all = train.AllExamples();
        double initial = train.Loss(ps.GetFlat(), all);
        var seconds = new double[settings.Epochs];
        int steps = n / b;
        for (int e = 0; e < settings.Epochs; e++)
        {
            var perm = shuffle.Permutation(n);
            var clock = Stopwatch.StartNew();
            for (int s = 0; s < steps; s++) r.Step(ps, train, perm.AsSpan(s * b, b), settings.LearningRate);
            seconds[e] = clock.Elapsed.TotalSeconds;
            progress?.Report($"{r.Name}, seed {seed}: epoch {e + 1}/{settings.Epochs}, {seconds[e]:F1} s");
        }
        // The training loss over the whole set is evaluated once, after the last epoch: a forward pass over
        // every example costs about half an SGD epoch, and only the final value is reported. A diverging
        // run is caught earlier anyway: every step checks that its update direction is finite.
        var w = ps.GetFlat();
        double final = train.Loss(w, all);
        if (!double.IsFinite(final)) throw new ArithmeticException($"{r.Name}: the training loss is {final} after {settings.Epochs} epochs; lower the learning rate or ρ.");
        progress?.Report($"{r.Name}, seed {seed}: done, train loss {final:F4}, {seconds.Sum():F1} s");
        return new TrainingRun(r.Name, rho, numMicroBatches, seed, initial, final, train.Accuracy(w, testX, testLabels), w, seconds);
    }

    /// <summary>Fraction of columns of <paramref name="x"/> whose largest logit is the label.</summary>
    public static double Accuracy(Mlp mlp, double[] w, Matrix x, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(labels);
        if (x.Cols == 0 || labels.Length != x.Cols) throw new ArgumentException($"Test data has {x.Cols} columns and {labels.Length} labels; both must be equal and positive.");
        mlp.Parameters.SetFlat(w);
        var logits = mlp.Logits(x).ToCpu();
        int correct = 0;
        for (int j = 0; j < x.Cols; j++)
        {
            var col = logits.Column(j);
            int best = 0;
            for (int c = 1; c < col.Length; c++) if (col[c] > col[best]) best = c;
            if (best == labels[j]) correct++;
        }
        return (double)correct / x.Cols;
    }
}
