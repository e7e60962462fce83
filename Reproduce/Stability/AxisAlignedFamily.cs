namespace Reproduce.Stability;

/// <summary>The axis-aligned rank-one family of Figure 1 (arXiv:2401.12332 §5; brief §2.7), kept as
/// a description rather than matrices so a linearized SGD step costs O(B): samples 0..σ−1 share
/// axis 0 (Hᵢ = m·e₀e₀ᵀ), sample i ≥ σ owns axis i − σ + 1; d = n − σ + 1, m = λn/σ.</summary>
public sealed class AxisAlignedFamily
{
    /// <summary>Creates the family; σ must lie in 1..n and λ must be positive.</summary>
    public AxisAlignedFamily(int n, int sigma, double lambda = 2)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 1.");
        if (sigma < 1 || sigma > n) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, $"The coherence σ must be an integer in 1..n = 1..{n}.");
        if (!(lambda > 0) || !double.IsFinite(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "The sharpness λ must be positive and finite.");
        N = n;
        Sigma = sigma;
        Lambda = lambda;
        M = lambda * n / sigma;
    }

    /// <summary>Number of samples n.</summary>
    public int N { get; }

    /// <summary>Coherence σ (number of samples sharing axis 0).</summary>
    public int Sigma { get; }

    /// <summary>Sharpness λ₁(H).</summary>
    public double Lambda { get; }

    /// <summary>Per-sample eigenvalue m = λn/σ.</summary>
    public double M { get; }

    /// <summary>Dimension d = n − σ + 1.</summary>
    public int D => N - Sigma + 1;

    /// <summary>The axis of sample i (0-based).</summary>
    public int Axis(int i) => i < Sigma ? 0 : i - Sigma + 1;
}
