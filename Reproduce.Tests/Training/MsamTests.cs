using Reproduce.Compute;
using Reproduce.Nn;
using Reproduce.Training;

namespace Reproduce.Tests.Training;

/// <summary>SAM and mSAM against their definitions (brief §4): m = 1 is SAM, ρ = 0 is the base
/// optimizer, m = b is per-example SAM computed by a direct loop, a hand-computed step on a quadratic,
/// each perturbation from the unperturbed w with ‖εⱼ‖ = ρ, and the bad inputs.</summary>
public class MsamTests
{
    internal static MlpObjective SmallMlp(ulong seed, int n = 24, ActivationKind act = ActivationKind.Relu, int[]? sizes = null)
    {
        sizes ??= [6, 5, 3];
        var rng = new Rng(seed).Fork("data");
        var x = rng.NormalMatrix(sizes[0], n);
        var y = Enumerable.Range(0, n).Select(_ => rng.NextInt(sizes[^1])).ToArray();
        return new MlpObjective(new Mlp(sizes, act, seed), x, y);
    }

    private static double[] Train(IUpdateRule rule, MlpObjective f, int steps, int batch, double lr = 0.1)
    {
        var rng = new Rng(7).Fork("batches");
        for (int s = 0; s < steps; s++)
            rule.Step(f.Mlp.Parameters, f, rng.SampleWithoutReplacement(f.ExampleCount, batch), lr);
        return f.Mlp.Parameters.GetFlat();
    }

    [Fact]
    public void OneMicroBatchIsSamStepForStepBitForBit()
    {
        // The reference loop (fused: false) does SAM's arithmetic in SAM's order; the fused kernel is
        // checked against both in MsamKernelTests.
        var a = Train(new Msam(new Sgd(0.9, 1e-3), 0.05, 1, fused: false), SmallMlp(1), 6, 8);
        var b = Train(new Sam(new Sgd(0.9, 1e-3), 0.05), SmallMlp(1), 6, 8);
        var sgd = Train(new GradientRule(new Sgd(0.9, 1e-3)), SmallMlp(1), 6, 8);
        Assert.Equal(b, a);
        Assert.NotEqual(sgd, a); // the perturbation matters, so the equality above is not vacuous
    }

    [Fact]
    public void RhoZeroIsTheBaseOptimizer()
    {
        var sgd = Train(new GradientRule(new Sgd(0.9, 1e-3)), SmallMlp(2), 6, 8);
        // SAM at ρ = 0 evaluates its second gradient at w + 0·g = w: the same bits.
        Assert.Equal(sgd, Train(new Sam(new Sgd(0.9, 1e-3), 0), SmallMlp(2), 6, 8));
        // mSAM at ρ = 0 averages the micro-batch gradients, which equals the batch gradient up to the
        // order of summation: a few roundings of O(1) numbers per step, far below 1e-12.
        var msam = Train(new Msam(new Sgd(0.9, 1e-3), 0, 4), SmallMlp(2), 6, 8);
        for (int i = 0; i < sgd.Length; i++) Assert.True(Math.Abs(sgd[i] - msam[i]) <= 1e-12, $"entry {i}: {sgd[i]} vs {msam[i]}");
    }

    [Fact]
    public void PerExampleMsamIsPerExampleSamByADirectLoop()
    {
        const double rho = 0.1;
        var f = SmallMlp(3, n: 8);
        int[] batch = [5, 2, 7, 0];
        var w = f.Mlp.Parameters.GetFlat();
        var g = new double[w.Length];
        new Msam(new Sgd(0), rho, batch.Length).Direction(f, w, batch, g);

        // Direct loop on the engine's model, one example at a time, without the Training code.
        var expected = new double[w.Length];
        foreach (int i in batch)
        {
            var col = Ops.GatherColumns(f.Inputs, [i]);
            f.Mlp.Parameters.SetFlat(w);
            f.Mlp.LossAndGradients(col, [f.Labels[i]]);
            var gi = f.Mlp.Parameters.GetFlatGrad();
            double norm = Math.Sqrt(gi.Sum(t => t * t)) + 1e-12; // SAM's division guard
            f.Mlp.Parameters.SetFlat(w.Select((t, k) => t + rho * gi[k] / norm).ToArray());
            f.Mlp.LossAndGradients(col, [f.Labels[i]]);
            var gh = f.Mlp.Parameters.GetFlatGrad();
            for (int k = 0; k < w.Length; k++) expected[k] += gh[k] / batch.Length;
        }
        for (int k = 0; k < w.Length; k++) Assert.Equal(expected[k], g[k], 1e-14);
    }

    private static QuadraticObjective TwoDiagonalQuadratics() => new(
        [new double[,] { { 2, 0 }, { 0, 1 } }, new double[,] { { 1, 0 }, { 0, 3 } }],
        [[1, 0], [0, 1]]);

