using Reproduce.Compute;
using Reproduce.Stability;
using Reproduce.Training;

namespace Reproduce.Tests.Training;

/// <summary>The MSE model of msam/coherence-vs-m against central differences, and its coherence measure
/// against the SGD-stability package's generic computation and two closed forms.</summary>
public class CoherenceTests
{
    private static (MseMlpObjective F, double[] W) Small(ulong seed)
    {
        var rng = new Rng(seed);
        var x = rng.NormalMatrix(5, 7);
        var y = Enumerable.Range(0, 7).Select(_ => rng.Normal()).ToArray();
        var f = new MseMlpObjective(x, y, 3);
        return (f, f.Initial(rng.Fork("w")));
    }

    [Fact]
    public void GradientAndJacobianMatchCentralDifferences()
    {
        var (f, w) = Small(1);
        int[] batch = [0, 3, 4, 6];
        var g = new double[w.Length];
        f.LossAndGradient(w, batch, g);
        var jac = f.Jacobian(w);
        const double h = 1e-5;
        for (int k = 0; k < w.Length; k++)
        {
            var wp = (double[])w.Clone(); var wm = (double[])w.Clone();
            wp[k] += h; wm[k] -= h;
            double num = (f.Loss(wp, batch) - f.Loss(wm, batch)) / (2 * h);
            Assert.True(Math.Abs(num - g[k]) <= 1e-6 * Math.Max(Math.Abs(num), Math.Abs(g[k])) + 1e-8, $"loss gradient entry {k}: {g[k]} vs {num}");
            for (int i = 0; i < f.ExampleCount; i++)
            {
                double nf = (f.Predict(wp, i) - f.Predict(wm, i)) / (2 * h);
                Assert.True(Math.Abs(nf - jac[i, k]) <= 1e-6 * Math.Max(Math.Abs(nf), Math.Abs(jac[i, k])) + 1e-8, $"J[{i}, {k}]: {jac[i, k]} vs {nf}");
            }
        }
    }

    [Fact]
    public void SigmaEqualsTheGenericCoherenceOfTheRankOneHessians()
    {
        // Stability.Coherence builds S from the n² traces tr(HᵢHⱼ) of the d×d matrices Hᵢ = gᵢgᵢᵀ; Measure uses the
        // closed form S = |JJᵀ|: two computations of the same σ.
        var (f, w) = Small(2);
        var j = f.Jacobian(w);
        var family = HessianFamily.FromMatrices(Enumerable.Range(0, j.Rows).Select(i =>
        {
            var g = Enumerable.Range(0, j.Cols).Select(k => j[i, k]).ToArray();
            return Matrix.Build(g.Length, g.Length, (a, b) => g[a] * g[b]);
        }));
        var (sigma, lambdaS, sharp) = GradientCoherence.Measure(j);
        Assert.Equal(Coherence.Sigma(family), sigma, 1e-9 * sigma);
        Assert.Equal(sigma * family.MaxSampleSharpness, lambdaS, 1e-9 * lambdaS);
        Assert.Equal(family.Sharpness, sharp, 1e-9 * sharp); // mean of gᵢgᵢᵀ = JᵀJ/n
    }

    [Fact]
    public void ClosedFormsEqualAndOrthogonalGradients()
    {
        // n equal rows: S = ‖g‖²·11ᵀ, λ₁(S) = n‖g‖², σ = n. Orthogonal rows of equal norm: S diagonal, σ = 1.
        var equal = Matrix.Build(4, 3, (i, k) => k + 1.0);
        Assert.Equal(4, GradientCoherence.Measure(equal).Sigma, 1e-12);
        var orthogonal = Matrix.Build(3, 5, (i, k) => i == k ? 2.0 : 0);
        Assert.Equal(1, GradientCoherence.Measure(orthogonal).Sigma, 1e-12);
        Assert.Throws<ArgumentException>(() => GradientCoherence.Measure(Matrix.Zeros(2, 3)));
    }

    [Fact]
    public void BadInputsGetClearErrors()
    {
        var e = Assert.Throws<ArgumentException>(() => new MseMlpObjective(Matrix.Zeros(3, 2), [1.0], 2));
        Assert.Contains("2 input columns but 1 targets", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MseMlpObjective(Matrix.Zeros(3, 2), [1.0, 2], 0));
        var (f, w) = Small(3);
        Assert.Throws<ArgumentOutOfRangeException>(() => f.Loss(w, [7]));
    }
}
