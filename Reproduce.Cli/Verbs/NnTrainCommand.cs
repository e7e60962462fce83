using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Cli.Verbs;

/// <summary>`reproduce nn train`: trains a character-level GPT from scratch on a text (default: the
/// committed Moby-Dick subset) with the engine's AdamW + warmup/cosine recipe, printing training and
/// validation loss at every evaluation beside the unigram baseline, then the test perplexity; optionally
/// saves the weights as safetensors, the history as JSON, and a sample. What a user runs to see
/// whether a model shape and recipe learn (the compression teacher's diagnosis was this command).</summary>
internal static class NnTrainCommand
{
    public static Command Build()
    {
        var cmd = new Command("train", "Train a character-level GPT on a text (default: the committed Moby-Dick subset): training and validation loss at every evaluation against the unigram baseline, test perplexity at the end; safetensors checkpoint, JSON history, a sample.");
        var text = new Option<string?>("--text") { Description = "UTF-8 text file to train on (split 90/5/5 into train/validation/test); default the committed Moby-Dick subset." };
        var layers = new Option<int>("--layers") { DefaultValueFactory = _ => 6 };
        var dim = new Option<int>("--dim") { DefaultValueFactory = _ => 256 };
        var heads = new Option<int>("--heads") { DefaultValueFactory = _ => 8 };
        var ffn = new Option<int>("--ffn") { Description = "FFN width (default 4·dim)." };
        var context = new Option<int>("--context") { DefaultValueFactory = _ => 128 };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => 32 };
        var steps = new Option<int>("--steps") { DefaultValueFactory = _ => 1000 };
        var lr = new Option<double>("--lr") { Description = "AdamW peak learning rate.", DefaultValueFactory = _ => 3e-3 };
        var warmup = new Option<int>("--warmup") { DefaultValueFactory = _ => 20 };
        var decay = new Option<double>("--weight-decay") { DefaultValueFactory = _ => 0.1 };
        var every = new Option<int>("--eval-every") { Description = "Steps between validation evaluations.", DefaultValueFactory = _ => 100 };
        var windows = new Option<int>("--eval-windows") { Description = "Validation windows per evaluation.", DefaultValueFactory = _ => 32 };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 1UL };
        var device = new Option<string>("--device") { Description = "cpu (default) or cuda", DefaultValueFactory = _ => "cpu" };
        var last = new Option<bool>("--keep-last") { Description = "End with the last step's weights instead of those of the lowest validation loss (early stopping by checkpoint is the default)." };
        var patience = new Option<int>("--patience") { Description = "Stop once this many evaluations in a row have not lowered the validation loss (0, the default: run every step)." };
        var save = new Option<string?>("--save") { Description = "Write the trained weights to this .safetensors file." };
        var json = new Option<string?>("--json") { Description = "Write the configuration, history and final perplexities to this JSON file." };
        var sample = new Option<int>("--sample") { Description = "Generate this many characters at the end (temperature --temperature).", DefaultValueFactory = _ => 0 };
        var temperature = new Option<double>("--temperature") { DefaultValueFactory = _ => 0.8 };
        foreach (var o in new Option[] { text, layers, dim, heads, ffn, context, batch, steps, lr, warmup, decay, every, windows, seed, device, last, patience, save, json, sample, temperature }) cmd.Add(o);
        cmd.SetAction(pr =>
        {
            try
            {
                var dev = pr.GetValue(device)!.ToLowerInvariant() switch { "cpu" => Device.Cpu, "cuda" => Device.Cuda, var other => throw new ArgumentException($"--device '{other}' is not known; use cpu or cuda.") };
                var path = pr.GetValue(text);
                if (path is not null && !File.Exists(path)) throw new ArgumentException($"--text '{path}' does not exist.");
                var corpus = path is null ? CharCorpus.MobyDick() : CharCorpus.FromText(File.ReadAllText(path), Path.GetFileName(path));
                int d = pr.GetValue(dim), f = pr.GetValue(ffn);
                var cfg = new GptConfig(corpus.Vocab.Length, pr.GetValue(context), pr.GetValue(layers), d, pr.GetValue(heads), f > 0 ? f : 4 * d);
                cfg.Validate();
                var o = new LmTrainingOptions(pr.GetValue(steps), pr.GetValue(batch), cfg.ContextLength, pr.GetValue(lr), pr.GetValue(warmup), pr.GetValue(decay),
                    Seed: pr.GetValue(seed), EvalEvery: pr.GetValue(every), EvalWindows: pr.GetValue(windows), KeepBest: !pr.GetValue(last), Patience: pr.GetValue(patience));
                o.Validate();
                return Train(corpus, cfg, o, dev, pr.GetValue(save), pr.GetValue(json), pr.GetValue(sample), pr.GetValue(temperature));
            }
            catch (Exception e) when (e is ArgumentException or ComputeException or IOException or TrainingDivergedException)
            {
                Console.Error.WriteLine("reproduce nn train: " + e.Message);
                return 2;
            }
        });
        return cmd;
    }

    private static int Train(CharCorpus corpus, GptConfig cfg, LmTrainingOptions o, Device dev, string? save, string? json, int sample, double temperature)
    {
        var inv = CultureInfo.InvariantCulture;
        double unigram = corpus.UnigramCrossEntropy(corpus.Validation);
        var model = new Gpt(cfg, o.Seed, DType.F32, dev);
        long tokensPerStep = (long)o.Batch * o.SeqLen;
        Console.WriteLine($"corpus: {corpus.Source}: {corpus.Train.Length:N0} / {corpus.Validation.Length:N0} / {corpus.Test.Length:N0} characters (train / validation / test), vocabulary {corpus.Vocab.Length}");
        Console.WriteLine($"model: {cfg.Layers} layers, d = {cfg.ModelDim}, {cfg.Heads} heads, FFN {cfg.FfnDim}, context {cfg.ContextLength}: {model.Parameters.ScalarCount:N0} parameters on {dev.Name}");
        Console.WriteLine($"training: {o.Steps} steps × {o.Batch} × {o.SeqLen} = {o.Steps * tokensPerStep:N0} tokens = {(double)o.Steps * tokensPerStep / corpus.Train.Length:F1} passes over the training split; peak lr {o.PeakLr.ToString(inv)}");
        Console.WriteLine($"unigram baseline: validation {unigram:F4} nats (perplexity {Math.Exp(unigram):F2})");
        var history = LmTrainer.Train(model, corpus, o, p => Console.WriteLine(
            $"step {p.Step,6}  train {p.TrainLoss:F4}  validation {p.ValidationLoss:F4} (perplexity {Math.Exp(p.ValidationLoss):F2}{(p.ValidationLoss < unigram ? ", below unigram" : "")})  {p.Seconds,8:F1} s  {p.Step * tokensPerStep / Math.Max(p.Seconds, 1e-9):N0} tokens/s"));
        double test = CharCorpus.Evaluate(model, corpus.Test, o.SeqLen);
        double testUnigram = corpus.UnigramCrossEntropy(corpus.Test);
        var kept = history.FirstOrDefault(p => p.Kept) ?? history[^1];
        Console.WriteLine($"test (the weights of step {kept.Step}, {(o.KeepBest && o.EvalEvery > 0 ? "the lowest validation loss" : "the last step")}): {test:F4} nats (perplexity {Math.Exp(test):F2}); unigram on test {testUnigram:F4} (perplexity {Math.Exp(testUnigram):F2})");
        var firstBelow = history.FirstOrDefault(p => p.ValidationLoss < unigram);
        Console.WriteLine(firstBelow is null ? "validation loss never fell below the unigram baseline"
            : $"validation loss first below the unigram baseline at step {firstBelow.Step}, {firstBelow.Seconds:F1} s");
        if (save is not null)
        {
            Safetensors.Save(save, model.Parameters, new Dictionary<string, string> { ["config"] = cfg.ToString(), ["corpus"] = corpus.Source, ["vocabulary"] = new string(corpus.Vocab) });
            Console.WriteLine($"wrote {save}");
        }
        if (sample > 0)
        {
            var ids = Sampler.Generate(model, [corpus.Test[0]], sample, temperature, new Rng(o.Seed).Fork("sample"));
            Console.WriteLine($"sample (temperature {temperature.ToString(inv)}): {corpus.Decode(ids)}");
        }
        if (json is not null)
        {
            var doc = new Dictionary<string, object>
            {
                ["config"] = cfg.ToString(), ["corpus"] = corpus.Source, ["device"] = dev.Name, ["parameters"] = model.Parameters.ScalarCount,
                ["steps"] = o.Steps, ["batch"] = o.Batch, ["context"] = o.SeqLen, ["peak_lr"] = o.PeakLr, ["seed"] = o.Seed,
                ["kept_step"] = kept.Step, ["unigram_validation_nats"] = unigram, ["unigram_test_nats"] = testUnigram, ["test_nats"] = test,
                ["history"] = history.Select(p => new Dictionary<string, double> { ["step"] = p.Step, ["train_nats"] = p.TrainLoss, ["validation_nats"] = p.ValidationLoss, ["seconds"] = p.Seconds }).ToList(),
            };
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(json))!);
            File.WriteAllText(json, JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"wrote {json}");
        }
        return 0;
    }
}
