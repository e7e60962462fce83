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
    public static void Run(Device device, GptConfig cfg, int batch, int seqLen, int steps, Action<string> log, int warmup = 2)
    {
        var model = new Gpt(cfg, 1, DType.F32, device);
        var opt = new AdamW();
        var rng = new Rng(1).Fork("bench");
        int n = batch * seqLen;
        var tok = new int[n]; var tgt = new int[n];
        for (int i = 0; i < n; i++) { tok[i] = rng.NextInt(cfg.VocabSize); tgt[i] = rng.NextInt(cfg.VocabSize); }
        log($"model: {cfg.Layers} layers, d = {cfg.ModelDim}, {cfg.Heads} heads, FFN {cfg.FfnDim}, vocabulary {cfg.VocabSize}; batch {batch} × context {seqLen}; float32 on {device.Name} ({device.Backend.Name}); {Environment.ProcessorCount} logical CPUs");
        for (int s = 0; s < warmup; s++) { model.LossAndGradients(tok, tgt, batch, seqLen); opt.Step(model.Parameters, 1e-4); }
        GC.Collect(); GC.WaitForPendingFinalizers(); GC.Collect();
        long heapStart = GC.GetTotalMemory(true);
        NnProfile.Reset(); NnProfile.Enabled = true;
        double optSeconds = 0, total = 0;
        try
        {
            var sw = Stopwatch.StartNew();
            for (int s = 0; s < steps; s++)
            {
                model.LossAndGradients(tok, tgt, batch, seqLen);
                long t = Stopwatch.GetTimestamp();
                opt.Step(model.Parameters, 1e-4);
                optSeconds += Stopwatch.GetElapsedTime(t).TotalSeconds;
            }
            total = sw.Elapsed.TotalSeconds;
        }
        finally { NnProfile.Enabled = false; }
        long heapEnd = GC.GetTotalMemory(true);
        double step = total / steps, gemm = NnProfile.GemmSeconds / steps;
        log($"step: {step * 1e3:F1} ms ({n / step:N0} tokens/s) over {steps} steps; GEMMs (linear layers) {gemm * 1e3:F1} ms = {100 * gemm / step:F0} %, optimizer {optSeconds / steps * 1e3:F1} ms = {100 * optSeconds / total:F0} %, rest (attention, norms, activations, loss, embeddings) {100 * (1 - gemm / step - optSeconds / total):F0} %");
        log($"managed heap after a full GC: {heapStart / 1048576.0:F1} MiB before the measured steps, {heapEnd / 1048576.0:F1} MiB after {steps} steps (growth {(heapEnd - heapStart) / 1048576.0:F2} MiB)");
        GemmRates(cfg, n, log);
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
