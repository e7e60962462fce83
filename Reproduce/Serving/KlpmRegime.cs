namespace Reproduce.Serving;

/// <summary>The simulation regime of the k-LPM figures (the brief's reference prototype, §3): prompts
/// = 100-token instruction + 700-token profile of one of 300 users drawn with Zipf(1.0) popularity +
/// a 200-token question; a radix cache of 40 000 tokens (40 full prompts) with LRU eviction; linear
/// cost a = 0.1 ms per new token (c_attn = 0). Batched mode adds a 5 ms per-iteration overhead and
/// SGLang's budgets (16 384 prefill tokens, chunks of 8 192); decode is ignored (1 output token).</summary>
public static class KlpmRegime
{
    /// <summary>Users in the Zipf population.</summary>
    public const int Users = 300;

    /// <summary>Zipf exponent of user popularity.</summary>
    public const double ZipfS = 1.0;

    /// <summary>Cache capacity in tokens (40 prompts of 1 000 tokens).</summary>
    public const long CacheTokens = 40_000;

    /// <summary>Server options for a mode.</summary>
    public static SimulationOptions Options(ServerMode mode) => new()
    {
        Mode = mode,
        CacheCapacityTokens = CacheTokens,
        Cost = new PrefillCostModel(1e-4, 0, mode == ServerMode.Batched ? 5e-3 : 0),
    };

    /// <summary>Display label of k ("1 (FCFS)", "∞ (LPM)").</summary>
    public static string KLabel(long k) => k switch
    {
        1 => "1 (FCFS)",
        KLpmScheduler.Infinite => "∞ (LPM)",
        _ => k.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
