namespace Reproduce.Logistic;

/// <summary>The value of μ_y(X) = sup_β ‖(Zβ)⁺‖₁/‖(Zβ)⁻‖₁ (Dexter et al. 2024, Definition 1) with certificates:
/// <see cref="Lower"/> = ‖(Zβ)⁺‖₁/‖(Zβ)⁻‖₁ at the returned <see cref="Beta"/> (valid for any β), and
/// <see cref="Upper"/> = max λ / min λ for the returned <see cref="Lambda"/> ≥ 0 with Zᵀλ = 0 (valid by the dual form,
/// brief §2.4.3), +∞ when no such λ was found. <see cref="Value"/> is the method's estimate.</summary>
public sealed record MuResult
{
    /// <summary>Method used.</summary>
    public required MuMethod Method { get; init; }
    /// <summary>The method's value of μ (+∞ when separable).</summary>
    public required double Value { get; init; }
    /// <summary>Certified lower bound from <see cref="Beta"/>.</summary>
    public required double Lower { get; init; }
    /// <summary>Certified upper bound from <see cref="Lambda"/> (+∞ when none).</summary>
    public required double Upper { get; init; }
    /// <summary>The β certifying <see cref="Lower"/> (null when not available).</summary>
    public double[]? Beta { get; init; }
    /// <summary>The λ ≥ 0, Zᵀλ ≈ 0 certifying <see cref="Upper"/> (null when not available).</summary>
    public double[]? Lambda { get; init; }
    /// <summary>True when the data are (weakly) separable through the origin: some β ≠ 0 has Zβ ≥ 0, so μ = ∞.</summary>
    public bool Separable { get; init; }
    /// <summary>True when Zᵀ1 = 0, which forces μ = 1.</summary>
    public bool BalancedSums { get; init; }
    /// <summary>Iterations (IPM or IRLS).</summary>
    public int Iterations { get; init; }
    /// <summary>Wall-clock seconds.</summary>
    public double Seconds { get; init; }
    /// <summary>Status or notes.</summary>
    public string Message { get; init; } = "";

    /// <summary>Relative width (Upper − Lower)/Lower of the certified bracket.</summary>
    public double RelativeGap => double.IsPositiveInfinity(Upper) ? double.PositiveInfinity : (Upper - Lower) / Lower;
}
