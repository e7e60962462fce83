using System.Diagnostics;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>One point of a training history.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="TrainLoss">Training cross-entropy of the last step's batch (nats per token).</param>
/// <param name="ValidationLoss">Validation cross-entropy at this step, or NaN when not evaluated.</param>
/// <param name="Seconds">Wall time since training started.</param>
/// <param name="Kept">True for the one point whose parameters the model holds when training returns: the last
/// point, or with <see cref="LmTrainingOptions.KeepBest"/> the point of lowest validation loss.</param>
public sealed record TrainingPoint(int Step, double TrainLoss, double ValidationLoss, double Seconds, bool Kept = false);

/// <summary>Next-character training of a <see cref="Gpt"/>: AdamW, warmup + cosine schedule, global
/// gradient clipping, NaN/Inf guard, batches drawn from a seeded stream (so on CPU a seed fixes the
/// run bit for bit).</summary>
public static class LmTrainer
{
    /// <summary>Trains in place and returns the history (a point per evaluation and at the end; the point marked
    /// <see cref="TrainingPoint.Kept"/> is the one whose parameters the model ends with).</summary>
    public static List<TrainingPoint> Train(Gpt model, CharCorpus corpus, LmTrainingOptions o, Action<TrainingPoint>? progress = null) =>
        Run(model, corpus, o, progress, (x, y) => model.LossAndGradients(x, y, o.Batch, o.SeqLen));

    /// <summary>Trains <paramref name="student"/> in place by token-level distillation from the fixed
    /// <paramref name="teacher"/> (same vocabulary; <see cref="DistillationOptions"/>), on the same batches
    /// <see cref="Train"/> would draw with the same options; the history's training loss is the mixed loss.</summary>
    public static List<TrainingPoint> Distill(Gpt student, Gpt teacher, CharCorpus corpus, LmTrainingOptions o, DistillationOptions kd, Action<TrainingPoint>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(student); ArgumentNullException.ThrowIfNull(teacher); ArgumentNullException.ThrowIfNull(kd);
        kd.Validate();
        CheckPair(student, teacher, o);
        return Run(student, corpus, o, progress, (x, y) => KdLossAndGradients(student, teacher, x, y, o.Batch, o.SeqLen, kd));
    }

    /// <summary>Two-stage distillation: token-level KD on the text (<see cref="Distill"/>, same batches) until
    /// <see cref="OnPolicyOptions.StartFraction"/> of the steps, then on-policy forward KL. An on-policy step keeps the
    /// text batch's rows as prompts (their first seqLen + 1 − G tokens), lets the student sample G tokens after each
    /// (no gradient through the sampling), and minimises KL(teacher ‖ student) alone (α = 1, the same τ) over the
    /// whole resulting window: training on the student's own continuations against the teacher's distribution there.
    /// The on-policy draws use their own random stream, so the text batches are those of <see cref="Distill"/>.</summary>
    public static List<TrainingPoint> DistillOnPolicy(Gpt student, Gpt teacher, CharCorpus corpus, LmTrainingOptions o, DistillationOptions kd,
        OnPolicyOptions onPolicy, Action<TrainingPoint>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(student); ArgumentNullException.ThrowIfNull(teacher); ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(kd); ArgumentNullException.ThrowIfNull(onPolicy);
        kd.Validate(); onPolicy.Validate(o.SeqLen);
        CheckPair(student, teacher, o);
        var rng = new Rng(o.Seed).Fork("on-policy");
        var pureKl = kd with { Alpha = 1 };
        int step = 0, start = (int)Math.Ceiling(onPolicy.StartFraction * o.Steps), g = onPolicy.GenerationLength, prompt = o.SeqLen + 1 - g;
        return Run(student, corpus, o, progress, (x, y) =>
        {
            bool sampled = step++ >= start && rng.Uniform() < onPolicy.Fraction;
            if (!sampled) return KdLossAndGradients(student, teacher, x, y, o.Batch, o.SeqLen, kd);
            var prompts = new int[o.Batch * prompt];
            for (int b = 0; b < o.Batch; b++) Array.Copy(x, b * o.SeqLen, prompts, b * prompt, prompt);
            var gen = Sampler.GenerateBatch(student, prompts, o.Batch, prompt, g, onPolicy.Temperature, rng);
            // Each row's window is prompt + samples (seqLen + 1 tokens): inputs its first seqLen, targets its last seqLen.
            var xs = new int[o.Batch * o.SeqLen]; var ys = new int[o.Batch * o.SeqLen];
            var row = new int[o.SeqLen + 1];
            for (int b = 0; b < o.Batch; b++)
            {
                Array.Copy(prompts, b * prompt, row, 0, prompt);
                Array.Copy(gen, b * g, row, prompt, g);
                Array.Copy(row, 0, xs, b * o.SeqLen, o.SeqLen);
                Array.Copy(row, 1, ys, b * o.SeqLen, o.SeqLen);
            }
            return KdLossAndGradients(student, teacher, xs, ys, o.Batch, o.SeqLen, pureKl);   // α = 1: the KL alone
        });
    }

