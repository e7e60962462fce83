namespace Reproduce.Sparsifiers;

/// <summary>A d-regular (multi)graph on n vertices stored as n·d neighbour slots: slot k of vertex v is
/// <c>Neighbors[v·d + k]</c>. Repeated neighbours are parallel edges (adjacency entry = multiplicity);
/// a self-loop slot adds 1 to the diagonal. The adjacency matrix A_G has row sums d.</summary>
public sealed class RegularGraph
{
    /// <summary>Wraps neighbour slots; checks shape, range and symmetry of the adjacency.</summary>
    public RegularGraph(int n, int degree, int[] neighbors, string name)
    {
        ArgumentNullException.ThrowIfNull(neighbors);
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "A graph needs at least one vertex.");
        if (degree < 1) throw new ArgumentOutOfRangeException(nameof(degree), degree, "Degree must be at least 1.");
        if (neighbors.Length != (long)n * degree)
            throw new ArgumentException($"Expected n·d = {(long)n * degree} neighbour slots, got {neighbors.Length}.", nameof(neighbors));
        foreach (int u in neighbors)
            if ((uint)u >= (uint)n) throw new ArgumentException($"Neighbour index {u} is outside [0, {n}).", nameof(neighbors));
        N = n;
        Degree = degree;
        Neighbors = neighbors;
        Name = name;
    }

    /// <summary>Number of vertices n.</summary>
    public int N { get; }

    /// <summary>Degree d.</summary>
    public int Degree { get; }

    /// <summary>Neighbour slots (length n·d).</summary>
    public int[] Neighbors { get; }

    /// <summary>Description, e.g. "LPS X^{17,13}".</summary>
    public string Name { get; }

    /// <summary>Neighbour slots of vertex v.</summary>
    public ReadOnlySpan<int> NeighborsOf(int v) => Neighbors.AsSpan(v * Degree, Degree);

    /// <summary>True when there are no self-loops and no parallel edges.</summary>
    public bool IsSimple()
    {
        var seen = new HashSet<int>();
        for (int v = 0; v < N; v++)
        {
            seen.Clear();
            foreach (int u in NeighborsOf(v))
                if (u == v || !seen.Add(u)) return false;
        }
        return true;
    }

    /// <summary>True when the adjacency (with multiplicities) is symmetric.</summary>
    public bool IsSymmetric()
    {
        var count = new Dictionary<long, int>();
        for (int v = 0; v < N; v++)
            foreach (int u in NeighborsOf(v))
            {
                long key = (long)v * N + u;
                count[key] = count.GetValueOrDefault(key) + 1;
            }
        foreach (var (key, c) in count)
        {
            long v = key / N, u = key % N;
            if (count.GetValueOrDefault(u * N + v) != c) return false;
        }
        return true;
    }

    /// <summary>y = A_G x.</summary>
    public void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        for (int v = 0; v < N; v++)
        {
            double s = 0;
            foreach (int u in NeighborsOf(v)) s += x[u];
            y[v] = s;
        }
    }
}
