namespace Reproduce.Nn;

/// <summary>Settings of <see cref="LmTrainer"/>.</summary>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="Batch">Sequences per step.</param>
/// <param name="SeqLen">Positions per sequence.</param>
/// <param name="PeakLr">AdamW peak learning rate (after warmup).</param>
/// <param name="WarmupSteps">Linear warmup steps; cosine decay to PeakLr/10 afterwards.</param>
/// <param name="WeightDecay">AdamW decoupled decay on 2-D weights only (biases and norm weights exempt).</param>
/// <param name="ClipNorm">Global gradient-norm clip (≤ 0: off).</param>
/// <param name="Seed">Fixes the data order (the model has its own seed).</param>
/// <param name="EvalEvery">Steps between validation evaluations (0: only at the end).</param>
/// <param name="EvalWindows">Validation windows per evaluation (the first ones of the split, the same every time).</param>
/// <param name="KeepBest">Early stopping by checkpoint: with <paramref name="EvalEvery"/> &gt; 0, the model ends with the
/// parameters of the evaluation of lowest validation loss (the earliest on a tie), not those of the last step, so a run
/// that starts to overfit its training text returns the point before it did. No effect when EvalEvery is 0.</param>
/// <param name="Patience">Early stopping by patience: with KeepBest and EvalEvery &gt; 0, training ends once this many
/// evaluations in a row have not lowered the validation loss (0: run all <paramref name="Steps"/>). The learning-rate
/// schedule still spans Steps, so a run that stops early took exactly the steps a full run would have taken up to there.</param>
public sealed record LmTrainingOptions(int Steps, int Batch, int SeqLen, double PeakLr = 3e-3, int WarmupSteps = 20,
    double WeightDecay = 0.1, double ClipNorm = 1.0, ulong Seed = 1, int EvalEvery = 0, int EvalWindows = 32, bool KeepBest = true,
    int Patience = 0)
{
    /// <summary>Throws with the fix when a setting is out of range.</summary>
    public void Validate()
    {
        if (Steps <= 0 || Batch <= 0 || SeqLen <= 0) throw new ArgumentException($"Steps, batch and sequence length must be positive: {this}.");
        if (Patience < 0) throw new ArgumentException($"Patience must be 0 (off) or a positive number of evaluations, not {Patience}.");
    }
}
