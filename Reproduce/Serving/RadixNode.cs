namespace Reproduce.Serving;

/// <summary>A node of <see cref="RadixCache"/>: a token segment (the edge from its parent), its
/// children keyed by their first token, a lock count and the logical time of its last use.</summary>
internal sealed class RadixNode(int[] segment, RadixNode? parent, long serial)
{
    public int[] Segment = segment;
    public RadixNode? Parent = parent;
    public readonly Dictionary<int, RadixNode> Children = [];
    public int LockRef;
    public long LastAccess;
    public readonly long Serial = serial;
}
