using System.Diagnostics;
using System.Text.Json;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>Timed training steps of a GPT on random tokens: time per step and tokens per second; on
/// the CPU the time of every operation kind (<see cref="NnProfile"/>), the share of the step spent in
/// the linear layers' GEMMs, their rate inside the step against direct calls of OpenBLAS (and of the
/// managed GEMM) at the same shapes in the same run; on CUDA the step with float32, TF32 and bf16
/// GEMMs; and the managed heap (and GPU pool) over the steps, where growth means a leak. Every number
/// printed also goes into a JSON object (<see cref="Run(Device, GptConfig, int, int, int, Action{string}, int, bool, int, bool, string?)"/>).</summary>
public static class NnBench
{
    /// <summary>Runs the benchmark, printing lines through <paramref name="log"/>.</summary>
    public static void Run(Device device, GptConfig cfg, int batch, int seqLen, int steps, Action<string> log, int warmup = 2) =>
        Run(device, cfg, batch, seqLen, steps, log, warmup, tf32: false, memorySteps: 0);

    /// <summary>As <see cref="Run(Device, GptConfig, int, int, int, Action{string}, int)"/>; on CUDA with
    /// <paramref name="tf32"/> (<paramref name="bf16"/>) also times the same steps with TF32 tensor-core
    /// (bf16-operand) GEMMs, and with <paramref name="memorySteps"/> &gt; 0 trains that many more steps
    /// and reports the memory in use after the first 10 and after all of them. With
    /// <paramref name="jsonPath"/> the results are written there as JSON.</summary>
    public static Dictionary<string, object> Run(Device device, GptConfig cfg, int batch, int seqLen, int steps, Action<string> log, int warmup, bool tf32, int memorySteps, bool bf16 = false, string? jsonPath = null)
    {
        var json = new Dictionary<string, object>();
        var model = new Gpt(cfg, 1, DType.F32, device);
        var opt = new AdamW();
        var rng = new Rng(1).Fork("bench");
        int n = batch * seqLen;
        var tok = new int[n]; var tgt = new int[n];
        for (int i = 0; i < n; i++) { tok[i] = rng.NextInt(cfg.VocabSize); tgt[i] = rng.NextInt(cfg.VocabSize); }
        var cuda = device.Backend as Compute.Cuda.CudaBackend;
        log($"model: {cfg.Layers} layers, d = {cfg.ModelDim}, {cfg.Heads} heads, FFN {cfg.FfnDim}, vocabulary {cfg.VocabSize}; batch {batch} × context {seqLen}; float32 on {device.Name} ({device.Backend.Name}); {Environment.ProcessorCount} logical CPUs");
        json["model"] = new Dictionary<string, object> { ["layers"] = cfg.Layers, ["d"] = cfg.ModelDim, ["heads"] = cfg.Heads, ["ffn"] = cfg.FfnDim, ["vocabulary"] = cfg.VocabSize, ["batch"] = batch, ["context"] = seqLen };
        json["device"] = device.Name; json["backend"] = device.Backend.Name; json["logical_cpus"] = Environment.ProcessorCount;
        json["load_average_1min"] = LoadAverage();
        json["steps"] = steps;
        for (int s = 0; s < warmup; s++) { model.LossAndGradients(tok, tgt, batch, seqLen); opt.Step(model.Parameters, 1e-4); }
        cuda?.Synchronize();
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        long heapStart = GC.GetTotalMemory(true);
        long poolStart = cuda?.Pool.BytesInUse ?? 0, allocStart = cuda?.Pool.DeviceAllocations ?? 0;
        int gcStart = GC.CollectionCount(2);
        NnProfile.Reset(); NnProfile.Enabled = cuda is null; // on a GPU, launch times would say nothing
        double optSeconds, total;
        try { (total, optSeconds) = TimeSteps(model, opt, tok, tgt, batch, seqLen, steps, cuda); }
        finally { NnProfile.Enabled = false; }
        int gen2 = GC.CollectionCount(2) - gcStart;
        long heapEnd = GC.GetTotalMemory(true);
        double step = total / steps;
        json["step_ms"] = step * 1e3; json["tokens_per_s"] = n / step;
        if (cuda is null) CpuBreakdown(cfg, n, step, steps, gen2, json, log);
        else
        {
            log($"step: {step * 1e3:F2} ms ({n / step:N0} tokens/s) over {steps} steps, float32 GEMMs (TF32 {(cuda.Tf32 ? "on" : "off")}, bf16 {(cuda.Bf16 ? "on" : "off")}), synchronized at the end; optimizer {optSeconds / steps * 1e3:F2} ms");
            log($"gpu pool: {(cuda.Pool.BytesInUse - poolStart) / 1048576.0:F1} MiB more in use and {cuda.Pool.DeviceAllocations - allocStart} cuMemAlloc calls over the {steps} measured steps ({cuda.Pool.BytesInUse / 1048576.0:F1} MiB in use, {cuda.Pool.BytesCached / 1048576.0:F1} MiB cached)");
            json["gemm_mode"] = cuda.Bf16 ? "bf16" : cuda.Tf32 ? "tf32" : "float32";
            json["gpu_pool_growth_mib"] = (cuda.Pool.BytesInUse - poolStart) / 1048576.0;
            if (tf32 && !cuda.Tf32 && !cuda.Bf16) TimeMode(cuda, "TF32", () => cuda.Tf32 = true, () => cuda.Tf32 = false, "tf32", model, opt, tok, tgt, batch, seqLen, steps, warmup, json, log);
            if (bf16 && !cuda.Bf16 && !cuda.Tf32) TimeMode(cuda, "bf16", () => cuda.Bf16 = true, () => cuda.Bf16 = false, "bf16", model, opt, tok, tgt, batch, seqLen, steps, warmup, json, log);
        }
        log($"managed heap after a full GC: {heapStart / 1048576.0:F1} MiB before the measured steps, {heapEnd / 1048576.0:F1} MiB after {steps} steps (growth {(heapEnd - heapStart) / 1048576.0:F2} MiB)");
        json["heap_growth_mib"] = (heapEnd - heapStart) / 1048576.0;
        if (memorySteps > 0) MemoryOverSteps(model, opt, tok, tgt, batch, seqLen, memorySteps, cuda, json, log);
        if (jsonPath is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(jsonPath))!);
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
            log($"wrote {jsonPath}");
        }
        return json;
    }

    private static void TimeMode(Compute.Cuda.CudaBackend cuda, string label, Action on, Action off, string key, Gpt model, AdamW opt, int[] tok, int[] tgt, int batch, int seqLen, int steps, int warmup, Dictionary<string, object> json, Action<string> log)
    {
        on();
        try
        {
            TimeSteps(model, opt, tok, tgt, batch, seqLen, warmup, cuda);
            var (t2, _) = TimeSteps(model, opt, tok, tgt, batch, seqLen, steps, cuda);
            int n = tok.Length;
            log($"step with {label} GEMMs: {t2 / steps * 1e3:F2} ms ({n / (t2 / steps):N0} tokens/s) over {steps} steps");
            json[key + "_step_ms"] = t2 / steps * 1e3; json[key + "_tokens_per_s"] = n / (t2 / steps);
        }
        finally { off(); }
    }

    /// <summary>CPU: time per operation kind, the GEMM share, and the step's GEMM rate against direct
    /// OpenBLAS and managed calls at the model's shapes.</summary>
    private static void CpuBreakdown(GptConfig cfg, int n, double step, int steps, int gen2, Dictionary<string, object> json, Action<string> log)
    {
        double gemm = NnProfile.GemmSeconds / steps;
        log($"step: {step * 1e3:F1} ms ({n / step:N0} tokens/s) over {steps} steps; GEMMs (linear layers) {gemm * 1e3:F1} ms = {100 * gemm / step:F0} % of the step; {gen2} gen-2 collections");
        var ops = new Dictionary<string, object>();
        double accounted = 0;
        foreach (var (op, sec) in NnProfile.All())
        {
            double ms = sec / steps * 1e3; accounted += sec / steps;
            log($"  {op,-28} {ms,9:F1} ms  {100 * sec / steps / step,5:F1} %");
            ops[op] = ms;
        }
        double rest = step - accounted;
        log($"  {"other (allocation, dispatch)",-28} {rest * 1e3,9:F1} ms  {100 * rest / step,5:F1} %");
        ops["other (allocation, dispatch)"] = rest * 1e3;
        json["ops_ms"] = ops; json["gemm_share"] = gemm / step; json["gen2_collections"] = gen2;
        // The linear layers' products per step: forward Y = WᵀX, backward dX = W·dY and dW = X·dYᵀ,
        // 2·in·out·N flops each (the rank-1 bias GEMMs are not counted, but their time is in the step's).
        double flops = 0;
        foreach (var (_, i, o, count) in Shapes(cfg)) flops += count * 3 * 2.0 * i * o * n;
        double inStep = flops / gemm;
        var rates = GemmRates(cfg, n, log);
        json["gemm_flops_per_step"] = flops; json["gemm_rate_in_step_gflops"] = inStep / 1e9;
        foreach (var (k, v) in rates) json[k] = v;
        if (rates.TryGetValue("openblas_seconds_per_step", out var ob))
        {
            double direct = flops / (double)ob;
            log($"gemm rate inside the step: {inStep / 1e9:F1} GFLOP/s = {inStep / direct:P0} of direct OpenBLAS calls at the same shapes ({direct / 1e9:F1} GFLOP/s, same run)");
            json["gemm_rate_openblas_direct_gflops"] = direct / 1e9; json["gemm_rate_in_step_vs_openblas"] = inStep / direct;
        }
        double managed = flops / (double)rates["managed_seconds_per_step"];
        log($"gemm rate inside the step vs the managed GEMM called directly ({managed / 1e9:F1} GFLOP/s): {inStep / managed:P0}");
        json["gemm_rate_managed_direct_gflops"] = managed / 1e9; json["gemm_rate_in_step_vs_managed"] = inStep / managed;
    }

    /// <summary>The linear layers of the model: name, in, out, how many per step.</summary>
    private static (string Name, int In, int Out, int Count)[] Shapes(GptConfig cfg)
    {
        int c = cfg.ModelDim, f = cfg.FfnDim, v = cfg.VocabSize, l = cfg.Layers;
        return [("c_attn", c, 3 * c, l), ("attn c_proj", c, c, l), ("c_fc", c, f, l), ("mlp c_proj", f, c, l), ("lm_head", c, v, 1)];
    }

    private static double LoadAverage()
    {
        try { return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { return double.NaN; }
    }

    private static (double Total, double Optimizer) TimeSteps(Gpt model, AdamW opt, int[] tok, int[] tgt, int batch, int seqLen, int steps, Compute.Cuda.CudaBackend? cuda)
    {
        double optSeconds = 0;
        var sw = Stopwatch.StartNew();
        for (int s = 0; s < steps; s++)
        {
            model.LossAndGradients(tok, tgt, batch, seqLen);
            long t = Stopwatch.GetTimestamp();
            opt.Step(model.Parameters, 1e-4);
            optSeconds += Stopwatch.GetElapsedTime(t).TotalSeconds;
        }
        cuda?.Synchronize();
        return (sw.Elapsed.TotalSeconds, optSeconds);
    }

    /// <summary>Memory after the first 10 of <paramref name="steps"/> training steps and after all of them:
    /// the managed heap after a full GC, on the CPU the activation pool (<see cref="HostArrayPool"/>: the
    /// step's arrays, held between steps) and the process's resident set (native buffers too), on CUDA
    /// the GPU pool. Growth between the two snapshots means something is kept from every step.</summary>
    private static void MemoryOverSteps(Gpt model, AdamW opt, int[] tok, int[] tgt, int batch, int seqLen, int steps, Compute.Cuda.CudaBackend? cuda, Dictionary<string, object> json, Action<string> log)
    {
        int first = Math.Min(10, steps);
        const double MiB = 1048576.0;
        Dictionary<string, double> Snapshot()
        {
            cuda?.Synchronize();
            var m = new Dictionary<string, double> { ["heap_mib"] = GC.GetTotalMemory(true) / MiB };
            if (cuda is null)
            {
                m["activation_pool_mib"] = model.ActivationPoolBytes / MiB;
                m["activation_reuses"] = model.ActivationReuses;
                m["working_set_mib"] = Environment.WorkingSet / MiB;
            }
            else { m["gpu_pool_in_use_mib"] = cuda.Pool.BytesInUse / MiB; m["cuMemAlloc_calls"] = cuda.Pool.DeviceAllocations; }
            return m;
        }
        static string Text(Dictionary<string, double> m) => m.ContainsKey("gpu_pool_in_use_mib")
            ? $"heap {m["heap_mib"]:F2} MiB, gpu pool {m["gpu_pool_in_use_mib"]:F1} MiB in use, {m["cuMemAlloc_calls"]} cuMemAlloc calls"
            : $"heap {m["heap_mib"]:F2} MiB, activation pool {m["activation_pool_mib"]:F2} MiB held ({m["activation_reuses"]:N0} arrays reused so far), resident set {m["working_set_mib"]:F1} MiB";
        var sw = Stopwatch.StartNew();
        for (int s = 0; s < first; s++) { model.LossAndGradients(tok, tgt, batch, seqLen); opt.Step(model.Parameters, 1e-4); }
        var a = Snapshot();
        for (int s = first; s < steps; s++) { model.LossAndGradients(tok, tgt, batch, seqLen); opt.Step(model.Parameters, 1e-4); }
        var b = Snapshot();
        log($"memory over {steps} training steps ({sw.Elapsed.TotalSeconds:F1} s): after {first}: {Text(a)}; after {steps}: {Text(b)}");
        json["memory"] = new Dictionary<string, object> { ["steps"] = steps, ["after_steps"] = first, ["after_first"] = a, ["after_all"] = b };
    }

    /// <summary>Direct GEMM calls at each linear shape of one step (forward Y = WᵀX, backward dX = W·dY
    /// and dW = X·dYᵀ) on the managed backend and on OpenBLAS, same inputs, same run: GFLOP/s per shape,
    /// and the seconds one step's linear GEMMs take at those rates ("managed_seconds_per_step",
    /// "openblas_seconds_per_step" when OpenBLAS loads).</summary>
    public static Dictionary<string, object> GemmRates(GptConfig cfg, int tokens, Action<string> log)
    {
        var json = new Dictionary<string, object>();
        var managed = new ManagedCpuBackend();
        var openblas = OpenBlasCpuBackend.TryCreate(out var why);
        if (openblas is null) { log($"OpenBLAS not available ({why}); managed rates only."); json["openblas"] = "not available: " + why; }
        double sumM = 0, sumO = 0;
        var perShape = new Dictionary<string, object>();
        foreach (var (name, i, o, count) in Shapes(cfg))
        {
            var rng = new Rng(3);
            var w = rng.NormalMatrix(i, o).AsType(DType.F32); var x = rng.NormalMatrix(i, tokens).AsType(DType.F32); var dy = rng.NormalMatrix(o, tokens).AsType(DType.F32);
            double flops = 3 * 2.0 * i * o * tokens;
            double tm = Time(managed, w, x, dy), to = openblas is null ? double.NaN : Time(openblas, w, x, dy);
            sumM += count * tm; sumO += count * to;
            log($"gemm {name,-12} in {i,5} out {o,5} tokens {tokens,6}: managed {flops / tm / 1e9,7:F1} GFLOP/s, openblas {flops / to / 1e9,7:F1} GFLOP/s, managed/openblas {to / tm:P0}");
            perShape[name] = new Dictionary<string, object> { ["in"] = i, ["out"] = o, ["managed_gflops"] = flops / tm / 1e9, ["openblas_gflops"] = openblas is null ? "n/a" : flops / to / 1e9 };
        }
        json["direct_gemm_by_shape"] = perShape;
        json["managed_seconds_per_step"] = sumM;
        if (openblas is not null) { json["openblas_seconds_per_step"] = sumO; log($"gemm all shapes: managed/openblas rate {sumO / sumM:P0}"); }
        return json;
    }

    private static double Time(IBackend b, Matrix w, Matrix x, Matrix dy)
    {
        var y = Matrix.Zeros(w.Cols, x.Cols, DType.F32); var dx = Matrix.Zeros(w.Rows, x.Cols, DType.F32); var dw = Matrix.Zeros(w.Rows, w.Cols, DType.F32);
        void Once() { b.Gemm(w, true, x, false, y, 1, 0); b.Gemm(w, false, dy, false, dx, 1, 0); b.Gemm(x, false, dy, true, dw, 1, 1); }
        Once();
        // The mean of 3 timed repetitions, not the best: the step's GEMM time is a mean over steps too,
        // and on a loaded machine a best-of-3 would flatter the direct calls.
        var sw = Stopwatch.StartNew();
        for (int r = 0; r < 3; r++) Once();
        return sw.Elapsed.TotalSeconds / 3;
    }
}
