namespace Reproduce.Compute;

/// <summary>A compute error a user can act on (shape mismatch, device mix, missing library).</summary>
public class ComputeException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Cholesky met a non-positive pivot.</summary>
public sealed class NotPositiveDefiniteException(int pivot, double value)
    : ComputeException($"Matrix is not positive definite: Cholesky pivot {pivot} is {value:G6} (must be > 0). Add a small ridge (A + δI) or check that A is symmetric PSD.")
{
    /// <summary>0-based index of the failing pivot.</summary>
    public int Pivot { get; } = pivot;

    /// <summary>The pivot's value (the Schur complement's diagonal entry, ≤ 0 or NaN).</summary>
    public double Value { get; } = value;
}
