using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Reproduce.Compression;
using Reproduce.Compute;
using Reproduce.Data;
using Reproduce.Nn;

namespace Reproduce.Cli.Verbs;

/// <summary>`reproduce compress layer --weights W.npy --inputs X.npy --method M ...`: compress a user's
/// linear layer (W d_out × d_in, X N × d_in) on the layer-wise objective ‖XWᵀ − XŴᵀ‖²_F (issue 20).</summary>
public sealed class CompressVerb : ICliVerb
{
    private static readonly string[] Methods = ["magnitude", "wanda", "sparsegpt", "alps", "osscar", "hassle-free", "oats", "rtn", "gptq", "fp8"];

    /// <inheritdoc />
    public Command Build()
    {
        var weights = new Option<FileInfo>("--weights") { Description = "W, d_out × d_in (.npy float32/float64, or .safetensors with one 2-D tensor; FILE.safetensors#NAME picks one; a [out, in] tensor as in PyTorch)", Required = true };
        var inputs = new Option<FileInfo>("--inputs") { Description = "calibration inputs X, N × d_in (one row per token; same formats)", Required = true };
        var method = new Option<string>("--method") { Description = string.Join("|", Methods), Required = true };
        var sparsity = new Option<double?>("--sparsity") { Description = "unstructured fraction of zeros in [0, 1)" };
        var pattern = new Option<string?>("--pattern") { Description = "N:M pattern, e.g. 2:4" };
        var keep = new Option<int?>("--keep-groups") { Description = "osscar: input groups to keep" };
        var groupSize = new Option<int?>("--group-size") { Description = "osscar: columns per input group (1 = neurons, head_dim = heads); rtn/gptq: inputs per scale group (default: one scale per output channel)" };
        var rank = new Option<int?>("--rank") { Description = "hassle-free/oats: rank of the low-rank part" };
        var bits = new Option<int?>("--bits") { Description = "rtn/gptq: integer bits, 2..8" };
        var perTensor = new Option<bool>("--per-tensor") { Description = "fp8: one scale for the tensor (default: per output channel)" };
        var iterations = new Option<int>("--iterations") { Description = "hassle-free/oats: alternating iterations", DefaultValueFactory = _ => 80 };
        var damping = new Option<double?>("--damping") { Description = "damping λ as a fraction of mean(diag H) (method default: 0.01)" };
        var output = new Option<FileInfo?>("--out") { Description = "write the compressed weights Ŵ (.npy, same float type as W)" };
        var json = new Option<bool>("--json") { Description = "print one JSON object (objective, relative error, sparsity, time)" };
        var layerDevice = new Option<string>("--device") { DefaultValueFactory = _ => "cpu", Description = "cpu | cuda (sparsegpt and alps have a CUDA path)" };
        var layer = new Command("layer", "Compress one linear layer on the exact layer-wise objective tr((Ŵ − W)H(Ŵ − W)ᵀ), H = XᵀX");
        foreach (var o in new Option[] { weights, inputs, method, sparsity, pattern, keep, groupSize, rank, bits, perTensor, iterations, damping, output, json, layerDevice }) layer.Add(o);
        layer.SetAction(pr =>
        {
            try
            {
                string m = pr.GetValue(method)!.ToLowerInvariant();
                if (!Methods.Contains(m)) throw new ArgumentException($"--method '{m}' is not known; use one of {string.Join(", ", Methods)}.");
                var (w, w32) = Load(pr.GetValue(weights)!.FullName, "--weights");
                var (x, _) = Load(pr.GetValue(inputs)!.FullName, "--inputs");
                var p = LayerProblem.FromInputs(w, x);
                double pd = pr.GetValue(damping) ?? 0.01;
                var dev = Device.Parse(pr.GetValue(layerDevice)!);
                if (dev.Kind == DeviceKind.Cuda && m is not ("sparsegpt" or "alps")) throw new ArgumentException($"--device cuda: only sparsegpt and alps have a CUDA path (not {m}); use --device cpu.");
                var r = Run(m, p, pr.GetValue(sparsity), pr.GetValue(pattern), pr.GetValue(keep), pr.GetValue(groupSize), pr.GetValue(rank),
                    pr.GetValue(bits), pr.GetValue(perTensor), pr.GetValue(iterations), pd, dev.Kind == DeviceKind.Cuda ? dev : null);
                var outFile = pr.GetValue(output);
                if (outFile is not null) Npy.Write(outFile.FullName, r.Weights, w32);
                var ci = CultureInfo.InvariantCulture;
                if (pr.GetValue(json))
                {
                    var obj = new Dictionary<string, object?>
                    {
                        ["method"] = r.Method, ["dOut"] = p.Rows, ["dIn"] = p.Cols, ["calibrationRows"] = p.CalibrationRows,
                        ["objective"] = r.Objective, ["relativeError"] = r.RelativeError, ["sparsity"] = r.Sparsity,
                        ["seconds"] = r.Elapsed.TotalSeconds, ["out"] = outFile?.FullName, ["notes"] = r.Notes,
                    };
                    Console.WriteLine(JsonSerializer.Serialize(obj, new JsonSerializerOptions { WriteIndented = true }));
                }
                else
                {
                    Console.WriteLine(string.Format(ci, "layer        {0}×{1} (d_out × d_in), N = {2} calibration rows", p.Rows, p.Cols, p.CalibrationRows));
                    Console.WriteLine(string.Format(ci, "{0,-12} objective ‖XŴᵀ − XWᵀ‖² = {1:G6}, relative error {2:G4}, sparsity {3:P2}, {4:F3} s",
                        r.Method, r.Objective, r.RelativeError, r.Sparsity, r.Elapsed.TotalSeconds));
                    foreach (var n in r.Notes) Console.WriteLine("             " + n);
                    if (outFile is not null) Console.WriteLine("wrote        " + outFile.FullName);
                }
                return 0;
            }
            catch (Exception ex) when (ex is ArgumentException or FileNotFoundException or IOException or InvalidDataException or FormatException or InvalidOperationException or ComputeException)
            {
                Console.Error.WriteLine("reproduce compress layer: " + ex.Message);
                return 2;
            }
        });
        var cmd = new Command("compress", "LLM compression tools (issue 20): layer-wise pruning, sparse + low-rank, quantization");
        cmd.Add(layer);
        cmd.Add(Bench());
        cmd.Add(Check());
        cmd.Add(Teacher());
        return cmd;
    }

