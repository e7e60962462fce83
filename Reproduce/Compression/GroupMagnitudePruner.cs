using System.Diagnostics;
using Reproduce.Compute;

namespace Reproduce.Compression;

/// <summary>Structured baseline for OSSCAR: keep the K input groups of largest Frobenius norm ‖Ŵ[:, g]‖
/// (magnitude-based group pruning), kept weights unchanged.</summary>
public static class GroupMagnitudePruner
{
    /// <summary>Keeps <paramref name="keepGroups"/> groups of <paramref name="groupSize"/> input columns.</summary>
    public static CompressionResult Prune(LayerProblem p, int groupSize, int keepGroups)
    {
        ArgumentNullException.ThrowIfNull(p);
        Osscar.CheckGroups(p.Cols, groupSize, keepGroups);
        var sw = Stopwatch.StartNew();
        int groups = p.Cols / groupSize;
        var kept = Enumerable.Range(0, groups)
            .Select(g => (g, norm: Enumerable.Range(g * groupSize, groupSize).Sum(c => Enumerable.Range(0, p.Rows).Sum(r => p.W[r, c] * p.W[r, c]))))
            .OrderByDescending(t => t.norm).Take(keepGroups).Select(t => t.g);
        var cols = Osscar.Columns(kept, groupSize).ToHashSet();
        var w = Matrix.Build(p.Rows, p.Cols, (r, c) => cols.Contains(c) ? p.W[r, c] : 0);
        return CompressionResult.Of("group-magnitude", p, w, sw.Elapsed, []);
    }
}
