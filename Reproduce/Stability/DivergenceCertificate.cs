namespace Reproduce.Stability;

/// <summary>Rigorous bounds on the Figure-1 empirical verdict of one cell, from the exact per-axis laws
/// (<see cref="AxisGrowthLaw"/>), so that a claim can say which verdicts a correct simulator must produce
/// and how likely it is to be wrong by chance. A run starts at w₀ ~ U(0,1)^d and diverges once
/// ‖w_t‖² ≥ F·‖w₀‖²; the cell is divergent when more than half of its R runs diverge.
/// <list type="bullet">
/// <item>Run diverges ⇒ some axis grew by F (‖w_t‖²/‖w₀‖² is a weighted mean of the axes' growths), and by
/// Ville's inequality axis a grows by F at any time with probability ≤ F^{−θ*_a} (Cramér–Lundberg exponent), so
/// P(run diverges) ≤ F^{−θ*₁} + (n − σ)·F^{−θ*_private}: an upper bound for every horizon.</item>
/// <item>Run stays bounded for T steps ⇒ for any one axis a, w_{a,0}² &lt; δ or its growth after T steps is below
/// F·d/δ (because ‖w₀‖² ≤ d), so P(run bounded) ≤ √δ + Chernoff lower tail, minimised over δ.</item>
/// </list>
/// Runs are independent, so the cell's verdict is wrong with at most a binomial tail of these.</summary>
public static class DivergenceCertificate
{
    /// <summary>Upper bound on the probability that one run diverges (at any step).</summary>
    public static double RunDivergesBound(AxisAlignedFamily family, double eta, int batchSize, SamplingModel model, double divergenceFactor = 1000)
    {
        ArgumentNullException.ThrowIfNull(family);
        CheckFactor(divergenceFactor);
        double bound = Math.Pow(divergenceFactor, -AxisGrowthLaw.SharedAxis(family, eta, batchSize, model).LundbergExponent());
        var priv = AxisGrowthLaw.PrivateAxis(family, eta, batchSize, model);
        if (priv is not null) bound += (family.N - family.Sigma) * Math.Pow(divergenceFactor, -priv.LundbergExponent());
        return Math.Min(1, bound);
    }

    /// <summary>Upper bound on the probability that one run stays below the divergence threshold for all
    /// <paramref name="steps"/> steps.</summary>
    public static double RunStaysBoundedBound(AxisAlignedFamily family, double eta, int batchSize, SamplingModel model, int steps, double divergenceFactor = 1000)
    {
        ArgumentNullException.ThrowIfNull(family);
        CheckFactor(divergenceFactor);
        var laws = new[] { AxisGrowthLaw.SharedAxis(family, eta, batchSize, model), AxisGrowthLaw.PrivateAxis(family, eta, batchSize, model) };
        double best = 1;
        foreach (var law in laws)
        {
            if (law is null || !(law.LogGrowth > 0)) continue;
            for (int e = 2; e <= 16; e++)
            {
                double delta = Math.Pow(10, -e);
                best = Math.Min(best, Math.Sqrt(delta) + law.LowerTailBound(steps, Math.Log(divergenceFactor * family.D / delta)));
            }
        }
        return Math.Min(1, best);
    }

    /// <summary>P(X ≥ k) for X ~ Binomial(r, p); increasing in p, so a bound on p gives a bound on the tail.</summary>
    public static double BinomialUpperTail(int r, double p, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(r);
        if (k <= 0) return 1;
        if (k > r) return 0;
        p = Math.Clamp(p, 0, 1);
        double sum = 0;
        for (int j = k; j <= r; j++)
        {
            double logC = 0;
            for (int i = 1; i <= j; i++) logC += Math.Log(r - j + i) - Math.Log(i);
            sum += Math.Exp(logC + (j == 0 ? 0 : j * Math.Log(p)) + (r - j == 0 ? 0 : (r - j) * Math.Log(1 - p)));
        }
        return Math.Min(1, sum);
    }

    /// <summary>Upper bound on P(the cell is empirically divergent): more than half of r runs diverge.</summary>
    public static double FlaggedBound(double runDivergesBound, int repeats) => BinomialUpperTail(repeats, runDivergesBound, repeats / 2 + 1);

    /// <summary>Upper bound on P(the cell is not empirically divergent): at least r − ⌊r/2⌋ runs stay bounded.</summary>
    public static double MissedBound(double runStaysBoundedBound, int repeats) => BinomialUpperTail(repeats, runStaysBoundedBound, repeats - repeats / 2);

    private static void CheckFactor(double factor)
    {
        if (!(factor > 1) || !double.IsFinite(factor))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The divergence factor F (a run diverges once ‖w‖² ≥ F·‖w₀‖²) must be finite and above 1.");
    }
}
