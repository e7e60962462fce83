namespace Reproduce.Serving;

/// <summary>SGLang's "dfs-weight" policy: each waiting query belongs to the cache node where its
/// prefix match ends; a node's weight is the number of waiting queries in its subtree; the queue
/// is emitted by a depth-first traversal that visits children in descending weight and emits a
/// node's own queries after its children. Queries sharing a node therefore come out contiguously.
/// The tree used is the radix tree of the matched prefixes (the part of the cache the queue touches).</summary>
public sealed class DfsWeightScheduler : IScheduler
{
    /// <inheritdoc />
    public string Name => "DFS-weight";

    /// <inheritdoc />
    public bool IsCacheAware => true;

    /// <inheritdoc />
    public void Order(SchedulerInput input, Span<int> order)
    {
        FcfsScheduler.CheckLength(input, order);
        var full = FullOrder(input);
        full.AsSpan(0, order.Length).CopyTo(order);
    }

    /// <summary>The whole emitted order of the queue.</summary>
    internal static int[] FullOrder(SchedulerInput input)
    {
        int n = input.Waiting.Count;
        var trie = new RadixCache(long.MaxValue);
        for (int i = 0; i < n; i++) trie.Insert(input.Waiting[i].Tokens.AsSpan(0, input.Matched(i)));
        var members = new Dictionary<RadixNode, List<int>>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < n; i++)
        {
            var (_, node) = trie.MatchNode(input.Waiting[i].Tokens.AsSpan(0, input.Matched(i)));
            if (!members.TryGetValue(node, out var list)) members[node] = list = [];
            list.Add(i);
        }
        var weight = new Dictionary<RadixNode, (int Weight, int Oldest)>(ReferenceEqualityComparer.Instance);
        (int, int) Weigh(RadixNode node)
        {
            int w = 0, oldest = int.MaxValue;
            if (members.TryGetValue(node, out var own)) { w += own.Count; oldest = own[0]; }
            foreach (var c in node.Children.Values)
            {
                var (cw, co) = Weigh(c);
                w += cw;
                oldest = Math.Min(oldest, co);
            }
            weight[node] = (w, oldest);
            return (w, oldest);
        }
        var root = trie.MatchNode([]).Node;
        Weigh(root);
        var result = new List<int>(n);
        void Emit(RadixNode node)
        {
            foreach (var c in node.Children.Values.OrderByDescending(c => weight[c].Weight).ThenBy(c => weight[c].Oldest)) Emit(c);
            if (members.TryGetValue(node, out var own)) result.AddRange(own);
        }
        Emit(root);
        return [.. result];
    }

    /// <summary>Subtree weights keyed by matched prefix length of each query's node (for tests):
    /// for each waiting query, the number of waiting queries whose matched prefix extends its own.</summary>
    internal static int[] NodeWeights(SchedulerInput input)
    {
        int n = input.Waiting.Count;
        var w = new int[n];
        for (int i = 0; i < n; i++)
        {
            var pi = input.Waiting[i].Tokens.AsSpan(0, input.Matched(i));
            for (int j = 0; j < n; j++)
            {
                var pj = input.Waiting[j].Tokens.AsSpan(0, input.Matched(j));
                if (pj.Length >= pi.Length && pj[..pi.Length].SequenceEqual(pi)) w[i]++;
            }
        }
        return w;
    }

    /// <inheritdoc />
    public void Advance(int count) { }

    /// <inheritdoc />
    public void Idle() { }

    /// <inheritdoc />
    public void Reset() { }
}
