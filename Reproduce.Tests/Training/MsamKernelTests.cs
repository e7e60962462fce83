using Reproduce.Nn;
using Reproduce.Training;

namespace Reproduce.Tests.Training;

/// <summary>The flat-array MLP kernel and fused mSAM (<see cref="MlpMsamKernel"/>) against independent
/// computations: its gradient against the engine's backward pass, its mSAM direction against the
/// reference loop of <see cref="Msam"/> and, at m = 1, against <see cref="Sam"/>.
/// Tolerance: the two sides compute the same float64 quantities in a different order (Grams instead of
/// explicit perturbed weights, one GEMM instead of m sums), so they differ by a few hundred roundings
/// of O(‖g‖) terms at most, ~1e-14 relative; 1e-12 (brief §4, "else 1e-12") leaves room for that and
/// is far below any real error (a wrong sign, a missing term or a perturbation carried over between
/// micro-batches changes the direction by ρ-sized amounts, ~1e-2 relative here).</summary>
public class MsamKernelTests
{
    private const double Tolerance = 1e-12;

    private static double RelativeDifference(double[] a, double[] b)
    {
        double num = 0, den = 0;
        for (int i = 0; i < a.Length; i++) { num += (a[i] - b[i]) * (a[i] - b[i]); den += b[i] * b[i]; }
        return Math.Sqrt(num / den);
    }

    [Theory]
    [InlineData(new[] { 6, 5, 3 })]
    [InlineData(new[] { 7, 6, 5, 4 })]
    public void KernelGradientEqualsTheEngineGradient(int[] sizes)
    {
        var f = MsamTests.SmallMlp(11, n: 16, sizes: sizes);
        var w = f.Mlp.Parameters.GetFlat();
        int[] batch = [3, 9, 0, 14, 7];
        var fast = new double[w.Length]; var engine = new double[w.Length];
        double l1 = f.LossAndGradient(w, batch, fast);
        double l2 = f.EngineLossAndGradient(w, batch, engine);
        Assert.Equal(l2, l1, 1e-14);
        Assert.True(RelativeDifference(fast, engine) <= Tolerance, $"relative difference {RelativeDifference(fast, engine)}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void FusedDirectionEqualsTheReferenceLoop(int m)
    {
        // Two hidden layers, so the cross-Gram terms of the hidden layers (not only the input Gram) count.
        var f = MsamTests.SmallMlp(12, n: 16, sizes: [7, 6, 5, 4]);
        var w = f.Mlp.Parameters.GetFlat();
        int[] batch = [15, 2, 8, 4, 11, 0, 6, 13];
        var fused = new double[w.Length]; var reference = new double[w.Length]; var sgd = new double[w.Length];
        double lf = new Msam(new Sgd(0), 0.2, m).Direction(f, w, batch, fused);
        double lr = new Msam(new Sgd(0), 0.2, m, fused: false).Direction(f, w, batch, reference);
        f.LossAndGradient(w, batch, sgd);
        Assert.Equal(lr, lf, 1e-14);
        Assert.True(RelativeDifference(fused, reference) <= Tolerance, $"m = {m}: relative difference {RelativeDifference(fused, reference)}");
        Assert.True(RelativeDifference(reference, sgd) > 1e-3, "the perturbation moves the direction, so the equality is not vacuous");
    }

    [Fact]
    public void FusedWithOneMicroBatchEqualsSam()
    {
        var f = MsamTests.SmallMlp(13, n: 32, sizes: [6, 8, 3]);
        var w = f.Mlp.Parameters.GetFlat();
        var batch = Enumerable.Range(0, 32).Reverse().ToArray();
        var fused = new double[w.Length]; var sam = new double[w.Length];
        new Msam(new Sgd(0), 0.05, 1).Direction(f, w, batch, fused);
        new Sam(new Sgd(0), 0.05).Direction(f, w, batch, sam);
        Assert.True(RelativeDifference(fused, sam) <= Tolerance, $"relative difference {RelativeDifference(fused, sam)}");
    }

    [Fact]
    public void FusedTrainingFollowsTheReferenceTrajectory()
    {
        // Six momentum steps: rounding-level differences grow by at most the step map's Lipschitz factor
        // per step (‖I − lr·H‖ plus momentum, O(1) on this tiny net), so 1e-12·(a few)⁶ stays below 1e-9.
        var a = MsamTests.SmallMlp(14, n: 24); var b = MsamTests.SmallMlp(14, n: 24);
        var rng1 = new Reproduce.Compute.Rng(3); var rng2 = new Reproduce.Compute.Rng(3);
        var fused = new Msam(new Sgd(0.9), 0.1, 4); var reference = new Msam(new Sgd(0.9), 0.1, 4, fused: false);
        for (int s = 0; s < 6; s++)
        {
            fused.Step(a.Mlp.Parameters, a, rng1.SampleWithoutReplacement(24, 8), 0.1);
            reference.Step(b.Mlp.Parameters, b, rng2.SampleWithoutReplacement(24, 8), 0.1);
        }
        Assert.True(RelativeDifference(a.Mlp.Parameters.GetFlat(), b.Mlp.Parameters.GetFlat()) <= 1e-9);
    }

    [Fact]
    public void KernelLossInChunksEqualsTheEngineLoss()
    {
        // More examples than one chunk, so the chunk boundaries and the weighting of the last chunk count.
        int n = MlpMsamKernel.LossChunk + 300;
        var f = MsamTests.SmallMlp(15, n: n);
        var w = f.Mlp.Parameters.GetFlat();
        var all = f.AllExamples();
        double kernel = f.Loss(w, all);
        f.Mlp.Parameters.SetFlat(w);
        double engine = f.Mlp.Loss(f.Inputs, [.. f.Labels]);
        // Sums of n = 1,324 losses of O(1) in a different grouping: n·u·O(1) ≈ 3e-13 relative at worst.
        Assert.Equal(engine, kernel, 1e-12);
    }
}
