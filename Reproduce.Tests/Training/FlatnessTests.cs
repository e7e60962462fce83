using Reproduce.Compute;
using Reproduce.Nn;
using Reproduce.Training;

namespace Reproduce.Tests.Training;

/// <summary>Hessian–vector products by the exact R-operator against a closed-form Hessian and against
/// finite differences of the engine's gradients; power iteration and Hutchinson on quadratics with a
/// known spectrum and on a small MLP whose full Hessian is built column by column; m-sharpness on a
/// quadratic in closed form.</summary>
public class FlatnessTests
{
    private static double[] RandomVector(int d, Rng rng) { var v = new double[d]; rng.FillNormal(v); return v; }

    [Fact]
    public void ExactHvpOfSoftmaxRegressionMatchesTheClosedFormHessian()
    {
        // No hidden layer: H = (1/N)Σₙ (diag(pₙ) − pₙpₙᵀ) ⊗ x̃ₙx̃ₙᵀ with x̃ = (x, 1). Flat layout: W (in×out,
        // column-major: entry (i, c) at i + in·c), then the bias (entry c at in·out + c).
        var f = MsamTests.SmallMlp(11, n: 7, sizes: [4, 3]);
        var rng = new Rng(1);
        var w = RandomVector(f.ParameterCount, rng);
        var v = RandomVector(f.ParameterCount, rng);
        var all = f.AllExamples();
        var hv = new double[w.Length];
        new MlpHessianVectorProduct(f).Apply(w, all, v, hv);

        int din = 4, k = 3, n = all.Length;
        int Index(int i, int c) => i < din ? i + din * c : din * k + c; // i = din is the bias input
        var expected = new double[w.Length];
        for (int s = 0; s < n; s++)
        {
            var xt = new double[din + 1];
            for (int i = 0; i < din; i++) xt[i] = f.Inputs[i, s];
            xt[din] = 1;
            var z = new double[k];
            for (int c = 0; c < k; c++) for (int i = 0; i <= din; i++) z[c] += w[Index(i, c)] * xt[i];
            double max = z.Max(), sum = z.Sum(t => Math.Exp(t - max));
            var p = z.Select(t => Math.Exp(t - max) / sum).ToArray();
            for (int c = 0; c < k; c++) for (int i = 0; i <= din; i++)
                for (int c2 = 0; c2 < k; c2++) for (int i2 = 0; i2 <= din; i2++)
                    expected[Index(i, c)] += ((c == c2 ? p[c] : 0) - p[c] * p[c2]) * xt[i] * xt[i2] * v[Index(i2, c2)] / n;
        }
        for (int j = 0; j < w.Length; j++) Assert.Equal(expected[j], hv[j], 1e-13);
    }

    [Theory]
    [InlineData(ActivationKind.Silu)]
    [InlineData(ActivationKind.Relu)]
    public void ExactHvpMatchesFiniteDifferencesOfTheEngineGradients(ActivationKind act)
    {
        var f = MsamTests.SmallMlp(12, n: 16, act: act, sizes: [5, 6, 4, 3]);
        var rng = new Rng(2);
        var w = f.Mlp.Parameters.GetFlat();
        var all = f.AllExamples();
        var exact = new double[w.Length]; var fd = new double[w.Length];
        for (int t = 0; t < 3; t++)
        {
            var v = RandomVector(w.Length, rng);
            new MlpHessianVectorProduct(f).Apply(w, all, v, exact);
            new FiniteDifferenceHvp(f).Apply(w, all, v, fd);
            // FiniteDifferenceHvp's error (h = 1e-4): truncation h²/6·|∇³L| plus rounding u·|∇L|/h, both
            // ≲ 1e-9 relative for these O(1) derivatives; 1e-6 of the largest entry leaves a wide margin
            // yet is far below any error in a Hessian term. (ReLU: a kink within h of a pre-activation
            // would break this; with 16 Gaussian inputs that has probability ~1e-4 per direction.)
            double scale = exact.Max(Math.Abs);
            Assert.True(scale > 1e-3, "the HVP is not trivially zero");
            for (int j = 0; j < w.Length; j++) Assert.True(Math.Abs(exact[j] - fd[j]) <= 1e-6 * scale, $"{act} entry {j}: exact {exact[j]}, finite differences {fd[j]}");
        }
    }

