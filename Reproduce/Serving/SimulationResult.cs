namespace Reproduce.Serving;

/// <summary>The outcome of a simulation: one record per query (in input order), the server's busy
/// time, the time the last prefill finished, cache statistics, and the TTFT metrics of the k-LPM
/// paper (P50/P90/P95/P99, maximum, goodput).</summary>
public sealed class SimulationResult
{
    private double[]? _sorted;

    internal SimulationResult(QueryRecord[] records, double busy, CacheStats stats, string policy)
    {
        Records = records;
        BusyTime = busy;
        Makespan = records.Length == 0 ? 0 : records.Max(r => r.Finish);
        TokenHitRate = stats.TokenHitRate;
        Policy = policy;
    }

    /// <summary>Per-query records, in the order of the input stream.</summary>
    public IReadOnlyList<QueryRecord> Records { get; }

    /// <summary>Scheduler name.</summary>
    public string Policy { get; }

    /// <summary>Total seconds the server spent computing.</summary>
    public double BusyTime { get; }

    /// <summary>Time the last first token was produced.</summary>
    public double Makespan { get; }

    /// <summary>Fraction of processed prompt tokens served from the cache.</summary>
    public double TokenHitRate { get; }

    /// <summary>Completed queries per second of makespan (measured from time 0).</summary>
    public double Throughput => Makespan <= 0 ? 0 : Records.Count / Makespan;

    /// <summary>TTFTs in input order.</summary>
    public double[] Ttfts() => Records.Select(r => r.Ttft).ToArray();

    /// <summary>The q-quantile of TTFT (q in [0,1]) with linear interpolation between order statistics.</summary>
    public double Percentile(double q)
    {
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), q, "Percentile level must lie in [0, 1] (e.g. 0.99 for P99).");
        _sorted ??= Ttfts().Order().ToArray();
        return Quantile(_sorted, q);
    }

    /// <summary>Maximum TTFT.</summary>
    public double MaxTtft => Records.Count == 0 ? 0 : Records.Max(r => r.Ttft);

    /// <summary>Mean TTFT.</summary>
    public double MeanTtft => Records.Count == 0 ? 0 : Records.Average(r => r.Ttft);

    /// <summary>Fraction of queries whose TTFT is at most <paramref name="limit"/> seconds.</summary>
    public double Goodput(double limit) => Records.Count == 0 ? 0 : Records.Count(r => r.Ttft <= limit) / (double)Records.Count;

    /// <summary>Linear-interpolation quantile of sorted values.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        double pos = q * (sorted.Count - 1);
        int lo = (int)Math.Floor(pos), hi = Math.Min(lo + 1, sorted.Count - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
