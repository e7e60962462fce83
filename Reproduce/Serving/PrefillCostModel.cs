namespace Reproduce.Serving;

/// <summary>The roofline-inspired prefill cost of the k-LPM paper (Definition 2). The paper's exact
/// formula is not available; this package uses t(x | h) = a·(L − h) + a·c_attn·(L² − h²) seconds for a
/// prompt of L tokens whose first h tokens are cached: a linear (FFN/projection) term per new token
/// plus a quadratic attention term, balanced by c_attn. Every simulator result depends on this choice.</summary>
public sealed record PrefillCostModel
{
    /// <summary>Creates a cost model; <paramref name="a"/> seconds per new token, <paramref name="cAttn"/> per token.</summary>
    public PrefillCostModel(double a = 1e-4, double cAttn = 0.0, double batchOverhead = 0.0)
    {
        if (!(a > 0) || !double.IsFinite(a))
            throw new ArgumentOutOfRangeException(nameof(a), a, "The per-token cost a must be a positive finite number of seconds (e.g. 1e-4).");
        if (!(cAttn >= 0) || !double.IsFinite(cAttn))
            throw new ArgumentOutOfRangeException(nameof(cAttn), cAttn, "c_attn must be finite and >= 0 (0 gives a purely linear cost).");
        if (!(batchOverhead >= 0) || !double.IsFinite(batchOverhead))
            throw new ArgumentOutOfRangeException(nameof(batchOverhead), batchOverhead, "The per-batch overhead must be finite and >= 0 seconds.");
        A = a;
        CAttn = cAttn;
        BatchOverhead = batchOverhead;
    }

    /// <summary>Seconds per new (uncached) token.</summary>
    public double A { get; }

    /// <summary>Attention weight c_attn (per token): the quadratic term is a·c_attn·(L² − h²).</summary>
    public double CAttn { get; }

    /// <summary>Fixed seconds per engine iteration (batched mode only; 0 in theory mode).</summary>
    public double BatchOverhead { get; }

    /// <summary>Prefill seconds for the tokens h..L of a prompt of length <paramref name="length"/>
    /// whose first <paramref name="cached"/> tokens are already in the KV cache.</summary>
    public double Seconds(int length, int cached)
    {
        if (cached < 0 || cached > length)
            throw new ArgumentOutOfRangeException(nameof(cached), cached, $"Cached tokens must lie in [0, {length}] for a prompt of {length} tokens.");
        double l = length, h = cached;
        return A * (l - h) + A * CAttn * (l * l - h * h);
    }

    /// <summary>Least-squares fit of a and c_attn from measured (new tokens, cached tokens, seconds)
    /// triples: seconds ≈ a·new + b·(L² − h²) with L = cached + new and b = a·c_attn (no intercept).
    /// Needs at least two triples that are not collinear in (new, L² − h²).</summary>
    public static PrefillCostModel Fit(IEnumerable<(int NewTokens, int CachedTokens, double Seconds)> measurements)
    {
        ArgumentNullException.ThrowIfNull(measurements);
        double s11 = 0, s12 = 0, s22 = 0, r1 = 0, r2 = 0;
        int n = 0;
        foreach (var (nt, ct, sec) in measurements)
        {
            if (nt < 0 || ct < 0) throw new ArgumentException($"Measurement {n}: token counts must be >= 0, got new={nt}, cached={ct}.", nameof(measurements));
            if (!double.IsFinite(sec) || sec < 0) throw new ArgumentException($"Measurement {n}: seconds must be finite and >= 0, got {sec}.", nameof(measurements));
            double l = nt + ct, x1 = nt, x2 = l * l - (double)ct * ct;
            s11 += x1 * x1; s12 += x1 * x2; s22 += x2 * x2; r1 += x1 * sec; r2 += x2 * sec;
            n++;
        }
        double det = s11 * s22 - s12 * s12;
        if (n < 2 || Math.Abs(det) <= 1e-12 * Math.Max(1, s11 * s22))
            throw new ArgumentException($"Cannot fit a and c_attn from {n} measurements: need at least two with different ratios of new tokens to L² − h² (vary prompt length and cached prefix).", nameof(measurements));
        double a = (r1 * s22 - r2 * s12) / det;
        double b = (s11 * r2 - s12 * r1) / det;
        if (!(a > 0)) throw new ArgumentException($"The fitted per-token cost a = {a} is not positive; the measurements do not grow with the number of new tokens.", nameof(measurements));
        return new PrefillCostModel(a, Math.Max(0, b / a));
    }
}
