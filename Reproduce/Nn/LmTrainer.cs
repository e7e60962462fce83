using System.Diagnostics;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>One point of a training history.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="TrainLoss">Training cross-entropy of the last step's batch (nats per token).</param>
/// <param name="ValidationLoss">Validation cross-entropy at this step, or NaN when not evaluated.</param>
/// <param name="Seconds">Wall time since training started.</param>
public sealed record TrainingPoint(int Step, double TrainLoss, double ValidationLoss, double Seconds);

/// <summary>Next-character training of a <see cref="Gpt"/>: AdamW, warmup + cosine schedule, global
/// gradient clipping, NaN/Inf guard, batches drawn from a seeded stream (so on CPU a seed fixes the
/// run bit for bit).</summary>
public static class LmTrainer
{
    /// <summary>Trains in place and returns the history (a point per evaluation and at the end).</summary>
    public static List<TrainingPoint> Train(Gpt model, CharCorpus corpus, LmTrainingOptions o, Action<TrainingPoint>? progress = null)
    {
        if (o.Steps <= 0 || o.Batch <= 0 || o.SeqLen <= 0) throw new ArgumentException($"Steps, batch and sequence length must be positive: {o}.");
        var opt = new AdamW(weightDecay: o.WeightDecay) { DecayFilter = p => p.TorchShape.Length == 2 };
        var lr = LrSchedule.WarmupCosine(o.PeakLr, Math.Min(o.WarmupSteps, o.Steps - 1), o.Steps, o.PeakLr / 10);
        var rng = new Rng(o.Seed).Fork("lm-batches");
        var history = new List<TrainingPoint>();
        var sw = Stopwatch.StartNew();
        for (int s = 0; s < o.Steps; s++)
        {
            var (x, y) = CharCorpus.SampleBatch(corpus.Train, o.Batch, o.SeqLen, rng);
            double loss = model.LossAndGradients(x, y, o.Batch, o.SeqLen);
            FiniteCheck.AfterBackward(s, loss, model.Parameters);
            if (o.ClipNorm > 0) GradientClipping.ClipByGlobalNorm(model.Parameters, o.ClipNorm);
            opt.Step(model.Parameters, lr(s));
            bool last = s == o.Steps - 1, eval = last || (o.EvalEvery > 0 && (s + 1) % o.EvalEvery == 0);
            if (eval)
            {
                var p = new TrainingPoint(s + 1, loss, CharCorpus.Evaluate(model, corpus.Validation, o.SeqLen, o.EvalWindows), sw.Elapsed.TotalSeconds);
                history.Add(p);
                progress?.Invoke(p);
            }
        }
        return history;
    }
}
