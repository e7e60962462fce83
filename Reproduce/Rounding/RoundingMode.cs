namespace Reproduce.Rounding;

/// <summary>How a real number is mapped onto a grid (Dexter et al., arXiv 2403.12278, §1–2).</summary>
public enum RoundingMode
{
    /// <summary>Deterministic round-to-nearest, ties to the grid point with an even integer index
    /// (IEEE 754 roundTiesToEven for floating formats).</summary>
    Nearest,

    /// <summary>Unbiased stochastic rounding: up with probability (x − lo)/(hi − lo), else down.</summary>
    Stochastic,
}