    /// <summary>`reproduce compress teacher`: trains the compression figures' teacher with its recipe (or overrides)
    /// and prints training and validation loss at every evaluation, the kept (best-validation) step and the test
    /// perplexity against the unigram baseline: the diagnosis of an over-fitting or diverging teacher.</summary>
    private static Command Teacher()
    {
        var scale = new Option<string>("--scale") { DefaultValueFactory = _ => "smoke", Description = "smoke | paper: the teacher's shape and recipe" };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "auto", Description = "auto | cpu | cuda" };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 20241UL, Description = "model and data-order seed (the notebook's default)" };
        var steps = new Option<int?>("--steps") { Description = "override the recipe's steps (the schedule follows)" };
        var lr = new Option<double?>("--lr") { Description = "override the recipe's peak learning rate" };
        var evalEvery = new Option<int?>("--eval-every") { Description = "override the recipe's evaluation interval (0: only at the end)" };
        var cmd = new Command("teacher", "Train the compression figures' teacher (its recipe, or overrides) and print train/validation loss per evaluation, the kept step and test perplexity vs the unigram baseline");
        foreach (var o in new Option[] { scale, device, seed, steps, lr, evalEvery }) cmd.Add(o);
        cmd.SetAction(pr =>
        {
            try
            {
                var ctx = Reproduce.Experiments.RunContext.FromParameters(pr.GetValue(scale)!, pr.GetValue(device)!, pr.GetValue(seed));
                var corpus = CharCorpus.MobyDick();
                var cfg = CompressionExperiments.TeacherConfig(ctx, corpus.Vocab.Length);
                var o = CompressionExperiments.TeacherTraining(ctx, cfg.ContextLength);
                if (pr.GetValue(steps) is int s) o = o with { Steps = s };
                if (pr.GetValue(lr) is double l) o = o with { PeakLr = l };
                if (pr.GetValue(evalEvery) is int e) o = o with { EvalEvery = e };
                var ci = CultureInfo.InvariantCulture;
                double unigram = corpus.UnigramCrossEntropy(corpus.Validation);
                Console.WriteLine(string.Format(ci, "teacher {0} on {1}; {2}; train {3} / validation {4} characters; unigram validation loss {5:F4} (perplexity {6:F2})",
                    cfg, ctx.Device, o, corpus.Train.Length, corpus.Validation.Length, unigram, Math.Exp(unigram)));
                var m = new Gpt(cfg, ctx.Seed, DType.F32, ctx.Device);
                var h = LmTrainer.Train(m, corpus, o, p => Console.WriteLine(string.Format(ci,
                    "step {0,5}  train {1:F4}  validation {2:F4} (perplexity {3:F2})  {4:F1} s", p.Step, p.TrainLoss, p.ValidationLoss, Math.Exp(p.ValidationLoss), p.Seconds)));
                var kept = h.Single(p => p.Kept);
                double test = CharCorpus.Evaluate(m, corpus.Test, cfg.ContextLength), uniTest = corpus.UnigramCrossEntropy(corpus.Test);
                Console.WriteLine(string.Format(ci, "kept step {0} (validation {1:F4}); test perplexity {2:F2} vs unigram {3:F2}{4}",
                    kept.Step, kept.ValidationLoss, Math.Exp(test), Math.Exp(uniTest), test < uniTest ? "" : "  — WORSE than the unigram baseline"));
                return test < uniTest ? 0 : 1;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or TrainingDivergedException)
            {
                Console.Error.WriteLine("reproduce compress teacher: " + ex.Message);
                return ex is TrainingDivergedException ? 1 : 2;
            }
        });
        return cmd;
    }

    /// <summary>`reproduce compress bench`: time one method on the brief's synthetic layer of a given size
    /// (the issue's targets: 1024 × 4096 with SparseGPT or ALPS in ≤ 30 s on 2 CPU cores, ≤ 2 s on the H100).
    /// With --device cuda: a first call on a small layer compiles the kernels (timed apart), H = XᵀX is also formed
    /// on the device (timed apart), and --baseline-cpu runs the CPU path on the same layer in the same process.</summary>
    private static Command Bench()
    {
        var dOut = new Option<int>("--d-out") { DefaultValueFactory = _ => 1024, Description = "output dimension" };
        var dIn = new Option<int>("--d-in") { DefaultValueFactory = _ => 4096, Description = "input dimension" };
        var rowsOpt = new Option<int>("--rows") { DefaultValueFactory = _ => 0, Description = "calibration rows N (default 2·d_in)" };
        var method = new Option<string>("--method") { DefaultValueFactory = _ => "sparsegpt", Description = "sparsegpt | alps | gptq | osscar (FFN neurons: G = 1, 10 removed per greedy step, 30 local-search iterations; --pattern is the pruned fraction)" };
        var pattern = new Option<string>("--pattern") { DefaultValueFactory = _ => "0.5", Description = "N:M or an unstructured fraction" };
        var f64 = new Option<bool>("--float64") { Description = "alps: the ADMM GEMMs in float64 (the baseline of the float32 default)" };
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "cpu", Description = "cpu | cuda (sparsegpt and alps)" };
        var baseline = new Option<bool>("--baseline-cpu") { Description = "with --device cuda: also time the CPU path on the same layer in this run, and print the ratio" };
        var json = new Option<FileInfo?>("--json") { Description = "also write the timings as JSON to this file" };
        var cmd = new Command("bench", "Time one method on a synthetic layer (default 1024 × 4096, SparseGPT, 50 %)");
        foreach (var o in new Option[] { dOut, dIn, rowsOpt, method, pattern, f64, device, baseline, json }) cmd.Add(o);
        cmd.SetAction(pr =>
        {
            try
            {
                int o = pr.GetValue(dOut), i = pr.GetValue(dIn), n = pr.GetValue(rowsOpt) is > 0 and var r ? r : 2 * i;
                string t = pr.GetValue(pattern)!, m = pr.GetValue(method)!;
                var target = t.Contains(':') ? SparsityTarget.ParsePattern(t) : SparsityTarget.Unstructured(double.Parse(t, CultureInfo.InvariantCulture));
                var dev = Device.Parse(pr.GetValue(device)!);
                bool cuda = dev.Kind == DeviceKind.Cuda;
                if (cuda && m is not ("sparsegpt" or "alps")) throw new ArgumentException($"--device cuda: only sparsegpt and alps have a CUDA path (not {m}).");
                if (pr.GetValue(baseline) && !cuda) throw new ArgumentException("--baseline-cpu compares a --device cuda run with the CPU; give --device cuda.");
                var ci = CultureInfo.InvariantCulture;
                var sw = System.Diagnostics.Stopwatch.StartNew();
                var (w, x) = SyntheticLayer.WeightsAndInputs(o, i, n, new Rng(1));
                double tX = sw.Elapsed.TotalSeconds;
                sw.Restart();
                var p = LayerProblem.FromInputs(w, x);
                double tH = sw.Elapsed.TotalSeconds;
                var report = new Dictionary<string, object?>
                {
                    ["method"] = m, ["dOut"] = o, ["dIn"] = i, ["calibrationRows"] = n, ["target"] = target.ToString(),
                    ["device"] = dev.Name, ["cpuBackend"] = Device.Cpu.Backend.Name, ["cores"] = Environment.ProcessorCount,
                    ["drawXSeconds"] = tX, ["hostGramSeconds"] = tH,
                };
                if (!cuda)
                {
                    var cpu0 = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
                    var res = RunBench(m, p, target, pr.GetValue(f64), null);
                    double cpu = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
                    Console.WriteLine(string.Format(ci,
                        "{0} on a {1}×{2} layer, N = {3}, {4}: {5:F2} s wall, {10:F2} s CPU (building X and H = XᵀX: {6:F2} s), relative error {7:G4}; CPU backend {8}, {9} cores; load average {11}",
                        res.Method, o, i, n, target, res.Elapsed.TotalSeconds, tX + tH, res.RelativeError, Device.Cpu.Backend.Name, Environment.ProcessorCount, cpu,
                        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?"));
                    foreach (var note in res.Notes) Console.WriteLine("  " + note);
                    report["seconds"] = res.Elapsed.TotalSeconds; report["secondsWithH"] = res.Elapsed.TotalSeconds + tH; report["relativeError"] = res.RelativeError;
                }
                else
                {
                    Console.WriteLine(dev.Backend.Describe());
                    // First CUDA call: NVRTC compiles the kernels and cuSOLVER loads; timed on a small layer, apart.
                    sw.Restart();
                    RunBench(m, SyntheticLayer.Create(64, 256, 512, new Rng(2)), target, pr.GetValue(f64), dev);
                    double tWarm = sw.Elapsed.TotalSeconds;
                    sw.Restart();
                    using (var xd = x.To(dev))
                    using (var hd = Ops.Gram(xd))
                    using (hd.ToCpu()) { }
                    double tHd = sw.Elapsed.TotalSeconds;
                    var res = RunBench(m, p, target, pr.GetValue(f64), dev);
                    double s = res.Elapsed.TotalSeconds;
                    Console.WriteLine(string.Format(ci,
                        "{0} on a {1}×{2} layer, N = {3}, {4}, on {5}: {6:F3} s wall excluding H; H = XᵀX on the device (upload X, Gram, download) {7:F3} s, so {8:F3} s including it; relative error {9:G6}; first CUDA call (kernel compile, library load; 64×256 layer) {10:F2} s; X drawn on the CPU in {11:F2} s",
                        res.Method, o, i, n, target, dev.Name, s, tHd, s + tHd, res.RelativeError, tWarm, tX));
                    foreach (var note in res.Notes) Console.WriteLine("  " + note);
                    report["seconds"] = s; report["deviceGramSeconds"] = tHd; report["secondsWithH"] = s + tHd; report["relativeError"] = res.RelativeError;
                    report["firstCallSeconds"] = tWarm; report["notes"] = res.Notes;
                    if (pr.GetValue(baseline))
                    {
                        var cpuRes = RunBench(m, p, target, pr.GetValue(f64), null);
                        double c = cpuRes.Elapsed.TotalSeconds;
                        var a = cpuRes.Weights.ToArray(); var b = res.Weights.ToArray();
                        long differ = 0;
                        for (int k = 0; k < a.Length; k++) if ((a[k] == 0) != (b[k] == 0)) differ++;
                        Console.WriteLine(string.Format(ci,
                            "CPU baseline, same run and layer ({0}, {1} cores): {2:F2} s excluding H; H = XᵀX on the CPU {3:F2} s, so {4:F2} s including it; relative error {5:G6}. CUDA speed-up {6:F1}× excluding H, {7:F1}× including it; masks differ in {8} of {9} entries",
                            Device.Cpu.Backend.Name, Environment.ProcessorCount, c, tH, c + tH, cpuRes.RelativeError, c / s, (c + tH) / (s + tHd), differ, a.Length));
                        foreach (var note in cpuRes.Notes) Console.WriteLine("  cpu: " + note);
                        report["cpuSeconds"] = c; report["cpuSecondsWithH"] = c + tH; report["cpuRelativeError"] = cpuRes.RelativeError;
                        report["speedup"] = c / s; report["speedupWithH"] = (c + tH) / (s + tHd); report["maskEntriesDiffering"] = differ;
                    }
                }
                if (pr.GetValue(json) is { } jf) File.WriteAllText(jf.FullName, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            catch (Exception ex) when (ex is ArgumentException or FormatException or ComputeException)
            {
                Console.Error.WriteLine("reproduce compress bench: " + ex.Message);
                return 2;
            }
        });
        return cmd;
    }

    private static CompressionResult RunBench(string m, LayerProblem p, SparsityTarget target, bool float64, Device? device) => m switch
    {
        "sparsegpt" => new SparseGpt { Device = device }.Prune(p, target),
        "alps" => new Alps { AdmmFloat32 = !float64, Device = device }.Prune(p, target),
        "gptq" => new Gptq().Quantize(p, QuantFormat.Int(4, 128)),
        "osscar" when target.IsPattern => throw new ArgumentException("--method osscar prunes whole input columns: give --pattern as a fraction, not N:M."),
        "osscar" => new Osscar { UpdateIter = 10 }.Prune(p, 1, p.Cols - (int)Math.Round(target.Fraction * p.Cols)),
        _ => throw new ArgumentException($"--method '{m}': bench times sparsegpt, alps, gptq or osscar."),
    };

    /// <summary>`reproduce compress check --device cuda`: SparseGPT and ALPS on the GPU against the CPU on small layers
    /// (the [CudaFact] parity tests' checks, <see cref="CompressionCudaParity"/>); exit 1 on any failure.</summary>
    private static Command Check()
    {
        var device = new Option<string>("--device") { DefaultValueFactory = _ => "cuda", Description = "cuda (the device to compare with the CPU)" };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 7UL, Description = "seed of the synthetic layers" };
        var cmd = new Command("check", "SparseGPT and ALPS on the GPU against the CPU on small layers (masks, objectives, N:M validity); exit 1 on a mismatch");
        cmd.Add(device); cmd.Add(seed);
        cmd.SetAction(pr =>
        {
            try
            {
                var dev = Device.Parse(pr.GetValue(device)!);
                if (dev.Kind != DeviceKind.Cuda) throw new ArgumentException("compress check compares a CUDA device with the CPU: give --device cuda.");
                Console.WriteLine(dev.Backend.Describe());
                var results = CompressionCudaParity.Run(dev, pr.GetValue(seed));
                foreach (var r in results) Console.WriteLine($"{(r.Pass ? "pass" : "FAIL"),-4}  {r.Check}  {r.Detail}");
                int failed = results.Count(r => !r.Pass);
                Console.WriteLine($"{results.Count - failed} passed, {failed} failed");
                return failed == 0 ? 0 : 1;
            }
            catch (Exception ex) when (ex is ArgumentException or ComputeException)
            {
                Console.Error.WriteLine("reproduce compress check: " + ex.Message);
                return 2;
            }
        });
        return cmd;
    }

    /// <summary>Runs one method with the CLI's options (validated here so errors name the option).</summary>
    internal static CompressionResult Run(string m, LayerProblem p, double? sparsity, string? pattern, int? keep, int? groupSize, int? rank,
        int? bits, bool perTensor, int iterations, double percdamp, Device? device = null)
    {
        SparsityTarget Target()
        {
            if (sparsity is not null && pattern is not null) throw new ArgumentException("give either --sparsity or --pattern, not both.");
            if (pattern is not null) return SparsityTarget.ParsePattern(pattern);
            if (sparsity is not null)
            {
                try { return SparsityTarget.Unstructured(sparsity.Value); }
                catch (ArgumentOutOfRangeException) { throw new ArgumentException($"--sparsity {sparsity.Value.ToString(CultureInfo.InvariantCulture)} is outside [0, 1): 0 keeps every weight, 0.5 prunes half."); }
            }
            throw new ArgumentException($"--method {m} needs --sparsity F (in [0, 1)) or --pattern N:M.");
        }
        int Need(int? v, string option) => v ?? throw new ArgumentException($"--method {m} needs {option}.");
        return m switch
        {
            "magnitude" => MagnitudePruner.Prune(p, Target()),
            "wanda" => WandaPruner.Prune(p, Target()),
            "sparsegpt" => new SparseGpt { Percdamp = percdamp, Device = device }.Prune(p, Target()),
            "alps" => new Alps { Percdamp = percdamp, Device = device }.Prune(p, Target()),
            "osscar" => new Osscar().Prune(p, Need(groupSize, "--group-size G"), Need(keep, "--keep-groups K")),
            "hassle-free" => new HassleFree { Percdamp = percdamp, Iterations = iterations }.Compress(p, Target(), Need(rank, "--rank R")),
            "oats" => new OatsBaseline { Iterations = iterations }.Compress(p, Target(), Need(rank, "--rank R")),
            "rtn" => RtnQuantizer.Quantize(p, QuantFormat.Int(Need(bits, "--bits B (2..8)"), groupSize ?? 0)),
            "gptq" => new Gptq { Percdamp = percdamp }.Quantize(p, QuantFormat.Int(Need(bits, "--bits B (2..8)"), groupSize ?? 0)),
            _ => RtnQuantizer.Quantize(p, QuantFormat.Fp8E4M3(!perTensor)),
        };
    }

    /// <summary>Loads a 2-D array from .npy or .safetensors (FILE.safetensors#NAME picks a tensor).</summary>
    internal static (Matrix Matrix, bool IsFloat32) Load(string spec, string option)
    {
        string path = spec, name = "";
        int hash = spec.LastIndexOf('#');
        if (hash > 0 && spec[..hash].EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) { path = spec[..hash]; name = spec[(hash + 1)..]; }
        if (!File.Exists(path)) throw new FileNotFoundException($"{option} {path}: no such file.");
        if (!path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
        {
            if (!path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"{option} {path}: expected a .npy or .safetensors file.");
            return Npy.Read(path);
        }
        var (tensors, _) = Safetensors.Read(path);
        var matrices = tensors.Where(t => t.Shape.Length == 2).ToList();
        var pick = name.Length > 0
            ? tensors.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"{option} {path}: no tensor '{name}' (it holds {string.Join(", ", tensors.Select(t => t.Name))}).")
            : matrices.Count == 1 ? matrices[0]
            : throw new ArgumentException($"{option} {path}: holds {matrices.Count} 2-D tensors ({string.Join(", ", matrices.Select(t => t.Name))}); pick one with {path}#NAME.");
        if (pick.Shape.Length != 2) throw new ArgumentException($"{option} {path}#{pick.Name}: tensor is {pick.ShapeText}; give a 2-D tensor.");
        int rows = pick.Shape[0], cols = pick.Shape[1];
        return (Matrix.Build(rows, cols, (r, c) => pick.Data[(long)r * cols + c]), pick.DType == "F32");
    }
}
