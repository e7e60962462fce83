using Reproduce.Compute;
using Reproduce.Compute.Cuda;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Cuda;

public class CudaBackendTests
{
    [CudaFact]
    public void EveryOperationMatchesTheCpuBackend()
    {
        var results = CudaParity.Run(Device.Cuda, Device.Cpu);
        var failed = results.Where(r => !r.Pass).Select(r => $"{r.DType} {r.Operation}: {r.Error:E2} > {r.Tolerance:E0}").ToArray();
        Assert.True(failed.Length == 0, string.Join("\n", failed));
        Assert.True(results.Count > 100);
    }

    [CudaFact]
    public void PoolMemoryStaysFlatOverLongLoops()
    {
        var r = CudaParity.AllocatorStress(Device.Cuda, rounds: 5000);
        Assert.True(r.Pass, $"pool grew by {r.Error}");
    }

    [WithoutCudaFact]
    public void AskingForCudaWithoutAGpuIsAClearErrorNotAFallback()
    {
        var e = Assert.Throws<ComputeException>(() => Device.Parse("cuda"));
        Assert.Contains("CUDA is not usable", e.Message);
        Assert.Contains("--device cpu", e.Message);
    }

    [Fact]
    public void MissingLibraryErrorListsWhatWasSearched()
    {
        var dir = Directory.CreateTempSubdirectory("fake-cuda").FullName;
        var old = Environment.GetEnvironmentVariable("CUDA_PATH");
        try
        {
            Environment.SetEnvironmentVariable("CUDA_PATH", dir);
            Directory.CreateDirectory(Path.Combine(dir, "lib64"));
            var dirs = CudaLibraries.SearchDirectories();
            Assert.Equal(Path.Combine(dir, "lib64"), dirs[0]);
            if (!CudaLibraries.TryLoad("cusparse", out _, out var message))
            {
                Assert.Contains("libcusparse.so.12", message);
                Assert.Contains(Path.Combine(dir, "lib64"), message);
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("CUDA_PATH", old);
        }
    }

    [Fact]
    public void SizeClassesRoundUpAndCoverTheRequest()
    {
        foreach (long b in new long[] { 1, 255, 256, 257, 4000, 1 << 20, (1 << 20) + 1, 5_000_000 })
        {
            long c = CudaMemoryPool.SizeClass(b);
            Assert.True(c >= b);
            Assert.True(c <= Math.Max(256, 2 * b) || c - b < (2 << 20));
        }
        Assert.Equal(CudaMemoryPool.SizeClass(3_000_000), CudaMemoryPool.SizeClass(4_000_000));
    }

    [Fact]
    public void EveryUnaryAndBinaryOpHasAKernelCode()
    {
        Assert.Equal(Enum.GetValues<UnaryOp>().Length, Enum.GetValues<UnaryOp>().Select(CudaBackend.Code).Distinct().Count());
        Assert.Equal(Enum.GetValues<BinaryOp>().Length, Enum.GetValues<BinaryOp>().Select(CudaBackend.Code).Distinct().Count());
    }
}
