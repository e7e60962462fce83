using Reproduce.Compute;
using Reproduce.Logistic;

namespace Reproduce.Tests.Logistic;

public class WeightedLogisticGradientTests
{
    private static (Matrix Z, double[] Beta, double[] Weights) Data()
    {
        const int n = 12, d = 3;
        var rng = new Rng(21);
        var z = new double[n * d];
        for (int i = 0; i < z.Length; i++) z[i] = rng.Normal();
        var beta = new[] { 0.4, -0.7, 0.2 };
        var w = new double[n];
        for (int i = 0; i < n; i++) w[i] = 1 + (i % 4);   // integer weights 1..4, far from all-ones
        return (Matrix.FromColumnMajor(n, d, z), beta, w);
    }

    /// <summary>Oracle 1: central finite differences of the weighted loss value. The loss is smooth with second derivative
    /// ≤ ¼Σwᵢ‖zᵢ‖², so with h = 1e-5 the truncation error is O(h²·L‴) ≈ 1e-9 and the rounding error ≈ ε·L/h ≈ 1e-10;
    /// tolerance 1e-6 leaves a wide margin while a gradient that ignores weights is off by O(1).</summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.3)]
    public void WeightedGradientMatchesFiniteDifferences(double l2)
    {
        var (z, beta, w) = Data();
        var g = LogisticLoss.Gradient(z, beta, w, l2);
        const double h = 1e-5;
        for (int j = 0; j < beta.Length; j++)
        {
            var bp = (double[])beta.Clone(); bp[j] += h;
            var bm = (double[])beta.Clone(); bm[j] -= h;
            double fd = (LogisticLoss.Value(z, bp, w, l2) - LogisticLoss.Value(z, bm, w, l2)) / (2 * h);
            Assert.True(Math.Abs(g[j] - fd) <= 1e-6, $"coordinate {j}: gradient {g[j]:G10}, finite difference {fd:G10}");
        }
    }

    /// <summary>Oracle 2: integer weights are repetitions. The gradient with weight wᵢ on row i equals the unweighted
    /// gradient on the data set where row i appears wᵢ times (same sums, different order: 1e-12 relative).</summary>
    [Fact]
    public void IntegerWeightsEqualRepeatedRows()
    {
        var (z, beta, w) = Data();
        int n = z.Rows, d = z.Cols;
        var rows = new List<int>();
        for (int i = 0; i < n; i++) for (int t = 0; t < (int)w[i]; t++) rows.Add(i);
        var rep = new double[rows.Count * d];
        for (int k = 0; k < rows.Count; k++) for (int j = 0; j < d; j++) rep[j * rows.Count + k] = z[rows[k], j];
        var zr = Matrix.FromColumnMajor(rows.Count, d, rep);
        var gw = LogisticLoss.Gradient(z, beta, w);
        var gr = LogisticLoss.Gradient(zr, beta);
        for (int j = 0; j < d; j++) Assert.True(Math.Abs(gw[j] - gr[j]) <= 1e-12 * (1 + Math.Abs(gr[j])), $"coordinate {j}: weighted {gw[j]:G17}, repeated {gr[j]:G17}");
        Assert.Equal(LogisticLoss.Value(zr, beta), LogisticLoss.Value(z, beta, w), 10);
    }
}
