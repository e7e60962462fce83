namespace Reproduce.Serving;

/// <summary>How cache-aware policies score a waiting query against the cache (k-LPM Algorithm 1
/// "maximises the prefix cache hit rate"; the paper leaves the exact measure open).</summary>
public enum HitRate
{
    /// <summary>Matched prefix length in tokens (SGLang's LPM; default).</summary>
    MatchedTokens,

    /// <summary>Matched prefix length divided by the prompt length.</summary>
    MatchedFraction,
}