    [Fact]
    public void OneMsamStepOnAQuadraticMatchesTheHandComputedValue()
    {
        // w = 0, ρ = 0.1, m = 2 (one example each), SGD without momentum, lr = 0.5.
        // Example 1: g₁ = A₁(0 − c₁) = (−2, 0), ε₁ = (−0.1, 0), ĝ₁ = A₁(ε₁ − c₁) = (−2.2, 0).
        // Example 2: g₂ = (0, −3), ε₂ = (0, −0.1), ĝ₂ = A₂(ε₂ − c₂) = (0, −3.3).
        // G = (−1.1, −1.65); w ← w − 0.5·G = (0.55, 0.825).
        // (Had ε₁ carried over into the second micro-batch, ĝ₂ would be (−0.1, −3.3).)
        var f = TwoDiagonalQuadratics();
        var ps = new ParameterSet();
        ps.Add(new Parameter("w", [2], Matrix.FromColumnMajor(2, 1, [0.0, 0.0])));
        new Msam(new Sgd(momentum: 0), 0.1, 2).Step(ps, f, [0, 1], 0.5);
        var w = ps.GetFlat();
        // The hand values ignore the 1e-12 guard in ε = ρg/(‖g‖ + 1e-12), which moves each ĝ by at most
        // ‖A‖·ρ·1e-12/‖g‖ ≤ 3·0.1·1e-12/2 and w by half that: 1e-12 is above it, any real error far larger.
        Assert.Equal(0.55, w[0], 1e-12);
        Assert.Equal(0.825, w[1], 1e-12);
    }

    [Fact]
    public void SamOnAQuadraticMatchesTheClosedForm()
    {
        // m = 1 on both examples: g = mean Aᵢ(w − cᵢ) = (−1, −1.5), ε = ρg/‖g‖, G = mean Aᵢ(ε − cᵢ).
        var f = TwoDiagonalQuadratics();
        double n = Math.Sqrt(1 + 2.25) + 1e-12, e0 = 0.1 * -1 / n, e1 = 0.1 * -1.5 / n;
        double[] expected = [(2 * (e0 - 1) + e0) / 2, (e1 + 3 * (e1 - 1)) / 2];
        var g = new double[2];
        double loss = new Msam(new Sgd(0), 0.1, 1).Direction(f, [0, 0], [0, 1], g);
        Assert.Equal(expected[0], g[0], 1e-15);
        Assert.Equal(expected[1], g[1], 1e-15);
        Assert.Equal((0.5 * 2 + 0.5 * 3) / 2, loss, 1e-15); // L at the unperturbed w
    }

    [Fact]
    public void EveryPerturbationStartsFromTheUnperturbedWeightsWithNormRho()
    {
        const double rho = 0.3;
        var rng = new Rng(5);
        int d = 3, n = 8;
        var a = Enumerable.Range(0, n).Select(_ => { var m = new double[d, d]; for (int i = 0; i < d; i++) m[i, i] = 1 + rng.Uniform(); return m; }).ToArray();
        var c = Enumerable.Range(0, n).Select(_ => new[] { rng.Normal(), rng.Normal(), rng.Normal() }).ToArray();
        var f = new QuadraticObjective(a, c);
        double[] w = [0.2, -0.4, 0.7];
        new Msam(new Sgd(0), rho, 4).Direction(f, w, [0, 1, 2, 3, 4, 5, 6, 7], new double[d]);
        Assert.Equal(8, f.Evaluations.Count); // 2 evaluations per micro-batch
        for (int j = 0; j < 4; j++)
        {
            var (w0, ex0) = f.Evaluations[2 * j]; var (w1, ex1) = f.Evaluations[2 * j + 1];
            Assert.Equal(w, w0);
            Assert.Equal(new[] { 2 * j, 2 * j + 1 }, ex0);
            Assert.Equal(ex0, ex1);
            double norm = Math.Sqrt(w1.Select((t, i) => (t - w[i]) * (t - w[i])).Sum());
            Assert.Equal(rho, norm, 1e-12);
        }
    }

    [Fact]
    public void MicroBatchSizeHelperAndRemainderRule()
    {
        Assert.Equal(32, MicroBatches.CountFromSize(128, 4));
        Assert.Equal(1, MicroBatches.CountFromSize(128, 128));
        var e = Assert.Throws<ArgumentException>(() => MicroBatches.CountFromSize(128, 3));
        Assert.Contains("does not divide the batch size 128", e.Message);
        var f = SmallMlp(4);
        var w = f.Mlp.Parameters.GetFlat();
        var e2 = Assert.Throws<ArgumentException>(() => new Msam(new Sgd(), 0.05, 3).Direction(f, w, [0, 1, 2, 3, 4, 5, 6, 7], new double[w.Length]));
        Assert.Contains("numMicroBatches = 3", e2.Message);
        Assert.Contains("m must divide the batch size", e2.Message);
    }

    [Fact]
    public void BadInputsGetClearErrors()
    {
        Assert.Contains("ρ must be finite and ≥ 0", Assert.Throws<ArgumentOutOfRangeException>(() => new Msam(new Sgd(), -0.1, 2)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sam(new Sgd(), double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Msam(new Sgd(), 0.1, 0));
        var f = SmallMlp(5);
        var w = f.Mlp.Parameters.GetFlat();
        Assert.Contains("batch is empty", Assert.Throws<ArgumentException>(() => new Msam(new Sgd(), 0.1, 1).Direction(f, w, [], new double[w.Length])).Message);
        Assert.Contains("training data is empty", Assert.Throws<ArgumentException>(() => new MlpObjective(new Mlp([6, 5, 3], ActivationKind.Relu, 1), Matrix.Zeros(6, 0), [])).Message);
        Assert.Contains("no examples", Assert.Throws<ArgumentException>(() => new Sam(new Sgd(), 0.1).Direction(new QuadraticObjective([], []), [], [0], [])).Message);
    }

    [Fact]
    public void SameSeedSameWeights()
    {
        var a = Train(new Msam(new Sgd(0.9), 0.05, 4), SmallMlp(6), 5, 8);
        var b = Train(new Msam(new Sgd(0.9), 0.05, 4), SmallMlp(6), 5, 8);
        Assert.Equal(a, b);
    }
}
