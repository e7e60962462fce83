using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

public class SketchMatrixSignTests
{
    /// <summary>CountSketch and sparse-sign W have Rademacher signs: each nonzero is +v or −v with probability ½ each
    /// (v = 1/√s), so the count of positive nonzeros among N is Binomial(N, ½). The band is ±6 standard deviations
    /// (two-sided false-alarm probability &lt; 2·10⁻⁹ by the normal approximation). All-positive entries (no sign) fail it.</summary>
    [Theory]
    [InlineData(SketchKind.CountSketch, 1)]
    [InlineData(SketchKind.SparseSign, 4)]
    public void NonzerosAreRademacherSigned(SketchKind kind, int s)
    {
        const int n = 2000, w = 50;
        using var sk = new SketchMatrix(kind, n, w, new Rng(11), nonzerosPerRow: s);
        using var dense = sk.ToDense();
        double v = 1 / Math.Sqrt(s);
        int positive = 0, nonzero = 0;
        for (int j = 0; j < n; j++)
            for (int c = 0; c < w; c++)
            {
                double e = dense[j, c];
                if (e == 0) continue;
                nonzero++;
                Assert.Equal(v, Math.Abs(e), 12);   // distinct columns per row, so no entries add up
                if (e > 0) positive++;
            }
        Assert.Equal(n * s, nonzero);
        double mean = nonzero / 2.0, sd = Math.Sqrt(nonzero * 0.25);
        Assert.InRange(positive, mean - 6 * sd, mean + 6 * sd);
    }
}
