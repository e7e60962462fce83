namespace Reproduce.Nn;

/// <summary>The on-policy stage of two-stage distillation (compression brief §2.1, "reasoning" recipe): the student
/// samples continuations of prompts taken from the text and minimises the forward KL(teacher ‖ student) on its own
/// samples, so it is corrected where its own generations go, not only on the text.</summary>
/// <param name="StartFraction">Stage 2 begins at this fraction of the run's steps (0.5: the second half); stage 1 before
/// it is token-level distillation on the text with the run's <see cref="DistillationOptions"/>.</param>
/// <param name="Fraction">In stage 2, the probability that a step's batch is sampled by the student (the brief's
/// "on-policy sampling fraction"); the other steps stay on the text.</param>
/// <param name="GenerationLength">Tokens the student generates per row, after a prompt of the first
/// seqLen + 1 − GenerationLength tokens of the text batch's row.</param>
/// <param name="Temperature">Sampling temperature (the brief: 0.8–0.9).</param>
public sealed record OnPolicyOptions(double StartFraction = 0.5, double Fraction = 1, int GenerationLength = 64, double Temperature = 0.85)
{
    /// <summary>Throws naming the bad setting and its range.</summary>
    public void Validate(int seqLen)
    {
        if (!(StartFraction >= 0 && StartFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(StartFraction), StartFraction, "the on-policy stage's start must be a fraction of the steps in [0, 1].");
        if (!(Fraction >= 0 && Fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(Fraction), Fraction, "the on-policy sampling fraction must lie in [0, 1].");
        if (GenerationLength < 1 || GenerationLength > seqLen)
            throw new ArgumentOutOfRangeException(nameof(GenerationLength), GenerationLength, $"the generation length must lie in 1..{seqLen} (the training sequence length), leaving a prompt of at least one token.");
        if (!(Temperature > 0) || !double.IsFinite(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "the sampling temperature must be positive and finite (the brief: 0.8–0.9).");
    }
}
