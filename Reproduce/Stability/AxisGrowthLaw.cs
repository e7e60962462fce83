namespace Reproduce.Stability;

/// <summary>The exact law of one coordinate's per-step factor in linearized SGD on the Figure-1
/// <see cref="AxisAlignedFamily"/> (arXiv:2401.12332 §5; brief §2.7). An axis hit by c batch entries is
/// multiplied by f = 1 − s·c with s = ηm/B, and fresh batches make the factors of one axis independent
/// and identically distributed across steps, so each coordinate is a product of i.i.d. factors.
/// <para>Two growth rates follow. The mean-square factor E f² is the paper's notion (its ρ(T) restricted to
/// the axis; the operator's ρ(T) is the largest over the axes). The almost-sure (Lyapunov) rate γ = E ln|f|
/// governs a typical run: ln|w_t| ≈ ln|w₀| + γt. By Jensen γ ≤ ½ ln E f², and between the two lies a band
/// where E‖w_t‖² explodes while almost every run shrinks (the second moment is carried by rare runs). The
/// Figure-1 protocol (most of 10 runs exceed 1000·‖w₀‖² within 1000 steps) sees typical runs, so it follows
/// γ, not ρ(T). This is our derivation, not the paper's.</para></summary>
public sealed class AxisGrowthLaw
{
    private readonly double[] _factor;
    private readonly double[] _prob;

    private AxisGrowthLaw(double[] factor, double[] prob)
    {
        _factor = factor;
        _prob = prob;
    }

    /// <summary>The factor's values |1 − s·c| and their probabilities (zero-probability values left out).</summary>
    public IReadOnlyList<(double AbsFactor, double Probability)> Atoms => _factor.Zip(_prob).ToArray();

    /// <summary>The law of the shared axis e₁ (σ samples on it): c is the number of shared samples in the batch,
    /// hypergeometric (fixed size, without replacement), Binomial(σ, B/n) (Bernoulli) or Binomial(B, σ/n)
    /// (B draws with replacement).</summary>
    public static AxisGrowthLaw SharedAxis(AxisAlignedFamily family, double eta, int batchSize, SamplingModel model)
    {
        ArgumentNullException.ThrowIfNull(family);
        return Build(family, eta, batchSize, CountLaw(family.N, family.Sigma, batchSize, model));
    }

    /// <summary>The law of one private axis (one sample on it); null when σ = n (no private axis).</summary>
    public static AxisGrowthLaw? PrivateAxis(AxisAlignedFamily family, double eta, int batchSize, SamplingModel model)
    {
        ArgumentNullException.ThrowIfNull(family);
        return family.Sigma == family.N ? null : Build(family, eta, batchSize, CountLaw(family.N, 1, batchSize, model));
    }

    private static AxisGrowthLaw Build(AxisAlignedFamily family, double eta, int batchSize, double[] countProb)
    {
        SgdNoise.CheckStepSize(eta);
        SgdNoise.CheckBatch(family.N, batchSize);
        double s = eta * family.M / batchSize;
        var f = new List<double>();
        var p = new List<double>();
        for (int c = 0; c < countProb.Length; c++)
        {
            if (countProb[c] <= 0) continue;
            f.Add(Math.Abs(1 - s * c));
            p.Add(countProb[c]);
        }
        return new AxisGrowthLaw([.. f], [.. p]);
    }

