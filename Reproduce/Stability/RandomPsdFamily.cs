using Reproduce.Compute;

namespace Reproduce.Stability;

/// <summary>Random PSD Hessian families for testing Theorem 1 (brief §3, demo-thm1-sweep): a pool of
/// K random unit directions (K uniform in 1..2d), and each Hᵢ = Σ_k a_k u_k u_kᵀ over 1–3 pool
/// directions with weights a_k ~ U(0.1, 1). Shared directions make σ range from near 1 to near n.</summary>
public static class RandomPsdFamily
{
    /// <summary>Draws one family with n samples in dimension d.</summary>
    public static HessianFamily Generate(Rng rng, int d, int n)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        int pool = 1 + rng.NextInt(2 * d);
        var dirs = new double[pool][];
        for (int k = 0; k < pool; k++)
        {
            var u = new double[d];
            rng.FillNormal(u);
            double norm = Math.Sqrt(u.Sum(x => x * x));
            for (int a = 0; a < d; a++) u[a] /= norm;
            dirs[k] = u;
        }
        var hs = new Matrix[n];
        for (int i = 0; i < n; i++)
        {
            int terms = 1 + rng.NextInt(3);
            var h = Matrix.Zeros(d, d);
            for (int t = 0; t < terms; t++)
            {
                var u = dirs[rng.NextInt(pool)];
                double w = rng.Uniform(0.1, 1);
                for (int b = 0; b < d; b++)
                    for (int a = 0; a < d; a++)
                        h[a, b] += w * u[a] * u[b];
            }
            hs[i] = h;
        }
        return HessianFamily.FromMatrices(hs);
    }

    /// <summary>An "aligned" family (σ ≈ n): Hᵢ = cᵢvvᵀ + 0.05·uᵢuᵢᵀ with one shared unit v, random
    /// unit uᵢ, cᵢ ~ U(0.5, 1.5); rescaled so λ₁(H) = 1.</summary>
    public static HessianFamily Aligned(Rng rng, int d, int n)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var v = UnitVector(rng, d);
        var hs = new Matrix[n];
        for (int i = 0; i < n; i++)
        {
            var u = UnitVector(rng, d);
            double c = rng.Uniform(0.5, 1.5);
            hs[i] = Matrix.Build(d, d, (a, b) => c * v[a] * v[b] + 0.05 * u[a] * u[b]);
        }
        return Normalized(hs);
    }

    /// <summary>An "orthogonal" family (σ ≈ n/d): Hᵢ = cᵢ·e_{i mod d}e_{i mod d}ᵀ, cᵢ ~ U(0.5, 1.5);
    /// samples on different axes are orthogonal. Rescaled so λ₁(H) = 1.</summary>
    public static HessianFamily Orthogonal(Rng rng, int d, int n)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var hs = new Matrix[n];
        for (int i = 0; i < n; i++)
        {
            hs[i] = Matrix.Zeros(d, d);
            hs[i][i % d, i % d] = rng.Uniform(0.5, 1.5);
        }
        return Normalized(hs);
    }

    private static HessianFamily Normalized(Matrix[] hs)
    {
        double s = HessianFamily.FromMatrices(hs).Sharpness;
        return HessianFamily.FromMatrices(hs.Select(h => Ops.Scale(h, 1 / s)));
    }

    private static double[] UnitVector(Rng rng, int d)
    {
        var u = new double[d];
        rng.FillNormal(u);
        double norm = Math.Sqrt(u.Sum(x => x * x));
        for (int a = 0; a < d; a++) u[a] /= norm;
        return u;
    }
}
