using Reproduce.Compute;

namespace Reproduce.Logistic;

/// <summary>The logistic loss L(β) = Σᵢ wᵢ softplus(−yᵢxᵢᵀβ) with softplus(u) = log(1 + eᵘ) computed stably as
/// max(u, 0) + log(1 + e^{−|u|}) (Dexter et al. 2024, §2), its gradient and Hessian, and the ReLU surrogate
/// R(β) = Σ max(−yᵢxᵢᵀβ, 0). Works on Z = D_y X: L(β) = Σ wᵢ softplus(−(Zβ)ᵢ).</summary>
public static class LogisticLoss
{
    /// <summary>log(1 + eᵘ) without overflow.</summary>
    public static double Softplus(double u) => Math.Max(u, 0) + Math.Log(1 + Math.Exp(-Math.Abs(u)));

    /// <summary>The logistic sigmoid 1/(1 + e^{−u}), stable for large |u|.</summary>
    public static double Sigmoid(double u) => u >= 0 ? 1 / (1 + Math.Exp(-u)) : Math.Exp(u) / (1 + Math.Exp(u));

    /// <summary>Σᵢ wᵢ softplus(−(Zβ)ᵢ) (+ λ/2‖β‖²); weights null means all ones.</summary>
    public static double Value(Matrix z, double[] beta, double[]? weights = null, double l2 = 0)
    {
        var zb = Linalg.MatVec(z, beta);
        double v = 0;
        for (int i = 0; i < zb.Length; i++) v += (weights?[i] ?? 1) * Softplus(-zb[i]);
        return v + 0.5 * l2 * Linalg.Dot(beta, beta);
    }

    /// <summary>∇L = −Zᵀ(w ∘ σ(−Zβ)) + λβ.</summary>
    public static double[] Gradient(Matrix z, double[] beta, double[]? weights = null, double l2 = 0)
    {
        var zb = Linalg.MatVec(z, beta);
        var r = new double[zb.Length];
        for (int i = 0; i < r.Length; i++) r[i] = -(weights?[i] ?? 1) * Sigmoid(-zb[i]);
        var g = Linalg.MatVec(z, r, trans: true);
        for (int j = 0; j < g.Length; j++) g[j] += l2 * beta[j];
        return g;
    }

    /// <summary>R(β) = Σ max(−(Zβ)ᵢ, 0), the ReLU surrogate of Lemma 2.1 (in P1's yᵢ = −1 convention).</summary>
    public static double Relu(Matrix z, double[] beta) => Linalg.MatVec(z, beta).Sum(v => Math.Max(-v, 0));
}
