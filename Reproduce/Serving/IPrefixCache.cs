namespace Reproduce.Serving;

/// <summary>A KV prefix cache as the scheduler sees it (k-LPM paper §2, RadixAttention): the
/// longest cached prefix of a prompt, and storing a processed prompt.</summary>
public interface IPrefixCache
{
    /// <summary>Length of the longest cached prefix of <paramref name="tokens"/>; no side effects.</summary>
    int Match(ReadOnlySpan<int> tokens);

    /// <summary>Processes a prompt: returns its cached prefix length h (before insertion), records
    /// hit statistics, marks the path as recently used and stores the prompt (evicting if needed).</summary>
    int Insert(ReadOnlySpan<int> tokens);

    /// <summary>Hit statistics of <see cref="Insert"/> calls.</summary>
    CacheStats Stats { get; }

    /// <summary>Empties the cache and its statistics.</summary>
    void Clear();
}
