using Reproduce.Compute;

namespace Reproduce.Tour;

/// <summary>The power method for the top eigenpair of a symmetric positive semidefinite matrix:
/// x_{k+1} = A x_k / ‖A x_k‖, with the Rayleigh quotient r_k = x_kᵀ A x_k as the eigenvalue
/// estimate. For A with eigenvalues λ1 &gt; λ2 ≥ … ≥ 0 and a start vector not orthogonal to the top
/// eigenvector, the angle to it shrinks like (λ2/λ1)^k and λ1 − r_k like (λ2/λ1)^{2k}
/// (Golub and Van Loan, Matrix Computations, 4th ed., §8.2.1).</summary>
public static class PowerMethod
{
    /// <summary>Runs <paramref name="iterations"/> steps from <paramref name="start"/> (an n×1 vector)
    /// and returns the Rayleigh quotient before each step (index 0 = the start vector) and the final unit iterate.</summary>
    public static (double[] RayleighQuotients, Matrix Vector) Run(Matrix a, Matrix start, int iterations)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(start);
        if (a.Rows != a.Cols) throw new ArgumentException($"The power method needs a square matrix, got {a.Rows}×{a.Cols}.", nameof(a));
        if (start.Rows != a.Rows || start.Cols != 1) throw new ArgumentException($"start must be a {a.Rows}×1 vector, got {start.Rows}×{start.Cols}.", nameof(start));
        if (iterations < 0) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "iterations must be ≥ 0.");
        double norm = Ops.Norm(start);
        if (!(norm > 0) || !double.IsFinite(norm)) throw new ArgumentException($"start must be a finite non-zero vector (its norm is {norm}).", nameof(start));

        var x = Ops.Scale(start, 1 / norm);
        var r = new double[iterations + 1];
        for (int k = 0; ; k++)
        {
            var ax = Ops.MatVec(a, x);
            r[k] = Ops.Dot(x, ax);
            if (k == iterations) break;
            double n = Ops.Norm(ax);
            if (!(n > 0)) throw new InvalidOperationException($"A·x vanished at iteration {k}: the start vector lies in A's null space.");
            x = Ops.Scale(ax, 1 / n);
        }
        return (r, x);
    }
}
