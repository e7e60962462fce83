namespace Reproduce.Stability;

/// <summary>Closed-form batch-size boundaries for the Figure-1 family (n samples, σ of them sharing
/// e₁ with eigenvalue m = λn/σ; brief §2.7, derived from the one-step mean-square factor along e₁).
/// Each returns B* such that the model predicts divergence for B below (Theorem 1: at or below) B*.</summary>
public static class Figure1Boundary
{
    /// <summary>Theorem 1: diverges iff B ≤ n/(1 + σ²/(ηλ)²).</summary>
    public static double Theorem1(int n, double sigma, double eta, double lambda = 2)
    {
        double r = sigma / (eta * lambda);
        return n / (1 + r * r);
    }

    /// <summary>Exact e₁ block under Bernoulli sampling (the Theorem-2 line):
    /// diverges iff B &lt; n/(1 + σ(2/(ηλ) − 1)).</summary>
    public static double Bernoulli(int n, double sigma, double eta, double lambda = 2) =>
        n / (1 + sigma * (2 / (eta * lambda) - 1));

    /// <summary>Exact e₁ block under fixed-size sampling without replacement:
    /// diverges iff ηλ(n − σ)(n − B) &gt; (2 − ηλ)σB(n − 1), i.e. B &lt; ηλ(n−σ)n/(ηλ(n−σ) + (2−ηλ)σ(n−1)).</summary>
    public static double FixedSize(int n, double sigma, double eta, double lambda = 2)
    {
        double el = eta * lambda;
        return el * (n - sigma) * n / (el * (n - sigma) + (2 - el) * sigma * (n - 1));
    }
}
