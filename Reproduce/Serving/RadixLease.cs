namespace Reproduce.Serving;

/// <summary>A lock on a path of a <see cref="RadixCache"/> (root to the node that ends a prompt),
/// held while a request is running so its KV cache cannot be evicted (SGLang's inc_lock_ref /
/// dec_lock_ref). Release it exactly once.</summary>
public sealed class RadixLease
{
    private readonly RadixCache _cache;
    private RadixNode? _node;

    internal RadixLease(RadixCache cache, RadixNode node, int cachedPrefix, int storedTokens)
    {
        _cache = cache;
        _node = node;
        CachedPrefix = cachedPrefix;
        StoredTokens = storedTokens;
    }

    /// <summary>Prefix length h that was already cached when the prompt was inserted.</summary>
    public int CachedPrefix { get; }

    /// <summary>Tokens of the prompt held in the cache under this lock (less than its length only
    /// when the capacity could not hold all of it).</summary>
    public int StoredTokens { get; }

    /// <summary>True until <see cref="Release"/> is called.</summary>
    public bool IsHeld => _node is not null;

    /// <summary>Unlocks the path.</summary>
    public void Release()
    {
        var node = _node ?? throw new InvalidOperationException("This radix lease was already released; release each lease exactly once.");
        _node = null;
        _cache.DecLock(node);
    }
}
