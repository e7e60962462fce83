namespace Reproduce.Serving;

/// <summary>Server configuration for <see cref="ServingSimulator"/>. Defaults: theory mode, a radix
/// cache of 40 000 tokens, linear cost 0.1 ms per new token; batched-mode constants follow SGLang
/// (max_prefill_tokens 16 384, chunk 8 192, LPM falls back to FCFS above 128 waiting).</summary>
public sealed record SimulationOptions
{
    /// <summary>Theory (batch 1) or batched engine.</summary>
    public ServerMode Mode { get; init; } = ServerMode.Theory;

    /// <summary>Prefill cost model.</summary>
    public PrefillCostModel Cost { get; init; } = new();

    /// <summary>Cache kind.</summary>
    public CacheModel Cache { get; init; } = CacheModel.Radix;

    /// <summary>Radix cache (and, in batched mode, KV pool) capacity in tokens.</summary>
    public long CacheCapacityTokens { get; init; } = 40_000;

    /// <summary>Batched mode: input-token budget per prefill batch.</summary>
    public int MaxPrefillTokens { get; init; } = 16_384;

    /// <summary>Batched mode: chunk size for chunked prefill, or null to disable chunking.</summary>
    public int? ChunkSize { get; init; } = 8_192;

    /// <summary>When set, cache-aware policies use FCFS whenever more than this many queries wait
    /// (SGLang's large-queue fallback, 128). Null disables it.</summary>
    public int? QueueFallback { get; init; }

    /// <summary>Batched mode: seconds per decode step (one token for every running request), added
    /// to each engine iteration that has running decodes. 0 ignores decode.</summary>
    public double DecodeStepSeconds { get; init; }

    /// <summary>Checks the options and throws a message naming the bad field.</summary>
    public void Validate()
    {
        if (CacheCapacityTokens <= 0)
            throw new ArgumentOutOfRangeException(nameof(CacheCapacityTokens), CacheCapacityTokens, "Cache capacity must be a positive number of tokens.");
        if (MaxPrefillTokens <= 0)
            throw new ArgumentOutOfRangeException(nameof(MaxPrefillTokens), MaxPrefillTokens, "The prefill token budget must be positive (SGLang default 16384).");
        if (ChunkSize is <= 0)
            throw new ArgumentOutOfRangeException(nameof(ChunkSize), ChunkSize, "Chunk size must be positive, or null to disable chunked prefill.");
        if (QueueFallback is < 0)
            throw new ArgumentOutOfRangeException(nameof(QueueFallback), QueueFallback, "The queue fallback threshold must be >= 0 (SGLang uses 128), or null.");
        if (!(DecodeStepSeconds >= 0) || !double.IsFinite(DecodeStepSeconds))
            throw new ArgumentOutOfRangeException(nameof(DecodeStepSeconds), DecodeStepSeconds, "Decode step time must be finite and >= 0 seconds.");
        if (Cache == CacheModel.LastPrompt && Mode == ServerMode.Batched)
            throw new ArgumentException("The last-prompt cache exists only in theory mode; use CacheModel.Radix for the batched server.", nameof(Cache));
    }
}
