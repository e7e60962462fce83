using Reproduce.Compute;

namespace Reproduce.Training;

/// <summary>The eigenvalue of largest magnitude of a symmetric operator by power iteration:
/// v ← Hv/‖Hv‖ from a Gaussian start, then the Rayleigh quotient λ = vᵀHv. The error of λ shrinks as
/// (λ₂/λ₁)^(2k) after k iterations. At a minimum the training-loss Hessian is close to PSD, so the
/// largest magnitude is λ_max; where a negative eigenvalue dominates, the result is negative and says so.</summary>
public static class PowerIteration
{
    /// <summary>Runs <paramref name="iterations"/> ≥ 1 products of <paramref name="apply"/> (writes Hv
    /// for v) in dimension <paramref name="dimension"/> and returns the Rayleigh quotient of the final
    /// unit vector with the relative residual ‖Hv − λv‖/|λ| (one more product).</summary>
    public static PowerIterationResult TopEigenvalue(HvpFunction apply, int dimension, int iterations, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(rng);
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The dimension must be at least 1.");
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "Power iteration needs at least 1 iteration.");
        var v = new double[dimension]; var hv = new double[dimension];
        rng.FillNormal(v);
        Normalize(v);
        for (int k = 0; k < iterations; k++)
        {
            apply(v, hv);
            double norm = FlatVector.Norm(hv);
            if (norm == 0) return new PowerIterationResult(0, 0, k + 1);
            for (int i = 0; i < dimension; i++) v[i] = hv[i] / norm;
        }
        apply(v, hv);
        double lambda = FlatVector.Dot(v, hv);
        double r = 0;
        for (int i = 0; i < dimension; i++) { double e = hv[i] - lambda * v[i]; r += e * e; }
        return new PowerIterationResult(lambda, lambda == 0 ? 0 : Math.Sqrt(r) / Math.Abs(lambda), iterations);
    }

    private static void Normalize(Span<double> v)
    {
        double n = FlatVector.Norm(v);
        for (int i = 0; i < v.Length; i++) v[i] /= n;
    }
}

/// <summary>hv ← H·v.</summary>
public delegate void HvpFunction(ReadOnlySpan<double> v, Span<double> hv);

/// <summary>Power iteration's estimate λ, its relative residual ‖Hv − λv‖/|λ| and the iterations run.</summary>
public sealed record PowerIterationResult(double Eigenvalue, double RelativeResidual, int Iterations);
