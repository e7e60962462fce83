namespace Reproduce.Compression;

/// <summary>Mask selection by a score (larger = keep), over a column-major d_out × d_in array.
/// Ties are broken by the sort's (deterministic) order.</summary>
public static class PruningMask
{
    /// <summary>Keep the <paramref name="kept"/> largest scores of the whole matrix.</summary>
    public static bool[] TopK(ReadOnlySpan<double> score, long kept)
    {
        if (kept < 0 || kept > score.Length) throw new ArgumentOutOfRangeException(nameof(kept), kept, $"kept must lie in 0..{score.Length}.");
        var idx = new int[score.Length];
        for (int i = 0; i < idx.Length; i++) idx[i] = i;
        var keys = score.ToArray();
        for (int i = 0; i < keys.Length; i++) keys[i] = -keys[i];
        Array.Sort(keys, idx);  // ascending −score = descending score
        var mask = new bool[score.Length];
        for (long i = 0; i < kept; i++) mask[idx[i]] = true;
        return mask;
    }

    /// <summary>Keep the <paramref name="keptPerRow"/> largest scores of each of the <paramref name="rows"/> rows.</summary>
    public static bool[] TopKPerRow(ReadOnlySpan<double> score, int rows, int keptPerRow)
    {
        int cols = score.Length / rows;
        var mask = new bool[score.Length];
        var keys = new double[cols];
        var idx = new int[cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++) { keys[c] = -score[r + c * rows]; idx[c] = c; }
            Array.Sort(keys, idx);
            for (int k = 0; k < keptPerRow; k++) mask[r + idx[k] * rows] = true;
        }
        return mask;
    }

    /// <summary>N:M: in every row, keep the N largest scores of each M consecutive columns.</summary>
    public static bool[] NM(ReadOnlySpan<double> score, int rows, int n, int m)
    {
        int cols = score.Length / rows;
        var mask = new bool[score.Length];
        var keys = new double[m];
        var idx = new int[m];
        for (int r = 0; r < rows; r++)
            for (int c0 = 0; c0 < cols; c0 += m)
            {
                for (int k = 0; k < m; k++) { keys[k] = -score[r + (c0 + k) * rows]; idx[k] = k; }
                Array.Sort(keys, idx);
                for (int k = 0; k < n; k++) mask[r + (c0 + idx[k]) * rows] = true;
            }
        return mask;
    }

    /// <summary>The mask a target asks for: global top-k (unstructured) or N:M per row.</summary>
    public static bool[] Select(ReadOnlySpan<double> score, int rows, SparsityTarget target) =>
        target.IsPattern ? NM(score, rows, target.N, target.M) : TopK(score, target.Kept(score.Length));

    /// <summary>True when every row has at most N nonzeros in each M-group of columns.</summary>
    public static bool SatisfiesNM(ReadOnlySpan<double> w, int rows, int n, int m)
    {
        int cols = w.Length / rows;
        if (cols % m != 0) return false;
        for (int r = 0; r < rows; r++)
            for (int c0 = 0; c0 < cols; c0 += m)
            {
                int nz = 0;
                for (int k = 0; k < m; k++) if (w[r + (c0 + k) * rows] != 0) nz++;
                if (nz > n) return false;
            }
        return true;
    }
}