    private static void CheckPair(Gpt student, Gpt teacher, LmTrainingOptions o)
    {
        if (teacher.Config.VocabSize != student.Config.VocabSize)
            throw new ArgumentException($"Distillation needs one vocabulary: teacher has {teacher.Config.VocabSize} ids, student {student.Config.VocabSize}.");
        if (teacher.Config.ContextLength < o.SeqLen)
            throw new ArgumentException($"The teacher's context {teacher.Config.ContextLength} is shorter than the training sequence length {o.SeqLen}; shorten SeqLen.");
    }

    /// <summary>One distillation step's loss α·KL + (1 − α)·CE with the student's gradients accumulated (zeroed first).</summary>
    public static double KdLossAndGradients(Gpt student, Gpt teacher, int[] x, int[] y, int batch, int seqLen, DistillationOptions kd)
    {
        using var reuse = student.ReuseActivations(); // the teacher's activations are disposed within the step too
        student.Parameters.ZeroGrad();
        using var ta = teacher.Forward(x, batch, seqLen);
        using var sa = student.Forward(x, batch, seqLen);
        var (ce, probs) = SoftmaxCrossEntropy.Forward("loss", sa.Logits, y);
        var (kl, q, p) = DistillationKl.Forward("kd", sa.Logits, ta.Logits, kd.Temperature, kd.ScaleByTemperatureSquared);
        using (probs) using (q) using (p)
        using (var d = SoftmaxCrossEntropy.Backward(probs, y, 1 - kd.Alpha))
        using (var dKl = DistillationKl.Backward(q, p, kd.Temperature, kd.ScaleByTemperatureSquared, kd.Alpha))
        {
            Ops.Axpy(1, dKl, d);
            student.Backward(sa, d);
        }
        return (1 - kd.Alpha) * ce + kd.Alpha * kl;
    }

    private static List<TrainingPoint> Run(Gpt model, CharCorpus corpus, LmTrainingOptions o, Action<TrainingPoint>? progress, Func<int[], int[], double> lossAndGradients)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.Validate();
        var opt = new AdamW(weightDecay: o.WeightDecay) { DecayFilter = p => p.TorchShape.Length == 2 };
        var lr = LrSchedule.WarmupCosine(o.PeakLr, Math.Min(o.WarmupSteps, o.Steps - 1), o.Steps, o.PeakLr / 10);
        var rng = new Rng(o.Seed).Fork("lm-batches");
        var history = new List<TrainingPoint>();
        bool keepBest = o.KeepBest && o.EvalEvery > 0;
        double[]? best = null;   // parameters at the best evaluation so far (host copy; float32 → float64 → float32 is exact)
        int bestIndex = -1;
        double bestLoss = double.PositiveInfinity;
        var sw = Stopwatch.StartNew();
        for (int s = 0; s < o.Steps; s++)
        {
            var (x, y) = CharCorpus.SampleBatch(corpus.Train, o.Batch, o.SeqLen, rng);
            double loss = lossAndGradients(x, y);
            double gradNorm = FiniteCheck.AfterBackward(s, loss, model.Parameters, () => FiniteCheck.FirstNonFiniteLayer(model, x, o.Batch, o.SeqLen));
            if (o.ClipNorm > 0) GradientClipping.ClipToNorm(model.Parameters, o.ClipNorm, gradNorm);
            opt.Step(model.Parameters, lr(s));
            bool last = s == o.Steps - 1, eval = last || (o.EvalEvery > 0 && (s + 1) % o.EvalEvery == 0);
            if (eval)
            {
                var p = new TrainingPoint(s + 1, loss, CharCorpus.Evaluate(model, corpus.Validation, o.SeqLen, o.EvalWindows), sw.Elapsed.TotalSeconds);
                history.Add(p);
                progress?.Invoke(p);
                // Strictly lower only: on a tie the earlier (less trained) point stays. A NaN validation loss never wins.
                if (keepBest && p.ValidationLoss < bestLoss)
                {
                    bestIndex = history.Count - 1; bestLoss = p.ValidationLoss;
                    if (!last) best = model.Parameters.GetFlat();
                }
                // Patience: the loss has not gone below the best for this many evaluations in a row; the rest would
                // only be discarded by KeepBest (the overfitting the teacher's first paper-scale run showed).
                if (keepBest && o.Patience > 0 && history.Count - 1 - bestIndex >= o.Patience && bestIndex >= 0) break;
            }
        }
        if (bestIndex < 0) bestIndex = history.Count - 1;   // KeepBest off (or no finite validation loss): the last step
        else if (bestIndex < history.Count - 1) model.Parameters.SetFlat(best!);
        history[bestIndex] = history[bestIndex] with { Kept = true };
        return history;
    }
}
