namespace Reproduce.Serving;

/// <summary>Hit statistics of a prefix cache: how many prompts were processed, how many of their
/// tokens were looked up and how many of those were cache hits.</summary>
public sealed class CacheStats
{
    /// <summary>Prompts processed.</summary>
    public long Lookups { get; private set; }

    /// <summary>Prompt tokens processed.</summary>
    public long LookupTokens { get; private set; }

    /// <summary>Prompt tokens found in the cache.</summary>
    public long HitTokens { get; private set; }

    /// <summary>Tokens evicted so far.</summary>
    public long EvictedTokens { get; internal set; }

    /// <summary>HitTokens / LookupTokens (0 when nothing was looked up).</summary>
    public double TokenHitRate => LookupTokens == 0 ? 0 : (double)HitTokens / LookupTokens;

    internal void Record(int length, int hit)
    {
        Lookups++;
        LookupTokens += length;
        HitTokens += hit;
    }

    internal void Reset()
    {
        Lookups = 0; LookupTokens = 0; HitTokens = 0; EvictedTokens = 0;
    }
}
