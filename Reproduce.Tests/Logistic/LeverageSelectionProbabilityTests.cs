using Reproduce.Compute;
using Reproduce.Logistic;

namespace Reproduce.Tests.Logistic;

public class LeverageSelectionProbabilityTests
{
    /// <summary>X = Σ Vᵀ (rows 3v₁ᵀ, 2v₂ᵀ, v₃ᵀ, 0) has singular values 3, 2, 1 and right singular vectors the columns of the
    /// rotation V with v₁ = (0.96, 0.28, 0), so the rank-1 leverage scores are V(j,1)² = (0.9216, 0.0784, 0) (a closed form,
    /// summing to the rank 1). With k = 1 one column is drawn with probability equal to its score, so the number of trials
    /// out of 2000 that pick column 1 is Binomial(2000, 0.0784): band ±6 sd (false alarm &lt; 2·10⁻⁹). Scores |V(j,1)|
    /// would give probability 0.28/1.24 ≈ 0.226, about 24 sd away; column 2 (score 0) must never be drawn.</summary>
    [Fact]
    public void RankOneSelectionFollowsSquaredSingularVectorEntries()
    {
        double[,] v = { { 0.96, -0.28, 0 }, { 0.28, 0.96, 0 }, { 0, 0, 1 } };
        double[] sigma = { 3, 2, 1 };
        var x = Matrix.Zeros(4, 3);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) x[i, j] = sigma[i] * v[j, i];
        const int trials = 2000;
        int picked1 = 0;
        for (int t = 0; t < trials; t++)
        {
            var (_, cols) = FeatureSketch.LeverageColumnSelection(x, 1, new Rng((ulong)t + 1));
            Assert.Single(cols);
            Assert.NotEqual(2, cols[0]);
            if (cols[0] == 1) picked1++;
        }
        double p = 0.28 * 0.28, mean = trials * p, sd = Math.Sqrt(trials * p * (1 - p));
        Assert.True(Math.Abs(picked1 - mean) <= 6 * sd, $"column 1 drawn {picked1} of {trials} times, expected {mean:F1} ± {6 * sd:F1}");
    }
}
