using System.Runtime.CompilerServices;

namespace Reproduce.Rounding;

/// <summary>A set of representable numbers onto which reals are rounded. Subclasses describe a
/// fixed-point grid (<see cref="FixedPointGrid"/>) or a floating-point format
/// (<see cref="FloatFormat"/>). Stochastic rounding (Dexter et al., arXiv 2403.12278, §1) maps x with
/// neighbours lo ≤ x ≤ hi to hi with probability (x − lo)/(hi − lo) and to lo otherwise, so
/// E[SR(x)] = x and Var SR(x) = (hi − x)(x − lo); grid points never move.</summary>
public abstract class RoundingGrid
{
    /// <summary>Short name used in tables ("decimal p=3", "bfloat16", ...).</summary>
    public abstract string Name { get; }

    /// <summary>The two neighbouring grid points lo ≤ x ≤ hi (lo == hi when x is on the grid).
    /// Values outside the representable range are handled by the subclass (see its remarks).</summary>
    public abstract (double Lo, double Hi) Bracket(double x);

    /// <summary>Round-to-nearest, ties to even index.</summary>
    public abstract double Nearest(double x);

    /// <summary>Stochastic rounding driven by a uniform draw <paramref name="u"/> ∈ [0, 1): rounds
    /// up iff u &lt; (x − lo)/(hi − lo). A grid point is returned unchanged for every u.</summary>
    public virtual double Stochastic(double x, double u)
    {
        var (lo, hi) = Bracket(x);
        if (lo == hi) return lo;
        double pUp = (x - lo) / (hi - lo);
        return u < pUp ? hi : lo;
    }

    /// <summary>Rounds with the given mode; <paramref name="u"/> is used only by
    /// <see cref="RoundingMode.Stochastic"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Round(double x, RoundingMode mode, double u) =>
        mode == RoundingMode.Nearest ? Nearest(x) : Stochastic(x, u);

    /// <summary>Variance of the stochastic rounding of x: (hi − x)(x − lo).</summary>
    public virtual double StochasticVariance(double x)
    {
        var (lo, hi) = Bracket(x);
        return (hi - x) * (x - lo);
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
