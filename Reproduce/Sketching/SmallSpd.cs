namespace Reproduce.Sketching;

/// <summary>Tiny dense symmetric positive definite solves (r ≤ ~16) for per-point sparse coding:
/// a Cholesky factor of G_SS and solves with it. Plain arrays: these are scalar control-sized.</summary>
internal static class SmallSpd
{
    /// <summary>Cholesky factor L (row-major m×m, lower) of the principal submatrix G[S,S] of the
    /// row-major k×k matrix <paramref name="g"/>; false when a pivot is ≤ rel·max diagonal (singular).</summary>
    public static bool Factor(double[] g, int k, ReadOnlySpan<int> s, Span<double> l, double rel = 1e-10)
    {
        int m = s.Length;
        double maxDiag = 0;
        for (int a = 0; a < m; a++) maxDiag = Math.Max(maxDiag, g[s[a] * k + s[a]]);
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double sum = g[s[i] * k + s[j]];
                for (int p = 0; p < j; p++) sum -= l[i * m + p] * l[j * m + p];
                if (i == j)
                {
                    if (!(sum > rel * maxDiag)) return false;
                    l[i * m + i] = Math.Sqrt(sum);
                }
                else l[i * m + j] = sum / l[j * m + j];
            }
        }
        return true;
    }

    /// <summary>Solves L·Lᵀ·x = b in place (b becomes x).</summary>
    public static void Solve(ReadOnlySpan<double> l, int m, Span<double> b)
    {
        for (int i = 0; i < m; i++)
        {
            double s = b[i];
            for (int p = 0; p < i; p++) s -= l[i * m + p] * b[p];
            b[i] = s / l[i * m + i];
        }
        for (int i = m - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int p = i + 1; p < m; p++) s -= l[p * m + i] * b[p];
            b[i] = s / l[i * m + i];
        }
    }
}