    /// <summary>The full Hessian of a small MLP, column by column from exact HVPs.</summary>
    private static double[,] FullHessian(MlpObjective f, double[] w)
    {
        int d = w.Length;
        var h = new double[d, d];
        var e = new double[d]; var col = new double[d];
        var op = new MlpHessianVectorProduct(f);
        for (int j = 0; j < d; j++)
        {
            Array.Clear(e); e[j] = 1;
            op.Apply(w, f.AllExamples(), e, col);
            for (int i = 0; i < d; i++) h[i, j] = col[i];
        }
        return h;
    }

    [Fact]
    public void ExactHessianIsSymmetric()
    {
        var f = MsamTests.SmallMlp(13, n: 10, act: ActivationKind.Silu, sizes: [4, 5, 3]);
        var h = FullHessian(f, f.Mlp.Parameters.GetFlat());
        double scale = 0;
        foreach (var x in h) scale = Math.Max(scale, Math.Abs(x));
        // Symmetry is not built into the R-operator pass (rows and columns come from different terms).
        for (int i = 0; i < h.GetLength(0); i++)
            for (int j = 0; j < i; j++) Assert.True(Math.Abs(h[i, j] - h[j, i]) <= 1e-12 * scale, $"H[{i},{j}] = {h[i, j]} but H[{j},{i}] = {h[j, i]}");
    }

    [Fact]
    public void PowerIterationFindsTheKnownTopEigenvalueOfAQuadratic()
    {
        double[] spectrum = [4, 1.5, 1, 0.5, 0.2, 0.1, 0.01];
        var (q, _) = QuadraticObjective.WithSpectrum(spectrum, new Rng(3));
        var hvp = new FiniteDifferenceHvp(q);
        var w = new double[spectrum.Length];
        var r = PowerIteration.TopEigenvalue((v, hv) => hvp.Apply(w, [0], v, hv), spectrum.Length, 100, new Rng(4));
        // (1.5/4)^200 is negligible; what is left is the FD rounding (u·‖∇L‖/h ≈ 1e-11) of an exactly
        // linear gradient.
        Assert.Equal(4, r.Eigenvalue, 1e-9);
        Assert.True(r.RelativeResidual < 1e-8, $"residual {r.RelativeResidual}");
    }

    [Fact]
    public void PowerIterationReturnsTheLargestMagnitudeEvenWhenNegative()
    {
        var (q, _) = QuadraticObjective.WithSpectrum([-5, 3, 1, 0.5], new Rng(5));
        var w = new double[4];
        var hvp = new FiniteDifferenceHvp(q);
        var r = PowerIteration.TopEigenvalue((v, hv) => hvp.Apply(w, [0], v, hv), 4, 100, new Rng(6));
        Assert.Equal(-5, r.Eigenvalue, 1e-9);
    }

    [Fact]
    public void HutchinsonIsExactForADiagonalHessian()
    {
        double[] diag = [3, 1, 0.5, 2];
        var r = HutchinsonTrace.Estimate((v, hv) => { for (int i = 0; i < 4; i++) hv[i] = diag[i] * v[i]; }, 4, 5, new Rng(7));
        Assert.Equal(6.5, r.Trace, 1e-14);
        Assert.Equal(0, r.StandardError, 1e-14);
    }

    [Fact]
    public void HutchinsonIsWithinFiveStandardErrorsOfTheTraceOfADenseQuadratic()
    {
        var (q, a) = QuadraticObjective.WithSpectrum([4, 3, 2, 1, 0.5, 0.25], new Rng(8));
        var w = new double[6];
        var hvp = new FiniteDifferenceHvp(q);
        const int probes = 400;
        var r = HutchinsonTrace.Estimate((v, hv) => hvp.Apply(w, [0], v, hv), 6, probes, new Rng(9));
        AssertWithinFiveSigma(a, r, probes);
    }

