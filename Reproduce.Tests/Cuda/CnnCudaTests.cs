using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Tests.Cuda;

/// <summary>The CNN layers on the GPU against the CPU (NnParity's CNN case): im2col, col2im and max pooling
/// bit for bit, loss, logits and every gradient within NnParity's bounds (float64 1e-10, float32 1e-4).</summary>
public class CnnCudaTests
{
    [CudaFact]
    public void CnnLayersMatchTheCpu()
    {
        var cnn = NnParity.Run(Device.Cuda, Device.Cpu).Where(r => r.Name.Contains("cnn", StringComparison.Ordinal) || r.Name.Contains("im2col", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, cnn.Count);
        Assert.All(cnn, r => Assert.True(r.Pass, $"{r.Name}: {r.Detail}"));
    }
}
