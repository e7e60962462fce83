namespace Reproduce.Experiments;

/// <summary>Summaries of repeated runs (seeds) that figures report as mean ± sd.</summary>
public static class SampleStats
{
    /// <summary>Mean and sample standard deviation (n − 1 in the denominator; 0 for a single value).</summary>
    public static (double Mean, double Sd) MeanSd(IReadOnlyList<double> xs)
    {
        ArgumentNullException.ThrowIfNull(xs);
        if (xs.Count == 0) throw new ArgumentException("SampleStats.MeanSd: no values.", nameof(xs));
        double mean = xs.Average();
        double sd = xs.Count < 2 ? 0 : Math.Sqrt(xs.Sum(x => (x - mean) * (x - mean)) / (xs.Count - 1));
        return (mean, sd);
    }
}
