using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>What <c>reproduce nn check</c> runs: every float64 gradient check, a short training run of
/// the character-level model whose validation loss must fall below both its starting value and the
/// unigram baseline, given a device CPU/device parity, and given a folder of PyTorch outputs the
/// comparison with PyTorch (<see cref="TorchReference"/>) on the CPU and on the device.</summary>
public static class NnCheck
{
    /// <summary>Runs the checks, reporting each line as it completes. With <paramref name="torchDirectory"/>,
    /// also compares the fixture models with PyTorch's outputs there (<c>gpt-tiny-torch.safetensors</c> and
    /// <c>gpt-tiny-rotary-torch.safetensors</c>, as tools/nn/torch_reference.py and torch_reference_rotary.py
    /// write them); a missing file is a failure.</summary>
    public static List<NnCheckResult> Run(Device? device, Action<NnCheckResult> report, int trainSteps = 60, string? torchDirectory = null)
    {
        var all = new List<NnCheckResult>();
        void Add(NnCheckResult r) { all.Add(r); report(r); }
        foreach (var g in NnGradientChecks.RunAll())
            Add(new NnCheckResult($"gradcheck {g.Name}", g.Pass, $"{g.Entries} entries, max abs {g.MaxAbsError:E2}, max rel {g.MaxRelError:E2} (bound {GradCheck.RelTol:E0}·|g| + {GradCheck.AbsTol:E0})"));
        Add(TrainingFalls(Device.Cpu, trainSteps));
        if (torchDirectory is not null)
            foreach (bool rotary in new[] { false, true })
            {
                string path = Path.Combine(torchDirectory, TorchReference.Stem(rotary) + "-torch.safetensors");
                if (!File.Exists(path))
                {
                    Add(new NnCheckResult($"pytorch{(rotary ? " rotary" : "")} fixture", false, $"{path} is missing; write it with tools/nn/{(rotary ? "torch_reference_rotary.py DIR" : "torch_reference.py")} where torch is installed."));
                    continue;
                }
                foreach (var r in TorchReference.Compare(path, rotary)) Add(r);
                if (device is not null && device.Kind != DeviceKind.Cpu)
                    foreach (var r in TorchReference.Compare(path, rotary, device)) Add(r);
            }
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
