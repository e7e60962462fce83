using Reproduce.Compute;

namespace Reproduce.LinearAlgebra;

/// <summary>The symmetric Lanczos process (Golub &amp; Van Loan, Matrix Computations, 4th ed.,
/// §10.1): m steps build an orthonormal Krylov basis Q and tridiagonal T = QᵀAQ whose
/// eigenvalues (Ritz values) approximate A's extreme eigenvalues, the outer ones first. With
/// full reorthogonalization (two Gram–Schmidt passes against every earlier basis vector, §10.3.1)
/// there are no spurious copies; without it, cost is O(n) memory per step less but ghosts appear.
/// Vector work goes through <see cref="Ops"/>, so it runs on the operator's device.</summary>
public static class Lanczos
{
    /// <summary>Runs min(steps, n) Lanczos steps on x ↦ A·x from a random start.</summary>
    /// <param name="apply">x (n×1) ↦ A·x for symmetric A.</param>
    /// <param name="n">The dimension.</param>
    /// <param name="steps">Krylov dimension m (≥ 1); m = n gives every eigenvalue with reorthogonalization.</param>
    /// <param name="rng">Source of the start vector.</param>
    /// <param name="reorthogonalize">Full reorthogonalization (default) or the plain three-term recurrence.</param>
    /// <param name="device">Where the start vector lives (default CPU).</param>
    /// <param name="dtype">Element type of the start vector.</param>
    public static LanczosResult ExtremeEigenvalues(Func<Matrix, Matrix> apply, int n, int steps, Rng rng, bool reorthogonalize = true, Device? device = null, DType dtype = DType.F64)
    {
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(rng);
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "Lanczos: the dimension n must be positive.");
        if (steps <= 0) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Lanczos: steps must be positive (try 20–100, or n for all eigenvalues).");
        int m = Math.Min(steps, n);
        var alpha = new List<double>();
        var beta = new List<double>();  // beta[j] couples q_j and q_{j+1}
        var basis = new List<Matrix>();
        var q = PowerMethod.StartVector(n, rng, device, dtype);
        Matrix? qPrev = null;
        double scaleEstimate = 0;
        for (int j = 0; j < m; j++)
        {
            basis.Add(q);
            var w = PowerMethod.Checked(apply(q), n, "Lanczos");
            w = w.Copy();
            double a = Ops.Dot(q, w);
            if (!double.IsFinite(a)) throw new ComputeException($"Lanczos: the operator returned a non-finite vector at step {j + 1}.");
            alpha.Add(a);
            Ops.Axpy(-a, q, w);
            if (qPrev is not null) Ops.Axpy(-beta[^1], qPrev, w);
            if (reorthogonalize)
                for (int pass = 0; pass < 2; pass++)
                    foreach (var v in basis) Ops.Axpy(-Ops.Dot(v, w), v, w);
            double b = Ops.Norm(w);
            scaleEstimate = Math.Max(scaleEstimate, Math.Abs(a) + b + (beta.Count > 0 ? beta[^1] : 0));
            if (j == m - 1) break;
            // Breakdown: the Krylov space is invariant, so T's eigenvalues are exact.
            if (b <= 1e-12 * Math.Max(scaleEstimate, double.Epsilon)) break;
            beta.Add(b);
            qPrev = q;
            q = Ops.Scale(w, 1 / b);
        }
        var ritz = TridiagonalEigenvalues(alpha.ToArray(), beta.ToArray());
        return new LanczosResult(ritz[^1], ritz[0], ritz, alpha.Count);
    }

    /// <summary>Extreme singular values of an implicit A (rows × n) by Lanczos on AᵀA
    /// (x ↦ Aᵀ(Ax)). Squaring makes small σ converge more slowly and limits σ_min's relative
    /// accuracy to about ε·σ_max²/σ_min²; use enough steps (n steps give exact values).</summary>
    /// <param name="applyA">x (n×1) ↦ A·x.</param>
    /// <param name="applyAt">y ↦ Aᵀ·y (n×1).</param>
    /// <param name="n">Number of columns of A.</param>
    /// <param name="steps">Lanczos steps on AᵀA.</param>
    /// <param name="rng">Source of the start vector.</param>
    /// <param name="device">Where the start vector lives (default CPU).</param>
    /// <param name="dtype">Element type of the start vector.</param>
    public static LanczosSingularValues SingularValueExtremes(Func<Matrix, Matrix> applyA, Func<Matrix, Matrix> applyAt, int n, int steps, Rng rng, Device? device = null, DType dtype = DType.F64)
    {
        ArgumentNullException.ThrowIfNull(applyA);
        ArgumentNullException.ThrowIfNull(applyAt);
        var eig = ExtremeEigenvalues(x => applyAt(applyA(x)), n, steps, rng, reorthogonalize: true, device, dtype);
        return new LanczosSingularValues(Math.Sqrt(Math.Max(eig.Largest, 0)), Math.Sqrt(Math.Max(eig.Smallest, 0)), eig);
    }

    /// <summary>Eigenvalues (ascending) of the symmetric tridiagonal matrix with diagonal
    /// <paramref name="diag"/> and off-diagonal <paramref name="off"/>, via the dense CPU eigensolver.</summary>
    internal static double[] TridiagonalEigenvalues(double[] diag, double[] off)
    {
        int m = diag.Length;
        var t = Matrix.Zeros(m, m);
        for (int i = 0; i < m; i++)
        {
            t[i, i] = diag[i];
            if (i + 1 < m) { t[i, i + 1] = off[i]; t[i + 1, i] = off[i]; }
        }
        var (values, _) = Ops.SymmetricEigen(t);
        var r = values.ToArray();
        Array.Sort(r);
        return r;
    }
}
