namespace Reproduce.Nn;

/// <summary>Token-level knowledge distillation (Hinton et al. 2015; compression brief §2.1): the student
/// minimises α·KL(p_teacher,τ ‖ q_student,τ) + (1 − α)·CE(student, data), both per token.</summary>
/// <param name="Temperature">τ &gt; 0: both distributions are softmax(z/τ).</param>
/// <param name="Alpha">α ∈ [0, 1], the KL weight (1: teacher only; 0: plain SFT).</param>
/// <param name="ScaleByTemperatureSquared">Multiply the KL term by τ² (Hinton's convention; the papers do not say).</param>
public sealed record DistillationOptions(double Temperature = 2, double Alpha = 0.5, bool ScaleByTemperatureSquared = true)
{
    /// <summary>Throws naming the bad setting.</summary>
    public void Validate()
    {
        if (!(Temperature > 0) || !double.IsFinite(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "distillation temperature must be positive and finite (2 is a common choice).");
        if (!(Alpha >= 0 && Alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "distillation weight α must lie in [0, 1] (0 = SFT only, 1 = teacher only).");
    }
}
