using Reproduce.Compute;

namespace Reproduce.LinearAlgebra;

/// <summary>Conjugate gradients and preconditioned CG for A·X = B with A symmetric positive
/// definite, given as X ↦ A·X (Hestenes–Stiefel 1952; Saad, Iterative Methods for Sparse Linear
/// Systems, 2nd ed., Alg. 6.18 and 9.1). All vector work goes through <see cref="Ops"/>, so it
/// runs on the device of B. A B with several columns is solved as one system on vec(X)
/// (the operator I⊗A, SPD whenever A is), with Frobenius inner products and one shared stopping
/// test; solve column by column for independent stopping.</summary>
public static class ConjugateGradient
{
    /// <summary>Solves A·X = B to relative residual ‖B − AX‖_F/‖B‖_F ≤ tol.</summary>
    /// <param name="applyA">X ↦ A·X (same shape as B).</param>
    /// <param name="b">Right-hand side(s), n×r.</param>
    /// <param name="preconditioner">R ↦ M⁻¹·R for an SPD preconditioner M ≈ A, or null for plain CG.</param>
    /// <param name="tol">Relative residual target (&gt; 0).</param>
    /// <param name="maxIter">Most iterations.</param>
    /// <param name="x0">Start (default zero).</param>
    public static CgResult Solve(Func<Matrix, Matrix> applyA, Matrix b, Func<Matrix, Matrix>? preconditioner = null, double tol = 1e-10, int maxIter = 1000, Matrix? x0 = null)
    {
        ArgumentNullException.ThrowIfNull(applyA);
        ArgumentNullException.ThrowIfNull(b);
        if (!(tol > 0)) throw new ArgumentOutOfRangeException(nameof(tol), tol, "ConjugateGradient: tol must be positive (e.g. 1e-10).");
        if (maxIter < 0) throw new ArgumentOutOfRangeException(nameof(maxIter), maxIter, "ConjugateGradient: maxIter must be non-negative.");
        Ops.CheckFinite("ConjugateGradient (b)", b);
        if (x0 is not null)
        {
            if (x0.Rows != b.Rows || x0.Cols != b.Cols)
                throw new ArgumentException($"ConjugateGradient: x0 is {x0.Rows}×{x0.Cols} but b is {b.Rows}×{b.Cols}; they must match.", nameof(x0));
            Ops.CheckFinite("ConjugateGradient (x0)", x0);
        }

        double bNorm = Ops.Norm(b);
        var x = x0?.Copy() ?? Matrix.Zeros(b.Rows, b.Cols, b.DType, b.Device);
        var history = new List<double>();
        if (bNorm == 0)
        {
            // The solution of A·X = 0 is X = 0.
            var zero = Matrix.Zeros(b.Rows, b.Cols, b.DType, b.Device);
            return new CgResult { X = zero, Iterations = 0, Converged = true, ResidualHistory = [0] };
        }
        var r = b.Copy();
        if (x0 is not null) Ops.Axpy(-1, Apply(applyA, x, b, "applyA"), r);
        double rel = Ops.Norm(r) / bNorm;
        history.Add(rel);
        if (rel <= tol) return new CgResult { X = x, Iterations = 0, Converged = true, ResidualHistory = history.ToArray() };

        var z = preconditioner is null ? r : Apply(preconditioner, r, b, "preconditioner");
        var p = z.Copy();
        double rz = Ops.Dot(r, z);
        if (!(rz > 0)) throw new ComputeException($"ConjugateGradient: rᵀM⁻¹r = {rz:G6} ≤ 0 at the start; the preconditioner must be symmetric positive definite.");
        for (int it = 1; it <= maxIter; it++)
        {
            var ap = Apply(applyA, p, b, "applyA");
            double pAp = Ops.Dot(p, ap);
            if (!(pAp > 0))
                throw new ComputeException($"ConjugateGradient: pᵀAp = {pAp:G6} ≤ 0 at iteration {it}; A must be symmetric positive definite (and finite).");
            double step = rz / pAp;
            Ops.Axpy(step, p, x);
            Ops.Axpy(-step, ap, r);
            rel = Ops.Norm(r) / bNorm;
            history.Add(rel);
            if (rel <= tol) return new CgResult { X = x, Iterations = it, Converged = true, ResidualHistory = history.ToArray() };
            z = preconditioner is null ? r : Apply(preconditioner, r, b, "preconditioner");
            double rzNext = Ops.Dot(r, z);
            if (!(rzNext > 0)) throw new ComputeException($"ConjugateGradient: rᵀM⁻¹r = {rzNext:G6} ≤ 0 at iteration {it}; the preconditioner must be symmetric positive definite.");
            double beta = rzNext / rz;
            rz = rzNext;
            // p ← z + β·p
            var pNext = z.Copy();
            Ops.Axpy(beta, p, pNext);
            p = pNext;
        }
        return new CgResult { X = x, Iterations = maxIter, Converged = false, ResidualHistory = history.ToArray() };
    }

    private static Matrix Apply(Func<Matrix, Matrix> f, Matrix v, Matrix b, string what)
    {
        var y = f(v);
        if (y is null || y.Rows != b.Rows || y.Cols != b.Cols)
            throw new ComputeException($"ConjugateGradient: {what} must map {b.Rows}×{b.Cols} to {b.Rows}×{b.Cols}, but returned {(y is null ? "null" : $"{y.Rows}×{y.Cols}")}.");
        return y;
    }
}
