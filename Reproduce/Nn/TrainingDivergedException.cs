namespace Reproduce.Nn;

/// <summary>Training stopped because the loss or a gradient became NaN or infinite.</summary>
public sealed class TrainingDivergedException(int step, string layer, string message) : Exception(message)
{
    /// <summary>The 0-based step at which it happened.</summary>
    public int Step { get; } = step;

    /// <summary>The layer (parameter name without <c>.weight</c>/<c>.bias</c>): for a non-finite gradient the
    /// layer whose gradient is; for a non-finite loss the first layer whose weights, input or output are
    /// (<see cref="FiniteCheck"/>); "loss" when everything before the loss is finite.</summary>
    public string Layer { get; } = layer;
}
