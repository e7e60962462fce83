using Reproduce.Compression;
using Reproduce.Compute;

namespace Reproduce.Tests.Cuda;

/// <summary>SparseGPT and ALPS on the GPU against the CPU (<see cref="CompressionCudaParity"/>: masks equal and objectives
/// within the tolerances derived there; N:M valid; ALPS with float32 solves no worse than magnitude pruning). Skips with
/// "no CUDA device" where there is none; `reproduce compress check --device cuda` runs the same checks without the SDK.</summary>
public class CompressionCudaTests
{
    [CudaFact]
    public void SparseGptAndAlpsOnCudaMatchTheCpu()
    {
        var results = CompressionCudaParity.Run(Device.Cuda);
        Assert.NotEmpty(results);
        var failed = results.Where(r => !r.Pass).Select(r => $"{r.Check}: {r.Detail}").ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed));
    }

    [CudaFact]
    public void CudaNmWithMAbove32IsAClearError()
    {
        var p = SyntheticLayer.Create(8, 64, 128, new Rng(1));
        var e = Assert.Throws<ArgumentException>(() => new SparseGpt { Device = Device.Cuda, BlockSize = 64 }.Prune(p, SparsityTarget.Pattern(1, 64)));
        Assert.Contains("use the CPU", e.Message);
    }
}
