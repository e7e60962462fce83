namespace Reproduce.Serving;

/// <summary>RadixAttention's prefix cache (k-LPM paper §2; SGLang radix_cache.py): a token-level
/// radix tree whose root-to-node paths are the cached prompt prefixes. Nodes hold token segments
/// and are split mid-segment when a prompt diverges inside one. Capacity is in tokens; when an
/// insertion needs room, unlocked leaves are evicted least-recently-used first (a parent whose last
/// child goes becomes a leaf and a candidate), and locked paths (running requests) are never evicted.
/// Time is a logical clock advanced by each insertion, so runs are deterministic.</summary>
public sealed class RadixCache : IPrefixCache
{
    private readonly RadixNode _root;
    private long _clock;
    private long _serial;

    /// <summary>Creates an empty cache holding at most <paramref name="capacityTokens"/> tokens.</summary>
    public RadixCache(long capacityTokens)
    {
        if (capacityTokens <= 0)
            throw new ArgumentOutOfRangeException(nameof(capacityTokens), capacityTokens, "Radix cache capacity must be a positive number of tokens (use long.MaxValue for an unbounded cache).");
        Capacity = capacityTokens;
        _root = new RadixNode([], null, _serial++);
        _root.LockRef = 1; // the root is never evicted
    }

    /// <summary>Maximum number of tokens stored.</summary>
    public long Capacity { get; }

    /// <summary>Tokens stored now (sum of segment lengths); never exceeds <see cref="Capacity"/>.</summary>
    public long TotalTokens { get; private set; }

    /// <summary>Tokens on locked paths (not evictable).</summary>
    public long LockedTokens { get; private set; }

    /// <summary>Tokens that could be evicted now.</summary>
    public long EvictableTokens => TotalTokens - LockedTokens;

    /// <summary>Number of nodes, root excluded.</summary>
    public int NodeCount { get; private set; }

    /// <inheritdoc />
    public CacheStats Stats { get; } = new();

    /// <inheritdoc />
    public int Match(ReadOnlySpan<int> tokens) => MatchNode(tokens).Length;

    /// <summary>Walks the tree along <paramref name="tokens"/>: the matched length and the deepest
    /// node touched (the node in which the match ends, possibly partway through its segment).</summary>
    internal (int Length, RadixNode Node) MatchNode(ReadOnlySpan<int> tokens)
    {
        var node = _root;
        int pos = 0;
        while (pos < tokens.Length && node.Children.TryGetValue(tokens[pos], out var child))
        {
            int lcp = tokens[pos..].CommonPrefixLength(child.Segment);
            pos += lcp;
            node = child;
            if (lcp < child.Segment.Length) break;
        }
        return (pos, node);
    }

    /// <inheritdoc />
    public int Insert(ReadOnlySpan<int> tokens)
    {
        var (h, _, _) = InsertCore(tokens, lockPath: false);
        return h;
    }

    /// <summary>Inserts a prompt and locks its path until the lease is released (a running request).</summary>
    public RadixLease InsertAndLock(ReadOnlySpan<int> tokens)
    {
        var (h, node, stored) = InsertCore(tokens, lockPath: true);
        return new RadixLease(this, node, h, stored);
    }

    private (int Cached, RadixNode Node, int Stored) InsertCore(ReadOnlySpan<int> tokens, bool lockPath)
    {
        _clock++;
        var node = _root;
        int pos = 0;
        while (pos < tokens.Length && node.Children.TryGetValue(tokens[pos], out var child))
        {
            int lcp = tokens[pos..].CommonPrefixLength(child.Segment);
            if (lcp < child.Segment.Length) child = Split(child, lcp);
            child.LastAccess = _clock;
            node = child;
            pos += lcp;
        }
        int h = pos;
        Stats.Record(tokens.Length, h);
        int remaining = tokens.Length - pos;
        if (remaining > 0)
        {
            IncLock(node); // protect the matched path while making room
            long need = TotalTokens + remaining - Capacity;
            if (need > 0) Evict(need);
            DecLock(node);
            int take = (int)Math.Min(remaining, Capacity - TotalTokens);
            if (take > 0)
            {
                var leaf = new RadixNode(tokens.Slice(pos, take).ToArray(), node, _serial++) { LastAccess = _clock };
                node.Children[leaf.Segment[0]] = leaf;
                TotalTokens += take;
                NodeCount++;
                node = leaf;
                pos += take;
            }
        }
        if (lockPath) IncLock(node);
        return (h, node, pos);
    }

    /// <summary>Evicts unlocked leaves in least-recently-used order until at least
    /// <paramref name="tokens"/> tokens are freed or nothing evictable is left; returns tokens freed.</summary>
    public long Evict(long tokens)
    {
        if (tokens <= 0) return 0;
        var heap = new PriorityQueue<RadixNode, (long, long)>();
        var stack = new Stack<RadixNode>();
        stack.Push(_root);
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n.Children.Count == 0 && n.LockRef == 0) heap.Enqueue(n, (n.LastAccess, n.Serial));
            foreach (var c in n.Children.Values) stack.Push(c);
        }
        long freed = 0;
        while (freed < tokens && heap.TryDequeue(out var leaf, out _))
        {
            var parent = leaf.Parent!;
            parent.Children.Remove(leaf.Segment[0]);
            leaf.Parent = null;
            freed += leaf.Segment.Length;
            TotalTokens -= leaf.Segment.Length;
            NodeCount--;
            if (parent != _root && parent.Children.Count == 0 && parent.LockRef == 0)
                heap.Enqueue(parent, (parent.LastAccess, parent.Serial));
        }
        Stats.EvictedTokens += freed;
        return freed;
    }

    /// <summary>Every stored sequence that ends at a leaf (root-to-leaf paths), for inspection and tests.</summary>
    public IReadOnlyList<int[]> Sequences()
    {
        var list = new List<int[]>();
        var path = new List<int>();
        void Walk(RadixNode n)
        {
            path.AddRange(n.Segment);
            if (n.Children.Count == 0 && n != _root) list.Add([.. path]);
            foreach (var c in n.Children.Values.OrderBy(c => c.Segment[0])) Walk(c);
            path.RemoveRange(path.Count - n.Segment.Length, n.Segment.Length);
        }
        Walk(_root);
        return list;
    }

    /// <inheritdoc />
    public void Clear()
    {
        if (LockedTokens > 0) throw new InvalidOperationException($"Cannot clear a radix cache with {LockedTokens} locked tokens; release every lease first.");
        _root.Children.Clear();
        TotalTokens = 0;
        NodeCount = 0;
        Stats.Reset();
    }

    private RadixNode Split(RadixNode child, int at)
    {
        var parent = child.Parent!;
        var mid = new RadixNode(child.Segment[..at], parent, _serial++) { LockRef = child.LockRef, LastAccess = child.LastAccess };
        child.Segment = child.Segment[at..];
        child.Parent = mid;
        mid.Children[child.Segment[0]] = child;
        parent.Children[mid.Segment[0]] = mid;
        NodeCount++;
        return mid;
    }

    internal void IncLock(RadixNode node)
    {
        for (var n = node; n != _root; n = n.Parent!)
            if (n.LockRef++ == 0) LockedTokens += n.Segment.Length;
    }

    internal void DecLock(RadixNode node)
    {
        for (var n = node; n != _root; n = n.Parent!)
        {
            if (n.LockRef <= 0) throw new InvalidOperationException("Radix lock count went negative: a path was unlocked more often than it was locked.");
            if (--n.LockRef == 0) LockedTokens -= n.Segment.Length;
        }
    }
}
