using Reproduce.Compute;
using Reproduce.Nn;
using Reproduce.Tests.Compute.Simulated;
using Reproduce.Training;

namespace Reproduce.Tests.Training;

/// <summary>SAM and mSAM drive the CNN through the same wrappers as the MLP (brief §4 oracles on the
/// CNN): m = 1 is SAM step for step, ρ = 0 is the base optimizer, m = b is per-example SAM by a direct
/// loop on the engine; the objective's chunked loss equals one forward pass; and training on a device
/// (the simulated accelerator) follows the CPU run.</summary>
public class CnnMsamTests
{
    private static readonly ImageShape Shape = new(1, 6, 6);

    private static CnnObjective Small(ulong seed, int n = 24, Device? device = null)
    {
        var rng = new Rng(seed).Fork("data");
        var x = rng.NormalMatrix(Shape.Features, n);
        var y = Enumerable.Range(0, n).Select(_ => rng.NextInt(3)).ToArray();
        return new CnnObjective(new Cnn(Shape, [2, 3], 3, seed, device: device ?? Device.Cpu), x, y);
    }

    private static double[] Train(IUpdateRule rule, CnnObjective f, int steps, int batch, double lr = 0.1)
    {
        var rng = new Rng(7).Fork("batches");
        for (int s = 0; s < steps; s++)
            rule.Step(f.Parameters, f, rng.SampleWithoutReplacement(f.ExampleCount, batch), lr);
        return f.Parameters.GetFlat();
    }

    [Fact]
    public void OneMicroBatchIsSamStepForStepBitForBit()
    {
        var a = Train(new Msam(new Sgd(0.9, 1e-3), 0.05, 1), Small(1), 5, 8);
        var b = Train(new Sam(new Sgd(0.9, 1e-3), 0.05), Small(1), 5, 8);
        var sgd = Train(new GradientRule(new Sgd(0.9, 1e-3)), Small(1), 5, 8);
        Assert.Equal(b, a);
        Assert.NotEqual(sgd, a); // the perturbation changes the path, so the equality is not vacuous
    }

    [Fact]
    public void RhoZeroIsTheBaseOptimizer()
    {
        var sgd = Train(new GradientRule(new Sgd(0.9, 1e-3)), Small(2), 5, 8);
        Assert.Equal(sgd, Train(new Sam(new Sgd(0.9, 1e-3), 0), Small(2), 5, 8));
        // mSAM at ρ = 0 averages micro-batch gradients: the batch gradient up to the summation order
        // (a few roundings of O(1) numbers per step, far below 1e-12).
        var msam = Train(new Msam(new Sgd(0.9, 1e-3), 0, 4), Small(2), 5, 8);
        for (int i = 0; i < sgd.Length; i++) Assert.True(Math.Abs(sgd[i] - msam[i]) <= 1e-12, $"entry {i}: {sgd[i]} vs {msam[i]}");
    }

    [Fact]
    public void PerExampleMsamIsPerExampleSamByADirectLoop()
    {
        const double rho = 0.1;
        var f = Small(3, n: 8);
        var rng = new Rng(3).Fork("data");
        var x = rng.NormalMatrix(Shape.Features, 8); // the same images as Small(3, 8) draws
        int[] batch = [5, 2, 7, 0];
        var w = f.Parameters.GetFlat();
        var g = new double[w.Length];
        new Msam(new Sgd(0), rho, batch.Length).Direction(f, w, batch, g);

        // Direct loop on a second CNN from the same seed, one image at a time, without the Training code.
        var cnn = new Cnn(Shape, [2, 3], 3, 3);
        var labels = Enumerable.Range(0, 8).Select(_ => rng.NextInt(3)).ToArray();
        var expected = new double[w.Length];
        foreach (int i in batch)
        {
            var col = Ops.GatherColumns(x, [i]);
            cnn.Parameters.SetFlat(w);
            cnn.LossAndGradients(col, [labels[i]]);
            var gi = cnn.Parameters.GetFlatGrad();
            double norm = Math.Sqrt(gi.Sum(t => t * t)) + 1e-12;
            cnn.Parameters.SetFlat(w.Select((t, k) => t + rho * gi[k] / norm).ToArray());
            cnn.LossAndGradients(col, [labels[i]]);
            var gh = cnn.Parameters.GetFlatGrad();
            for (int k = 0; k < w.Length; k++) expected[k] += gh[k] / batch.Length;
        }
        for (int k = 0; k < w.Length; k++) Assert.Equal(expected[k], g[k], 1e-14);
    }

    [Fact]
    public void ChunkedLossAndAccuracyEqualOneForwardPass()
    {
        // 2,300 images: two full evaluation chunks and a partial one, so the chunk weighting is exercised.
        int n = 2 * CnnObjective.EvaluationChunk + 300;
        var f = Small(4, n);
        var rng = new Rng(4).Fork("data");
        var x = rng.NormalMatrix(Shape.Features, n);
        var labels = Enumerable.Range(0, n).Select(_ => rng.NextInt(3)).ToArray();
        var w = f.Parameters.GetFlat();
        var cnn = new Cnn(Shape, [2, 3], 3, 4);
        Assert.Equal(cnn.Loss(x, labels), f.Loss(w, f.AllExamples()), 1e-12);
        var z = cnn.Logits(x);
        int correct = Enumerable.Range(0, n).Count(j => Enumerable.Range(0, 3).MaxBy(k => z[k, j]) == labels[j]);
        Assert.Equal((double)correct / n, f.Accuracy(w, x, labels));
    }

    [Fact]
    public void MsamOnADeviceFollowsTheCpuRun()
    {
        // The simulated accelerator computes with the CPU backend behind device buffers: the device path of
        // CnnObjective (uploads, device gathers, downloads) and of the optimizer step must give the CPU run's
        // weights up to summation order (1e-10 relative, as NnParity's float64 bound).
        var cpu = Train(new Msam(new Sgd(0.9, 1e-3), 0.05, 2), Small(5), 4, 8);
        var dev = Train(new Msam(new Sgd(0.9, 1e-3), 0.05, 2), Small(5, device: HostAccelerator.Shared), 4, 8);
        Assert.True(Reproduce.Nn.NnParity.RelDiff(dev, cpu) <= 1e-10, $"rel {Reproduce.Nn.NnParity.RelDiff(dev, cpu):E2}");
    }

    [Fact]
    public void BadInputsGetClearErrors()
    {
        var cnn = new Cnn(Shape, [2], 3, 1);
        var e1 = Assert.Throws<ArgumentException>(() => new CnnObjective(cnn, Matrix.Zeros(35, 2), [0, 1]));
        Assert.Contains("needs 36", e1.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CnnObjective(cnn, Matrix.Zeros(36, 2), [0, 3]));
        Assert.Throws<ArgumentException>(() => new CnnObjective(cnn, Matrix.Zeros(36, 2), [0]));
    }
}
