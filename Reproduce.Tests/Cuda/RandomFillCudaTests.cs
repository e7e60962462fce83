using Reproduce.Compute;
using Reproduce.Compute.Cuda;

namespace Reproduce.Tests.Cuda;

/// <summary>The Philox random fills on the GPU (skipped without a CUDA device): parity with the CPU
/// twin, and the paper-size sketch (41,063×2,000 normals, 82 M entries) drawn on the device.</summary>
public class RandomFillCudaTests
{
    [CudaFact]
    public void RandomFillsMatchTheCpuTwin()
    {
        foreach (var dt in new[] { DType.F64, DType.F32 })
        {
            var results = CudaParity.RandomFills(Device.Cuda, Device.Cpu, 2024, dt).ToList();
            var failed = results.Where(r => !r.Pass).Select(r => $"{r.DType} {r.Operation}: {r.Error:E2} > {r.Tolerance:E0}").ToArray(); // tolerance 0: bit-identical
            Assert.True(failed.Length == 0, string.Join("\n", failed));
            Assert.True(results.Count >= 30);
        }
    }

    [CudaFact]
    public void APaperSizeSketchIsDrawnOnTheDeviceWithTheRightMoments()
    {
        const int m = 41_063, n = 2_000;
        var rng = new Rng(31);
        ulong key = new Rng(31).NextUInt64();
        using var w = Ops.RandomNormal(m, n, rng, Device.Cuda);
        Assert.Equal(DeviceKind.Cuda, w.Device.Kind);
        double count = (double)m * n;
        double mean = Ops.Sum(w) / count, second = Math.Pow(Ops.Norm(w), 2) / count;
        Assert.InRange(mean, -5 / Math.Sqrt(count), 5 / Math.Sqrt(count));
        Assert.InRange(second, 1 - 5 * Math.Sqrt(2 / count), 1 + 5 * Math.Sqrt(2 / count));
        // Spot checks against the CPU definition, including the last entry (index 82,125,999).
        int[] cols = [0, 1, n / 2, n - 1];
        using var picked = Ops.GatherColumns(w, cols);
        var h = picked.ToCpu();
        foreach (int jj in Enumerable.Range(0, cols.Length))
            foreach (int i in new[] { 0, 1, m / 2, m - 1 })
            {
                double expected = Philox.Normal(key, (long)cols[jj] * m + i);
                Assert.True(BitConverter.DoubleToInt64Bits(h[i, jj]) == BitConverter.DoubleToInt64Bits(expected), $"entry ({i}, {cols[jj]}): GPU {h[i, jj]:R}, CPU {expected:R}");
            }
    }
}
