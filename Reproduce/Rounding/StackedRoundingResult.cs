namespace Reproduce.Rounding;

/// <summary>What one rounding of a (stacked) tall matrix produced, with the quantities of the bound
/// exactly as the official code computes them (brief §2.2): v = min_j Σ_i Var(ã_ij),
/// 𝓡 = max_ij |Ã_ij − A_ij| (realised), ν = v/(n𝓡²), and the plotted bound 𝓡√(nν) = √v.</summary>
public sealed record StackedRoundingResult(
    long Rows,
    int Cols,
    double SigmaMin,
    double SigmaMax,
    double V,
    double R)
{
    /// <summary>ν = v/(n𝓡²) with the realised 𝓡 (NaN when 𝓡 = 0).</summary>
    public double Nu => R > 0 ? V / (Rows * R * R) : double.NaN;

    /// <summary>√v = 𝓡√(nν).</summary>
    public double SqrtV => Math.Sqrt(V);

    /// <summary>ν computed with another 𝓡 (e.g. the code's theoretical 𝓡 for §5.2).</summary>
    public double NuWith(double r) => V / (Rows * r * r);
}
