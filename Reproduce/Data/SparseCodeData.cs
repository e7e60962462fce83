using Reproduce.Compute;

namespace Reproduce.Data;

/// <summary>Synthetic r-sparse dictionary data [proposal, paper brief §5]: a ground-truth
/// dictionary V (k×d) with rows N(0, I_d) normalised to unit length; each point has r distinct
/// random atoms with N(0, 1) coefficients; A = UV + N(0, σ²·I_d) noise.</summary>
public sealed record SparseCodeData(Matrix A, Matrix Dictionary, Matrix Codes)
{
    /// <summary>Draws the data; <paramref name="noiseSd"/> is σ (0.1 gives the brief's 0.01·I_d).</summary>
    public static SparseCodeData Generate(int n, int d, int k, int r, double noiseSd, Rng rng)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "Need n >= 1 points.");
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, "Need dimension d >= 1.");
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "Need k >= 1 atoms.");
        if (r < 1 || r > k) throw new ArgumentOutOfRangeException(nameof(r), r, $"Sparsity r must satisfy 1 <= r <= k = {k}.");
        if (!(noiseSd >= 0)) throw new ArgumentOutOfRangeException(nameof(noiseSd), noiseSd, "noiseSd must be >= 0.");
        var v = rng.Fork("dictionary").NormalMatrix(k, d);
        for (int a = 0; a < k; a++)
        {
            double norm = 0;
            for (int j = 0; j < d; j++) norm += v[a, j] * v[a, j];
            norm = Math.Sqrt(norm);
            for (int j = 0; j < d; j++) v[a, j] /= norm;
        }
        var codes = Matrix.Zeros(n, k);
        var cr = rng.Fork("codes");
        for (int i = 0; i < n; i++)
            foreach (var a in cr.SampleWithoutReplacement(k, r)) codes[i, a] = cr.Normal();
        var a0 = Ops.MatMul(codes, v);
        var noise = rng.Fork("noise");
        var s = a0.Span;
        for (int p = 0; p < s.Length; p++) s[p] += noiseSd * noise.Normal();
        return new SparseCodeData(a0, v, codes);
    }
}
