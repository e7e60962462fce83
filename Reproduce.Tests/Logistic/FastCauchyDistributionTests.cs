using Reproduce.Compute;
using Reproduce.Logistic;

namespace Reproduce.Tests.Logistic;

public class FastCauchyDistributionTests
{
    /// <summary>With block size s = 1 (H̃ = I) and r = 1 row (B sends everything to row 0), Π·I = 4·(c₁, …, c_n): the
    /// diagonal C read back directly. For standard Cauchy c, P(|c| ≤ 1) = ½ and P(|c| &gt; 10) = 1 − (2/π)·atan(10)
    /// = (2/π)·atan(1/10) ≈ 0.0635. Each count among n = 1000 i.i.d. draws (a 1000×1000 identity: cheap) is Binomial(n, p); the bands are ±6 standard
    /// deviations (false-alarm probability &lt; 2·10⁻⁹ each by the normal approximation). Uniform draws fail both.</summary>
    [Fact]
    public void DiagonalIsStandardCauchy()
    {
        const int n = 1000;
        var pi = new FastCauchyTransform(n, 1, 1, new Rng(17));
        using var eye = Matrix.Zeros(n, n);
        for (int i = 0; i < n; i++) eye[i, i] = 1;
        using var out1 = pi.Apply(eye);
        int within1 = 0, beyond10 = 0;
        for (int i = 0; i < n; i++)
        {
            double c = out1[0, i] / 4;
            if (Math.Abs(c) <= 1) within1++;
            if (Math.Abs(c) > 10) beyond10++;
        }
        AssertBinomial(within1, n, 0.5, "P(|c| ≤ 1)");
        AssertBinomial(beyond10, n, 2 / Math.PI * Math.Atan(0.1), "P(|c| > 10)");
    }

    private static void AssertBinomial(int count, int n, double p, string what)
    {
        double mean = n * p, sd = Math.Sqrt(n * p * (1 - p));
        Assert.True(Math.Abs(count - mean) <= 6 * sd, $"{what}: {count} of {n}, expected {mean:F1} ± {6 * sd:F1} (6 sd)");
    }
}
