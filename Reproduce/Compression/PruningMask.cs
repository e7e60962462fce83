namespace Reproduce.Compression;

/// <summary>Mask selection by a score (larger = keep), over a column-major d_out × d_in array.
/// Ties at the threshold go to the lower index (column-major position), so a mask is a function of the scores alone.</summary>
public static class PruningMask
{
    /// <summary>Keep the <paramref name="kept"/> largest scores of the whole matrix. O(n): the kept-th largest score
    /// is found by a radix selection on the scores' order-preserving 64-bit keys (four 16-bit digits, a histogram per
    /// digit over the candidates still matching), not by sorting; ALPS calls this once per ADMM iteration on
    /// d_out·d_in scores, where a sort of the 4M scores of a 1024 × 4096 layer took longer than the iteration's GEMMs.</summary>
    public static bool[] TopK(ReadOnlySpan<double> score, long kept)
    {
        if (kept < 0 || kept > score.Length) throw new ArgumentOutOfRangeException(nameof(kept), kept, $"kept must lie in 0..{score.Length}.");
        var mask = new bool[score.Length];
        if (kept == 0) return mask;
        var keys = new ulong[score.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            if (double.IsNaN(score[i])) throw new ArgumentException($"score {i} is NaN: a pruning score must be a number (NaN weights or Hessian entries upstream?).", nameof(score));
            keys[i] = OrderKey(score[i]);
        }
        ulong threshold = KthLargest(keys, kept);
        long above = 0;
        for (int i = 0; i < keys.Length; i++) if (keys[i] > threshold) { mask[i] = true; above++; }
        for (int i = 0; i < keys.Length && above < kept; i++) if (keys[i] == threshold) { mask[i] = true; above++; }
        return mask;
    }

    /// <summary>A key whose unsigned order is the order of the doubles (−0 and +0 equal).</summary>
    private static ulong OrderKey(double v)
    {
        if (v == 0) v = 0;   // −0 → +0
        ulong b = (ulong)BitConverter.DoubleToInt64Bits(v);
        return (b & 0x8000_0000_0000_0000UL) != 0 ? ~b : b | 0x8000_0000_0000_0000UL;
    }

    /// <summary>The <paramref name="k"/>-th largest key (1-based), by most-significant-digit radix selection.</summary>
    private static ulong KthLargest(ulong[] keys, long k)
    {
        ulong prefix = 0, prefixMask = 0;
        var count = new long[1 << 16];
        for (int shift = 48; shift >= 0; shift -= 16)
        {
            Array.Clear(count);
            foreach (ulong key in keys)
                if ((key & prefixMask) == prefix) count[(int)((key >> shift) & 0xFFFF)]++;
            int digit = 0xFFFF;
            for (; digit > 0; digit--)   // from the largest digit down, until the k-th largest falls in this bucket
            {
                if (count[digit] >= k) break;
                k -= count[digit];
            }
            prefix |= (ulong)digit << shift;
            prefixMask |= 0xFFFFUL << shift;
        }
        return prefix;
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
