namespace Reproduce.Stability;

/// <summary>One (η, σ, B) cell of the Figure-1 divergence map: how many of the repeats diverged
/// under the paper's criterion, the empirical verdict (more than half diverged), and the theory:
/// Theorem 1, the exact mean-square growth factors ρ(T) for Bernoulli and fixed-size sampling, and for the
/// simulated sampling model the almost-sure growth rate γ (largest over the axes) with bounds on the chance that
/// a correct simulator flags the cell (<see cref="DivergenceCertificate"/>).</summary>
public sealed record DivergenceCell(
    double Eta, int Sigma, int BatchSize, int Diverged, int Repeats,
    bool Theorem1Diverges, double RhoBernoulli, double RhoFixedSize,
    double LogGrowth, double FlaggedBound, double MissedBound)
{
    /// <summary>Empirical verdict: more than half of the repeats diverged.</summary>
    public bool EmpiricallyDivergent => 2 * Diverged > Repeats;

    /// <summary>Exact Bernoulli mean-square instability ρ(T) &gt; 1 (the Theorem-2 line).</summary>
    public bool BernoulliUnstable => RhoBernoulli > 1;

    /// <summary>Exact fixed-size (without replacement) mean-square instability ρ(T) &gt; 1.</summary>
    public bool FixedSizeUnstable => RhoFixedSize > 1;
}
