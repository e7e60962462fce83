namespace Reproduce.Stability;

/// <summary>Outcome of one simulated linearized SGD run: whether ‖w‖² reached the divergence
/// factor times ‖w₀‖² (the run stops there), the number of steps taken, and the final ‖w‖²/‖w₀‖².</summary>
public readonly record struct SgdRun(bool Diverged, int Steps, double GrowthRatio);
