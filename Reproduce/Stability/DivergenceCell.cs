namespace Reproduce.Stability;

/// <summary>One (η, σ, B) cell of the Figure-1 divergence map: how many of the repeats diverged
/// under the paper's criterion, the empirical verdict (more than half diverged), and the theory:
/// Theorem 1, and the exact mean-square growth factors ρ(T) for Bernoulli and fixed-size sampling.</summary>
public sealed record DivergenceCell(
    double Eta, int Sigma, int BatchSize, int Diverged, int Repeats,
    bool Theorem1Diverges, double RhoBernoulli, double RhoFixedSize)
{
    /// <summary>Empirical verdict: more than half of the repeats diverged.</summary>
    public bool EmpiricallyDivergent => 2 * Diverged > Repeats;

    /// <summary>Exact Bernoulli mean-square instability ρ(T) &gt; 1 (the Theorem-2 line).</summary>
    public bool BernoulliUnstable => RhoBernoulli > 1;

    /// <summary>Exact fixed-size (without replacement) mean-square instability ρ(T) &gt; 1.</summary>
    public bool FixedSizeUnstable => RhoFixedSize > 1;
}
