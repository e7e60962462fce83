namespace Reproduce.Serving;

/// <summary>The cache of the paper's computational model (Definition 2): only the previously
/// processed prompt is cached, so a query reuses the prefix it shares with its predecessor.</summary>
public sealed class LastPromptCache : IPrefixCache
{
    private int[] _last = [];

    /// <inheritdoc />
    public CacheStats Stats { get; } = new();

    /// <inheritdoc />
    public int Match(ReadOnlySpan<int> tokens) => tokens.CommonPrefixLength(_last);

    /// <inheritdoc />
    public int Insert(ReadOnlySpan<int> tokens)
    {
        int h = Match(tokens);
        Stats.Record(tokens.Length, h);
        _last = tokens.ToArray();
        return h;
    }

    /// <inheritdoc />
    public void Clear()
    {
        _last = [];
        Stats.Reset();
    }
}
