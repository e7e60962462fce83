using System.Diagnostics;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>Timed training steps of a GPT on random tokens: time per step and tokens per second,
/// the share of the step spent in GEMMs (linear layers), the GEMM rate of every linear shape of the
/// step on the managed CPU backend and on OpenBLAS measured in the same run, and the managed heap
/// after a full collection at the first and last measured step (growth means activations leak).</summary>
public static class NnBench
{
    /// <summary>Runs the benchmark, printing lines through <paramref name="log"/>.</summary>
    public static void Run(Device device, GptConfig cfg, int batch, int seqLen, int steps, Action<string> log, int warmup = 2) =>
        Run(device, cfg, batch, seqLen, steps, log, warmup, tf32: false, memorySteps: 0);

    /// <summary>As <see cref="Run(Device, GptConfig, int, int, int, Action{string}, int)"/>; on CUDA with
    /// <paramref name="tf32"/> also times the same steps with TF32 tensor-core GEMMs, and with
    /// <paramref name="memorySteps"/> &gt; 0 trains that many more steps and reports the memory in use
    /// (managed heap; on CUDA the pool's bytes in use and cuMemAlloc calls) after the first 10 and
    /// after all of them, so growth over steps shows.</summary>
    public static void Run(Device device, GptConfig cfg, int batch, int seqLen, int steps, Action<string> log, int warmup, bool tf32, int memorySteps)
    {
        var model = new Gpt(cfg, 1, DType.F32, device);
        var opt = new AdamW();
        var rng = new Rng(1).Fork("bench");
        int n = batch * seqLen;
        var tok = new int[n]; var tgt = new int[n];
        for (int i = 0; i < n; i++) { tok[i] = rng.NextInt(cfg.VocabSize); tgt[i] = rng.NextInt(cfg.VocabSize); }
        var cuda = device.Backend as Compute.Cuda.CudaBackend;
        log($"model: {cfg.Layers} layers, d = {cfg.ModelDim}, {cfg.Heads} heads, FFN {cfg.FfnDim}, vocabulary {cfg.VocabSize}; batch {batch} × context {seqLen}; float32 on {device.Name} ({device.Backend.Name}); {Environment.ProcessorCount} logical CPUs");
        for (int s = 0; s < warmup; s++) { model.LossAndGradients(tok, tgt, batch, seqLen); opt.Step(model.Parameters, 1e-4); }
        cuda?.Synchronize();
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        long heapStart = GC.GetTotalMemory(true);
        long poolStart = cuda?.Pool.BytesInUse ?? 0, allocStart = cuda?.Pool.DeviceAllocations ?? 0;
        NnProfile.Reset(); NnProfile.Enabled = cuda is null; // on a GPU, launch times would say nothing
        double optSeconds, total;
        try { (total, optSeconds) = TimeSteps(model, opt, tok, tgt, batch, seqLen, steps, cuda); }
        finally { NnProfile.Enabled = false; }
        long heapEnd = GC.GetTotalMemory(true);
        double step = total / steps, gemm = NnProfile.GemmSeconds / steps;
        if (cuda is null)
            log($"step: {step * 1e3:F1} ms ({n / step:N0} tokens/s) over {steps} steps; GEMMs (linear layers) {gemm * 1e3:F1} ms = {100 * gemm / step:F0} %, optimizer {optSeconds / steps * 1e3:F1} ms = {100 * optSeconds / total:F0} %, rest (attention, norms, activations, loss, embeddings) {100 * (1 - gemm / step - optSeconds / total):F0} %");
        else
        {
            log($"step: {step * 1e3:F2} ms ({n / step:N0} tokens/s) over {steps} steps, float32 GEMMs (TF32 {(cuda.Tf32 ? "on" : "off")}), synchronized at the end; optimizer {optSeconds / steps * 1e3:F2} ms");
            log($"gpu pool: {(cuda.Pool.BytesInUse - poolStart) / 1048576.0:F1} MiB more in use and {cuda.Pool.DeviceAllocations - allocStart} cuMemAlloc calls over the {steps} measured steps ({cuda.Pool.BytesInUse / 1048576.0:F1} MiB in use, {cuda.Pool.BytesCached / 1048576.0:F1} MiB cached)");
            if (tf32 && !cuda.Tf32)
            {
                cuda.Tf32 = true;
                try
                {
                    TimeSteps(model, opt, tok, tgt, batch, seqLen, warmup, cuda);
                    var (t2, _) = TimeSteps(model, opt, tok, tgt, batch, seqLen, steps, cuda);
                    log($"step with TF32 GEMMs: {t2 / steps * 1e3:F2} ms ({n / (t2 / steps):N0} tokens/s) over {steps} steps");
                }
                finally { cuda.Tf32 = false; }
            }
        }
        log($"managed heap after a full GC: {heapStart / 1048576.0:F1} MiB before the measured steps, {heapEnd / 1048576.0:F1} MiB after {steps} steps (growth {(heapEnd - heapStart) / 1048576.0:F2} MiB)");
        if (memorySteps > 0) MemoryOverSteps(model, opt, tok, tgt, batch, seqLen, memorySteps, cuda, log);
        if (cuda is null) GemmRates(cfg, n, log);
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

    private static void MemoryOverSteps(Gpt model, AdamW opt, int[] tok, int[] tgt, int batch, int seqLen, int steps, Compute.Cuda.CudaBackend? cuda, Action<string> log)
    {
        int first = Math.Min(10, steps);
        string Snapshot()
        {
            cuda?.Synchronize();
            long heap = GC.GetTotalMemory(true);
            return cuda is null ? $"heap {heap / 1048576.0:F2} MiB"
                : $"heap {heap / 1048576.0:F2} MiB, gpu pool {cuda.Pool.BytesInUse / 1048576.0:F1} MiB in use, {cuda.Pool.DeviceAllocations} cuMemAlloc calls";
        }
        var sw = Stopwatch.StartNew();
        for (int s = 0; s < first; s++) { model.LossAndGradients(tok, tgt, batch, seqLen); opt.Step(model.Parameters, 1e-4); }
        string a = Snapshot();
        for (int s = first; s < steps; s++) { model.LossAndGradients(tok, tgt, batch, seqLen); opt.Step(model.Parameters, 1e-4); }
        string b = Snapshot();
        log($"memory over {steps} training steps ({sw.Elapsed.TotalSeconds:F1} s): after {first}: {a}; after {steps}: {b}");
    }

    /// <summary>GFLOP/s of each linear shape of one step (forward Y = WᵀX, backward dX = W·dY and
    /// dW = X·dYᵀ) on the managed backend and on OpenBLAS, same inputs, same run.</summary>
    public static void GemmRates(GptConfig cfg, int tokens, Action<string> log)
    {
        var managed = new ManagedCpuBackend();
        var openblas = OpenBlasCpuBackend.TryCreate(out var why);
        if (openblas is null) log($"OpenBLAS not available ({why}); managed rates only.");
        int c = cfg.ModelDim, f = cfg.FfnDim, v = cfg.VocabSize;
        var shapes = new (string Name, int In, int Out)[] { ("c_attn", c, 3 * c), ("attn c_proj", c, c), ("c_fc", c, f), ("mlp c_proj", f, c), ("lm_head", c, v) };
        double sumM = 0, sumO = 0;
        foreach (var (name, i, o) in shapes)
        {
            var rng = new Rng(3);
            var w = rng.NormalMatrix(i, o).AsType(DType.F32); var x = rng.NormalMatrix(i, tokens).AsType(DType.F32); var dy = rng.NormalMatrix(o, tokens).AsType(DType.F32);
            double flops = 3 * 2.0 * i * o * tokens;
            double tm = Time(managed, w, x, dy), to = openblas is null ? double.NaN : Time(openblas, w, x, dy);
            sumM += tm; sumO += to;
            log($"gemm {name,-12} in {i,5} out {o,5} tokens {tokens,6}: managed {flops / tm / 1e9,7:F1} GFLOP/s, openblas {flops / to / 1e9,7:F1} GFLOP/s, managed/openblas {to / tm:P0}");
        }
        log($"gemm all shapes: managed/openblas rate {sumO / sumM:P0}");
    }

    private static double Time(IBackend b, Matrix w, Matrix x, Matrix dy)
    {
        var y = Matrix.Zeros(w.Cols, x.Cols, DType.F32); var dx = Matrix.Zeros(w.Rows, x.Cols, DType.F32); var dw = Matrix.Zeros(w.Rows, w.Cols, DType.F32);
        void Once() { b.Gemm(w, true, x, false, y, 1, 0); b.Gemm(w, false, dy, false, dx, 1, 0); b.Gemm(x, false, dy, true, dw, 1, 1); }
        Once();
        double best = double.MaxValue;
        for (int r = 0; r < 3; r++) { var sw = Stopwatch.StartNew(); Once(); best = Math.Min(best, sw.Elapsed.TotalSeconds); }
        return best;
    }
}
