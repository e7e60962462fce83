using Reproduce.Compute;

namespace Reproduce.Data;

/// <summary>Points as the rows of an n×d matrix with an integer label per row (class or
/// generating component), and a line saying where the data came from.</summary>
public sealed record LabeledDataset(Matrix Points, int[] Labels, string Source)
{
    /// <summary>Number of points n.</summary>
    public int Count => Points.Rows;

    /// <summary>Dimension d.</summary>
    public int Dimension => Points.Cols;

    /// <summary>Number of distinct labels.</summary>
    public int ClassCount => Labels.Length == 0 ? 0 : Labels.Max() + 1;

    /// <summary>The first <paramref name="n"/> points (a copy).</summary>
    public LabeledDataset Take(int n)
    {
        if (n < 1 || n > Count) throw new ArgumentOutOfRangeException(nameof(n), n, $"Take needs 1 <= n <= {Count}.");
        if (n == Count) return this;
        var idx = Enumerable.Range(0, n).ToArray();
        return new LabeledDataset(Ops.GatherRows(Points, idx), Labels[..n], Source + $" (first {n})");
    }
}
