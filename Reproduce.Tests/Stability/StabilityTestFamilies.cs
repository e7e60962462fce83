using Reproduce.Compute;
using Reproduce.Stability;

namespace Reproduce.Tests.Stability;

internal static class StabilityTestFamilies
{
    public static HessianFamily Random(ulong seed, int d, int n) => RandomPsdFamily.Generate(new Rng(seed), d, n);

    /// <summary>QᵀHᵢQ for a random orthogonal Q: same spectra, same coherence, not diagonal.</summary>
    public static HessianFamily Rotated(HessianFamily family, ulong seed)
    {
        var (q, _) = Ops.Qr(new Rng(seed).NormalMatrix(family.D, family.D));
        return HessianFamily.FromMatrices(family.Hessians.Select(h =>
        {
            var r = Ops.MatMul(q, Ops.MatMul(h, q), transA: true);
            return Matrix.Build(r.Rows, r.Cols, (a, b) => 0.5 * (r[a, b] + r[b, a]));
        }));
    }

    public static Matrix RandomSymmetric(Rng rng, int d)
    {
        var a = rng.NormalMatrix(d, d);
        return Matrix.Build(d, d, (i, j) => a[i, j] + a[j, i]);
    }

    public static double MaxAbsDiff(Matrix a, Matrix b)
    {
        double m = 0;
        for (int j = 0; j < a.Cols; j++)
            for (int i = 0; i < a.Rows; i++) m = Math.Max(m, Math.Abs(a[i, j] - b[i, j]));
        return m;
    }
}