    [Fact]
    public void HutchinsonOnASmallMlpIsWithinFiveStandardErrorsOfTheExactTrace()
    {
        var f = MsamTests.SmallMlp(14, n: 12, act: ActivationKind.Relu, sizes: [4, 5, 3]);
        var w = f.Mlp.Parameters.GetFlat();
        var h = FullHessian(f, w);
        const int probes = 300;
        var op = new MlpHessianVectorProduct(f);
        var r = HutchinsonTrace.Estimate((v, hv) => op.Apply(w, f.AllExamples(), v, hv), w.Length, probes, new Rng(10));
        AssertWithinFiveSigma(h, r, probes);
    }

    /// <summary>Rademacher probes: Var(zᵀHz) = 2Σ_{i≠j}H²ᵢⱼ exactly (symmetrised), so the mean of p probes
    /// is within 5 standard errors of tr(H) except with probability below 1e-6 (Chebyshev gives 4 %; the
    /// mean of hundreds of probes is close to Gaussian).</summary>
    private static void AssertWithinFiveSigma(double[,] h, HutchinsonResult r, int probes)
    {
        int d = h.GetLength(0);
        double trace = 0, offDiag = 0;
        for (int i = 0; i < d; i++)
        {
            trace += h[i, i];
            for (int j = 0; j < d; j++) if (i != j) { double s = 0.5 * (h[i, j] + h[j, i]); offDiag += s * s; }
        }
        double se = Math.Sqrt(2 * offDiag / probes);
        Assert.True(se > 0, "a dense Hessian has a nonzero probe variance");
        Assert.True(Math.Abs(r.Trace - trace) <= 5 * se, $"Hutchinson {r.Trace} vs exact trace {trace}, standard error {se}");
        // The estimator's own standard error estimates the exact one (within a factor 2 for ≥ 300 probes).
        Assert.InRange(r.StandardError / se, 0.5, 2);
    }

    [Fact]
    public void MSharpnessOnQuadraticsMatchesTheClosedForm()
    {
        // For ℓ = ½(w − c)ᵀA(w − c), g = A(w − c), ε = ρg/‖g‖: L(w + ε) − L(w) = ρ‖g‖ + ½ρ²gᵀAg/‖g‖².
        var a = new[] { new double[,] { { 2, 0.5 }, { 0.5, 1 } }, new double[,] { { 1, 0 }, { 0, 3 } }, new double[,] { { 4, 1 }, { 1, 2 } }, new double[,] { { 1, -0.2 }, { -0.2, 1 } } };
        var c = new[] { new[] { 1.0, 0 }, new[] { 0, 1.0 }, new[] { -1.0, 2 }, new[] { 0.5, 0.5 } };
        var f = new QuadraticObjective(a, c);
        double[] w = [0.3, -0.2];
        const double rho = 0.05;
        double expected = 0;
        for (int s = 0; s < 2; s++) // subsets {0,1} and {2,3}
        {
            var g = new double[2]; var am = new double[2, 2];
            foreach (int i in new[] { 2 * s, 2 * s + 1 })
                for (int r = 0; r < 2; r++)
                    for (int k = 0; k < 2; k++) { am[r, k] += a[i][r, k] / 2; g[r] += a[i][r, k] * (w[k] - c[i][k]) / 2; }
            double n = Math.Sqrt(g[0] * g[0] + g[1] * g[1]);
            double gag = g[0] * (am[0, 0] * g[0] + am[0, 1] * g[1]) + g[1] * (am[1, 0] * g[0] + am[1, 1] * g[1]);
            expected += (rho * n + 0.5 * rho * rho * gag / (n * n)) / 2;
        }
        Assert.Equal(expected, MSharpness.Estimate(f, w, [0, 1, 2, 3], 2, rho), 1e-12);
        Assert.Throws<ArgumentException>(() => MSharpness.Estimate(f, w, [0, 1, 2, 3], 3, rho));
    }
}
