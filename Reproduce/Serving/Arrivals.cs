using Reproduce.Compute;

namespace Reproduce.Serving;

/// <summary>Arrival processes: Poisson (the paper's serving benchmark) and regular (Definition 4).</summary>
public static class Arrivals
{
    /// <summary><paramref name="n"/> Poisson arrival times at <paramref name="rate"/> queries/s, starting after time 0.</summary>
    public static double[] Poisson(Rng rng, int n, double rate)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "The number of arrivals must be >= 0.");
        if (!(rate > 0) || !double.IsFinite(rate)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The request rate must be a positive finite number of queries per second.");
        var t = new double[n];
        double s = 0;
        for (int i = 0; i < n; i++) { s += rng.Exponential(rate); t[i] = s; }
        return t;
    }

    /// <summary><paramref name="n"/> equally spaced arrivals i·<paramref name="gap"/> (gap 0: all at time 0).</summary>
    public static double[] Regular(int n, double gap)
    {
        if (n < 0) throw new ArgumentOutOfRangeException(nameof(n), n, "The number of arrivals must be >= 0.");
        if (!(gap >= 0) || !double.IsFinite(gap)) throw new ArgumentOutOfRangeException(nameof(gap), gap, "The inter-arrival gap must be finite and >= 0 seconds.");
        var t = new double[n];
        for (int i = 0; i < n; i++) t[i] = i * gap;
        return t;
    }
}
