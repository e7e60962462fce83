using Reproduce.Compute;

namespace Reproduce.LinearAlgebra;

/// <summary>The power method for the dominant eigenvalue of a symmetric operator given only as
/// x ↦ A·x (Golub &amp; Van Loan, Matrix Computations, 4th ed., §8.2.1). Vector work goes through
/// <see cref="Ops"/>, so it runs on the device of the vectors the operator returns.</summary>
public static class PowerMethod
{
    /// <summary>Iterates x ← Ax/‖Ax‖ from a random Gaussian start until the Rayleigh quotient
    /// λ = xᵀAx changes by at most tol·|λ| between iterations, or <paramref name="maxIter"/>
    /// products. For a PSD operator λ is the largest eigenvalue; in general it is the one of
    /// largest magnitude. The rate is |λ₂/λ₁| per iteration.</summary>
    /// <param name="apply">x (n×1) ↦ A·x (n×1).</param>
    /// <param name="n">The dimension.</param>
    /// <param name="rng">Source of the start vector.</param>
    /// <param name="tol">Relative change of λ that counts as converged.</param>
    /// <param name="maxIter">Most products to use.</param>
    /// <param name="device">Where the start vector lives (default CPU).</param>
    /// <param name="dtype">Element type of the start vector.</param>
    public static PowerMethodResult TopEigenvalue(Func<Matrix, Matrix> apply, int n, Rng rng, double tol = 1e-10, int maxIter = 1000, Device? device = null, DType dtype = DType.F64)
    {
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(rng);
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "PowerMethod: the dimension n must be positive.");
        if (!(tol > 0)) throw new ArgumentOutOfRangeException(nameof(tol), tol, "PowerMethod: tol must be positive (e.g. 1e-10).");
        if (maxIter <= 0) throw new ArgumentOutOfRangeException(nameof(maxIter), maxIter, "PowerMethod: maxIter must be positive.");
        var x = StartVector(n, rng, device, dtype);
        var history = new List<double>();
        double lambda = double.NaN;
        for (int it = 1; it <= maxIter; it++)
        {
            var y = Checked(apply(x), n, "PowerMethod");
            double next = Ops.Dot(x, y);
            double norm = Ops.Norm(y);
            history.Add(next);
            if (!double.IsFinite(next) || !double.IsFinite(norm))
                throw new ComputeException($"PowerMethod: the operator returned a non-finite vector at iteration {it}.");
            if (norm == 0) return new PowerMethodResult(0, x, it, history.ToArray(), true);
            bool done = Math.Abs(next - lambda) <= tol * Math.Abs(next);
            lambda = next;
            x = Ops.Scale(y, 1 / norm);
            if (done) return new PowerMethodResult(lambda, x, it, history.ToArray(), true);
        }
        return new PowerMethodResult(lambda, x, maxIter, history.ToArray(), false);
    }

    internal static Matrix StartVector(int n, Rng rng, Device? device, DType dtype)
    {
        var x = rng.NormalMatrix(n, 1);
        double norm = Ops.Norm(x);
        var span = x.Span;
        for (int i = 0; i < n; i++) span[i] /= norm;
        if (dtype != DType.F64) x = x.AsType(dtype);
        return device is null ? x : x.To(device);
    }

    internal static Matrix Checked(Matrix y, int n, string who)
    {
        if (y is null || y.Rows != n || y.Cols != 1)
            throw new ComputeException($"{who}: the operator must map n×1 to n×1 (n = {n}), but returned {(y is null ? "null" : $"{y.Rows}×{y.Cols}")}.");
        return y;
    }
}
