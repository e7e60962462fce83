namespace Reproduce.Sketching;

/// <summary>Agreement between two labellings of the same points, invariant to renaming clusters:
/// the adjusted Rand index (Hubert and Arabie 1985), 1 for identical partitions and ≈ 0 for
/// independent ones.</summary>
public static class ClusteringAgreement
{
    /// <summary>ARI of labellings <paramref name="x"/> and <paramref name="y"/> (non-negative labels).</summary>
    public static double AdjustedRandIndex(int[] x, int[] y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Labellings have {x.Length} and {y.Length} entries; they must label the same points.", nameof(y));
        if (x.Length < 2) throw new ArgumentException("Need at least two points to compare labellings.", nameof(x));
        if (x.Any(v => v < 0) || y.Any(v => v < 0)) throw new ArgumentException("Labels must be non-negative.", nameof(x));
        int kx = x.Max() + 1, ky = y.Max() + 1;
        var table = new long[kx, ky];
        var rows = new long[kx];
        var cols = new long[ky];
        for (int i = 0; i < x.Length; i++) { table[x[i], y[i]]++; rows[x[i]]++; cols[y[i]]++; }
        static double C2(long v) => v * (v - 1) / 2.0;
        double sumCells = 0, sumRows = 0, sumCols = 0;
        foreach (var v in table) sumCells += C2(v);
        foreach (var v in rows) sumRows += C2(v);
        foreach (var v in cols) sumCols += C2(v);
        double total = C2(x.Length);
        double expected = sumRows * sumCols / total;
        double max = (sumRows + sumCols) / 2;
        return max == expected ? 1.0 : (sumCells - expected) / (max - expected);
    }
}
