using System.Collections.Concurrent;
using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Nn;

namespace Reproduce.Compression;

public static partial class CompressionExperiments
{
    // Trained teachers by (shape, steps, batch, seed, device): the notebook's model figures (perplexity,
    // KD, gradual pruning, pipeline) share one teacher per run instead of training it four times. Only the
    // flat parameters are kept; every caller gets a fresh model, so no figure sees another's edits.
    private static readonly ConcurrentDictionary<string, Lazy<double[]>> TeacherCache = new();

    /// <summary>Smoke-scale teacher: 2 blocks, d = 32, 2 heads, FFN 128, context 32 (small enough that the
    /// figures that use it finish in seconds on 2 loaded CPU cores); paper scale the brief's teacher (§2.8:
    /// 6 blocks, d = 256, 8 heads, FFN 1024, context 128).</summary>
    internal static GptConfig TeacherConfig(RunContext ctx, int vocab) =>
        ctx.Pick(new GptConfig(vocab, 32, 2, 32, 2, 128), GptConfig.Teacher(vocab));

    /// <summary>Teacher training: smoke 250 steps of 16 × 32 characters at peak rate 1e-2; paper 3000 steps of 32 × 128
    /// at 3e-3. Both evaluate the whole validation split every 25 (smoke) or 100 (paper) steps and keep the best
    /// parameters (<see cref="LmTrainingOptions.KeepBest"/>): the paper-scale run sees its 153k training characters
    /// about 80 times, and a 4.8M-parameter model without dropout can memorise them (the first H100 run, before this
    /// rule, ended worse than the unigram baseline on the test split). Students and KD phases derive from these options, so every
    /// model of the notebook ends at its best validation point. At paper scale training also stops after 5 evaluations
    /// (500 steps) without a new best (<see cref="LmTrainingOptions.Patience"/>): on the H100 the validation loss was lowest
    /// at step 1000 and only rose after it, so the remaining steps cost time (most of it, on a CPU) and change nothing kept.</summary>
    internal static LmTrainingOptions TeacherTraining(RunContext ctx, int seqLen) =>
        new(ctx.Pick(250, 3000), ctx.Pick(16, 32), seqLen, PeakLr: ctx.Pick(1e-2, 3e-3), Seed: ctx.Seed,
            EvalEvery: ctx.Pick(25, 100), EvalWindows: int.MaxValue, KeepBest: true, Patience: ctx.Pick(0, 5));

    /// <summary>A character-level GPT trained from scratch on the committed Moby-Dick subset (the papers'
    /// models are unavailable), on the run's device; trained once per run and shape, then copied.</summary>
    internal static (Gpt Model, CharCorpus Corpus, int SeqLen) TrainedTeacher(RunContext ctx)
    {
        var corpus = CharCorpus.MobyDick();
        var cfg = TeacherConfig(ctx, corpus.Vocab.Length);
        var o = TeacherTraining(ctx, cfg.ContextLength);
        string key = $"{cfg}|{o}|{ctx.Seed}|{ctx.Device}";
        var flat = TeacherCache.GetOrAdd(key, _ => new Lazy<double[]>(() =>
        {
            // A run that keeps checkpoints trains the teacher once across runs too (a stopped run resumes with it).
            var saved = JobCheckpoints.For(ctx, "compression/teacher", $"{cfg}|{o}");
            if (saved?.Load("teacher") is { } kept)
            {
                ctx.Report($"teacher: loaded from the checkpoint in {saved.Folder}");
                return kept;
            }
            ctx.Report($"training the teacher: {cfg.Layers} layers, d = {cfg.ModelDim}, {o.Steps} steps on {ctx.Device}");
            var m = new Gpt(cfg, ctx.Seed, DType.F32, ctx.Device);
            // A paper-scale teacher takes minutes on a GPU and most of an hour on 2 CPU cores: say where it is.
            LmTrainer.Train(m, corpus, o, pt => ctx.Report(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"teacher step {pt.Step}/{o.Steps}: train {pt.TrainLoss:F4}, validation {pt.ValidationLoss:F4} nats, {pt.Seconds:F0} s")));
            var trained = m.Parameters.GetFlat();
            saved?.Save("teacher", trained);
            return trained;
        })).Value;
        return (CopyOf(cfg, flat, ctx.Device), corpus, cfg.ContextLength);
    }

    /// <summary>A model of shape <paramref name="cfg"/> on <paramref name="device"/> holding <paramref name="flat"/>.</summary>
    internal static Gpt CopyOf(GptConfig cfg, double[] flat, Device device)
    {
        var m = new Gpt(cfg, 0, DType.F32, device);
        m.Parameters.SetFlat(flat);
        return m;
    }

    /// <summary>A copy of <paramref name="model"/> (same shape and weights) on the run's device.</summary>
    internal static Gpt Clone(Gpt model, RunContext ctx) => CopyOf(model.Config, model.Parameters.GetFlat(), ctx.Device);

    /// <summary>A copy of <paramref name="model"/> in host memory: layer-wise compression and its calibration
    /// passes run on the CPU, many models at once (<see cref="ForEachOnCpu"/>), whatever device trained them.</summary>
    internal static Gpt CpuCopy(Gpt model) => CopyOf(model.Config, model.Parameters.GetFlat(), Device.Cpu);

    /// <summary>Runs <paramref name="jobs"/> CPU-only jobs in parallel, OpenBLAS single-threaded meanwhile (with
    /// more callers than cores its worker threads spin against them: 2.6× the CPU time on 2 cores, same results).</summary>
    internal static void ForEachOnCpu(int jobs, Action<int> job)
    {
        var blas = Device.Cpu.Backend as OpenBlasCpuBackend;
        int previous = blas?.SetNativeThreads(1) ?? -1;
        try { Parallel.For(0, jobs, job); }
        finally { if (previous > 0) blas!.SetNativeThreads(previous); }
    }
}
