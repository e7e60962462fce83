using System.Globalization;

namespace Reproduce.Rounding;

/// <summary>The fixed-point grid F = {k·h : k ∈ ℤ} with spacing h = 10^−p (decimal, the grid of
/// the paper's Section 5 experiments) or h = 2^−p (binary). Rounding follows the official code of
/// Dexter et al. (arXiv 2403.12278, §5): y = x/h, f = ⌊y⌋, π = y − f; stochastic rounding goes up iff
/// u &lt; π, so Var = h²·π(1 − π). The grid is unbounded; non-finite inputs and |x|/h ≥ 2^52
/// (where the grid is no longer resolvable in float64) are rejected.</summary>
public sealed class FixedPointGrid : RoundingGrid
{
    private readonly double _inverseSpacing;

    private FixedPointGrid(int radix, int digits)
    {
        Radix = radix;
        Digits = digits;
        _inverseSpacing = radix == 10 ? Math.Pow(10, digits) : Math.ScaleB(1.0, digits);
        Spacing = 1.0 / _inverseSpacing;
    }

    /// <summary>10 or 2.</summary>
    public int Radix { get; }

    /// <summary>p: number of fractional digits (decimal) or bits (binary).</summary>
    public int Digits { get; }

    /// <summary>h = Radix^−p.</summary>
    public double Spacing { get; }

    /// <inheritdoc />
    public override string Name => Radix == 10
        ? "decimal p=" + Digits.ToString(CultureInfo.InvariantCulture)
        : "binary p=" + Digits.ToString(CultureInfo.InvariantCulture);

    /// <summary>The decimal grid F^p = {k·10^−p}, p = 0…15.</summary>
    public static FixedPointGrid Decimal(int p)
    {
        if (p < 0 || p > 15)
            throw new ArgumentOutOfRangeException(nameof(p), p, "Decimal grid digits p must be in 0..15 (10^-p must be resolvable in float64); the paper uses p = 1..5.");
        return new FixedPointGrid(10, p);
    }

    /// <summary>The binary grid {k·2^−p}, p = 0…60.</summary>
    public static FixedPointGrid Binary(int p)
    {
        if (p < 0 || p > 60)
            throw new ArgumentOutOfRangeException(nameof(p), p, "Binary grid bits p must be in 0..60.");
        return new FixedPointGrid(2, p);
    }

    private double Scaled(double x)
    {
        if (!double.IsFinite(x))
            throw new ArgumentOutOfRangeException(nameof(x), x, $"Fixed-point grid {Name} cannot round a non-finite value; clean the input first.");
        double y = x * _inverseSpacing;
        if (Math.Abs(y) >= 4503599627370496.0)
            throw new ArgumentOutOfRangeException(nameof(x), x, $"|x|/h must be below 2^52 on grid {Name}; use fewer digits or a floating format.");
        return y;
    }

    private bool OnGrid(double x, double y, out double k)
    {
        k = Math.Round(y);
        return k / _inverseSpacing == x;
    }

    /// <inheritdoc />
    public override (double Lo, double Hi) Bracket(double x)
    {
        double y = Scaled(x);
        if (OnGrid(x, y, out _)) return (x, x);
        double f = Math.Floor(y);
        return (f / _inverseSpacing, (f + 1) / _inverseSpacing);
    }

    /// <inheritdoc />
    public override double Nearest(double x)
    {
        double y = Scaled(x);
        if (OnGrid(x, y, out _)) return x;
        return Math.Round(y, MidpointRounding.ToEven) / _inverseSpacing;
    }

    /// <inheritdoc />
    public override double Stochastic(double x, double u)
    {
        double y = Scaled(x);
        if (OnGrid(x, y, out _)) return x;
        double f = Math.Floor(y);
        double pi = y - f;
        return (u < pi ? f + 1 : f) / _inverseSpacing;
    }

    /// <summary>π(x) = x/h − ⌊x/h⌋ ∈ [0, 1): the position of x between its grid neighbours
    /// (0 on the grid).</summary>
    public double Fraction(double x)
    {
        double y = Scaled(x);
        if (OnGrid(x, y, out _)) return 0;
        return y - Math.Floor(y);
    }

    /// <summary>Var SR(x) = h²·π(1 − π), as the official code computes it.</summary>
    public override double StochasticVariance(double x)
    {
        double pi = Fraction(x);
        return Spacing * Spacing * pi * (1 - pi);
    }
}
