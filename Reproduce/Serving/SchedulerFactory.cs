namespace Reproduce.Serving;

/// <summary>Builds schedulers from names used by the CLI and the experiments:
/// "fcfs", "lpm", "klpm" (with k), "dfs-weight", "hrrn".</summary>
public static class SchedulerFactory
{
    /// <summary>The accepted policy names.</summary>
    public static readonly string[] Names = ["fcfs", "lpm", "klpm", "dfs-weight", "hrrn"];

    /// <summary>Creates the policy <paramref name="name"/>; <paramref name="k"/> is used by "klpm".</summary>
    public static IScheduler Create(string name, long k = 2, HitRate hitRate = HitRate.MatchedTokens) => name.Trim().ToLowerInvariant() switch
    {
        "fcfs" => new FcfsScheduler(),
        "lpm" => new LpmScheduler(hitRate),
        "klpm" or "k-lpm" => new KLpmScheduler(k, hitRate),
        "dfs-weight" or "dfs" => new DfsWeightScheduler(),
        "hrrn" => new HrrnScheduler(),
        _ => throw new ArgumentException($"Unknown policy '{name}'. Use one of: {string.Join(", ", Names)}.", nameof(name)),
    };

    /// <summary>k-LPM for a k label: "inf"/"∞" gives k = ∞.</summary>
    public static long ParseK(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (t is "inf" or "infinity" or "∞") return KLpmScheduler.Infinite;
        if (long.TryParse(t, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out long k) && k >= 1) return k;
        throw new ArgumentException($"Invalid k '{text}': k must be an integer >= 1 or 'inf'.", nameof(text));
    }
}