    /// <summary>P(c = k) for k = 0..max, the number of batch entries among K marked samples of n.</summary>
    internal static double[] CountLaw(int n, int marked, int batchSize, SamplingModel model)
    {
        double[] logP;
        switch (model)
        {
            case SamplingModel.WithoutReplacement:
                {
                    int kMax = Math.Min(marked, batchSize);
                    logP = new double[kMax + 1];
                    for (int k = 0; k <= kMax; k++)
                        logP[k] = batchSize - k > n - marked ? double.NegativeInfinity
                            : LogChoose(marked, k) + LogChoose(n - marked, batchSize - k) - LogChoose(n, batchSize);
                    break;
                }
            case SamplingModel.Bernoulli:
                logP = BinomialLog(marked, (double)batchSize / n);
                break;
            case SamplingModel.WithReplacement:
                logP = BinomialLog(batchSize, (double)marked / n);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(model), model, "Unknown sampling model.");
        }
        return logP.Select(Math.Exp).ToArray();
    }

    private static double[] BinomialLog(int trials, double p)
    {
        var r = new double[trials + 1];
        for (int k = 0; k <= trials; k++)
            r[k] = p >= 1 ? (k == trials ? 0 : double.NegativeInfinity)
                : LogChoose(trials, k) + (k == 0 ? 0 : k * Math.Log(p)) + (trials - k) * Math.Log(1 - p);
        return r;
    }

    private static double LogChoose(int n, int k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(int n)
    {
        double s = 0;
        for (int i = 2; i <= n; i++) s += Math.Log(i);
        return s;
    }

    /// <summary>Mean-square factor E f² (equals the operator's ρ(T) on this axis).</summary>
    public double MeanSquare => Moment(2);

    /// <summary>Lyapunov exponent γ = E ln|f| per step (−∞ when f = 0 has positive probability).</summary>
    public double LogGrowth
    {
        get
        {
            double g = 0;
            for (int i = 0; i < _factor.Length; i++)
            {
                if (_factor[i] == 0) return double.NegativeInfinity;
                g += _prob[i] * Math.Log(_factor[i]);
            }
            return g;
        }
    }

    /// <summary>True when |f| ≤ 1 surely: the coordinate can never grow.</summary>
    public bool NeverGrows => _factor.All(f => f <= 1);

    /// <summary>E|f|^q for real q (0^q = 0 for q &gt; 0, +∞ for q &lt; 0).</summary>
    public double Moment(double q)
    {
        double m = 0;
        for (int i = 0; i < _factor.Length; i++)
            m += _prob[i] * (_factor[i] == 0 ? (q > 0 ? 0 : q == 0 ? 1 : double.PositiveInfinity) : Math.Pow(_factor[i], q));
        return m;
    }

    /// <summary>The Cramér–Lundberg exponent θ* = sup{θ ≥ 0 : E|f|^{2θ} ≤ 1} (capped at <paramref name="cap"/>).
    /// θ ↦ ln E|f|^{2θ} is convex and 0 at θ = 0, so {θ : E|f|^{2θ} ≤ 1} is an interval [0, θ*]; θ* &gt; 0 iff
    /// γ &lt; 0, θ* ≥ 1 iff E f² ≤ 1, θ* = ∞ iff the axis never grows. Then (|w_t|/|w₀|)^{2θ*} is a non-negative
    /// supermartingale and Ville's inequality gives P(sup_t w_t²/w₀² ≥ x) ≤ x^{−θ*} for every horizon.</summary>
    public double LundbergExponent(double cap = 64)
    {
        if (NeverGrows) return double.PositiveInfinity;
        if (!(LogGrowth < 0)) return 0;
        if (Moment(2 * cap) <= 1) return cap;
        double lo = 0, hi = cap; // Moment(2·lo) ≤ 1 < Moment(2·hi)
        for (int it = 0; it < 200 && hi - lo > 1e-12 * hi; it++)
        {
            double mid = 0.5 * (lo + hi);
            if (Moment(2 * mid) <= 1) lo = mid; else hi = mid;
        }
        return lo; // the lower end keeps the bound valid
    }

    /// <summary>Chernoff bound on the lower tail of the squared growth after T steps:
    /// P(w_T²/w₀² &lt; e^L) ≤ inf_{λ&gt;0} e^{λL}·(E|f|^{−2λ})^T (1 when no λ helps).</summary>
    public double LowerTailBound(int steps, double logThreshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (_factor.Any(f => f == 0)) return 1;
        double Log(double lambda) => lambda * logThreshold + steps * Math.Log(Moment(-2 * lambda));
        // Convex in λ: golden-section search on [0, λmax] after bracketing the minimum.
        double a = 0, b = 1e-3;
        while (b < 1e3 && Log(2 * b) < Log(b)) b *= 2;
        b *= 2;
        const double g = 0.6180339887498949;
        double x1 = b - g * (b - a), x2 = a + g * (b - a), f1 = Log(x1), f2 = Log(x2);
        for (int it = 0; it < 200 && b - a > 1e-12; it++)
        {
            if (f1 < f2) { b = x2; x2 = x1; f2 = f1; x1 = b - g * (b - a); f1 = Log(x1); }
            else { a = x1; x1 = x2; f1 = f2; x2 = a + g * (b - a); f2 = Log(x2); }
        }
        return Math.Min(1, Math.Exp(Math.Min(f1, f2)));
    }
}
