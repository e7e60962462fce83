using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>What <c>reproduce nn check</c> runs: every float64 gradient check, a short training run of
/// the character-level model whose validation loss must fall below both its starting value and the
/// unigram baseline, and, given a device, CPU/device parity.</summary>
public static class NnCheck
{
    /// <summary>Runs the checks, reporting each line as it completes.</summary>
    public static List<NnCheckResult> Run(Device? device, Action<NnCheckResult> report, int trainSteps = 60)
    {
        var all = new List<NnCheckResult>();
        void Add(NnCheckResult r) { all.Add(r); report(r); }
        foreach (var g in NnGradientChecks.RunAll())
            Add(new NnCheckResult($"gradcheck {g.Name}", g.Pass, $"{g.Entries} entries, max abs {g.MaxAbsError:E2}, max rel {g.MaxRelError:E2} (bound {GradCheck.RelTol:E0}·|g| + {GradCheck.AbsTol:E0})"));
        Add(TrainingFalls(Device.Cpu, trainSteps));
        if (device is not null && device.Kind != DeviceKind.Cpu)
        {
            foreach (var r in NnParity.Run(device, Device.Cpu)) Add(r);
            Add(TrainingFalls(device, trainSteps));
            foreach (var r in NnBf16Parity.Run(device, trainSteps)) Add(r);
        }
        return all;
    }

    /// <summary>Trains the small character model and checks that validation loss falls below its
    /// initial value and below the unigram baseline.</summary>
    public static NnCheckResult TrainingFalls(Device device, int steps)
    {
        var corpus = CharCorpus.MobyDick();
        double unigram = corpus.UnigramCrossEntropy(corpus.Validation);
        var model = new Gpt(new GptConfig(corpus.Vocab.Length, 32, 2, 32, 4, 128), 1, DType.F32, device);
        double before = CharCorpus.Evaluate(model, corpus.Validation, 32, 64);
        var h = LmTrainer.Train(model, corpus, new LmTrainingOptions(Steps: steps, Batch: 16, SeqLen: 32, PeakLr: 1e-2, WarmupSteps: 10, EvalWindows: 64, Seed: 1));
        double after = h[^1].ValidationLoss;
        return new NnCheckResult($"training on {device.Name} ({steps} steps)", after < before && after < unigram,
            $"validation loss {before:F3} → {after:F3} nats/char (unigram baseline {unigram:F3}), {h[^1].Seconds:F1} s");
    }
}
