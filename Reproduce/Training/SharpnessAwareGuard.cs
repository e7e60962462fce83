namespace Reproduce.Training;

/// <summary>Input checks shared by SAM, mSAM and the m-sharpness estimate, so every entry point
/// rejects bad input with the same message.</summary>
internal static class SharpnessAwareGuard
{
    /// <summary>The 1e-12 guard in ε = ρ·g/(‖g‖ + 1e-12) (Foret et al.; brief §2.1): a zero gradient
    /// gives ε = 0 instead of a division by zero.</summary>
    public const double NormGuard = 1e-12;

    public static void Rho(double rho)
    {
        if (!double.IsFinite(rho) || rho < 0)
            throw new ArgumentOutOfRangeException(nameof(rho), rho, $"The SAM radius ρ must be finite and ≥ 0 (ρ = 0 is the base optimizer); got {rho}.");
    }

    public static void Batch(IBatchObjective objective, ReadOnlySpan<double> w, ReadOnlySpan<int> batch, Span<double> direction)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (objective.ExampleCount == 0) throw new ArgumentException("The objective has no examples; SAM needs training data.", nameof(objective));
        if (batch.Length == 0) throw new ArgumentException("The batch is empty; pass at least one example index.", nameof(batch));
        if (w.Length != objective.ParameterCount)
            throw new ArgumentException($"w has {w.Length} entries but the objective has {objective.ParameterCount} parameters.", nameof(w));
        if (direction.Length != objective.ParameterCount)
            throw new ArgumentException($"The output direction has {direction.Length} entries but the objective has {objective.ParameterCount} parameters.", nameof(direction));
    }
}
