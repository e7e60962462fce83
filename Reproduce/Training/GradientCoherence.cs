using Reproduce.Compute;

namespace Reproduce.Training;

/// <summary>Coherence of the per-sample Hessians Hᵢ = gᵢgᵢᵀ of an MSE model at an interpolating minimum
/// (SGD-stability paper, arXiv:2401.12332, brief §2.4 closed form): with G = JJᵀ the per-sample gradient
/// Gram (Gᵢⱼ = gᵢᵀgⱼ), tr(HᵢHⱼ) = Gᵢⱼ², so the coherence matrix is S = |G| entrywise, λ₁(Hᵢ) = ‖gᵢ‖² and
/// σ = λ₁(S)/maxᵢ‖gᵢ‖². Also λ₁(G)/n, the largest eigenvalue of the Gauss–Newton Hessian (1/n)JᵀJ.</summary>
public static class GradientCoherence
{
    /// <summary>σ, λ₁(S) and the Gauss–Newton sharpness λ₁(JᵀJ)/n for the per-sample gradients (rows of J).</summary>
    public static (double Sigma, double LambdaS, double GaussNewtonSharpness) Measure(Matrix jacobian)
    {
        ArgumentNullException.ThrowIfNull(jacobian);
        if (jacobian.Rows == 0 || jacobian.Cols == 0) throw new ArgumentException("The Jacobian is empty; pass one row per example.", nameof(jacobian));
        Ops.CheckFinite("GradientCoherence.Measure", jacobian);
        var g = Ops.Gram(jacobian, outer: true); // n×n, JJᵀ
        double maxNorm = 0;
        for (int i = 0; i < g.Rows; i++) maxNorm = Math.Max(maxNorm, g[i, i]);
        if (!(maxNorm > 0)) throw new ArgumentException("Every per-sample gradient is zero, so σ = λ₁(S)/maxᵢ‖gᵢ‖² is undefined.", nameof(jacobian));
        double lambdaG = Top(g);
        var s = Ops.Map(UnaryOp.Abs, g);
        double lambdaS = Top(s);
        return (lambdaS / maxNorm, lambdaS, lambdaG / jacobian.Rows);
    }

    private static double Top(Matrix symmetric)
    {
        var (values, _) = Ops.SymmetricEigen(symmetric);
        double top = double.NegativeInfinity;
        for (int i = 0; i < values.Rows; i++) top = Math.Max(top, values[i]);
        return top;
    }
}
