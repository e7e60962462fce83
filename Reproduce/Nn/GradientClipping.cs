using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>Global-norm gradient clipping as PyTorch's <c>clip_grad_norm_</c>: with n = √(Σ‖g‖²), every
/// gradient is scaled by min(1, maxNorm/(n + 1e-6)).</summary>
public static class GradientClipping
{
    /// <summary>Clips in place; returns the norm before clipping.</summary>
    public static double ClipByGlobalNorm(ParameterSet parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return ClipToNorm(parameters, maxNorm, parameters.GradNorm());
    }

    /// <summary>Clips in place given the norm <paramref name="norm"/> already measured (e.g. by
    /// <see cref="FiniteCheck.AfterBackward"/>), saving a second pass over the gradients; returns it.</summary>
    public static double ClipToNorm(ParameterSet parameters, double maxNorm, double norm)
    {
        if (!(maxNorm > 0)) throw new ArgumentOutOfRangeException(nameof(maxNorm), $"maxNorm must be positive, got {maxNorm}.");
        double n = norm;
        double f = maxNorm / (n + 1e-6);
        if (f < 1) foreach (var p in parameters.All) Ops.MapInPlace(UnaryOp.Scale, p.Grad, f);
        return n;
    }
}
