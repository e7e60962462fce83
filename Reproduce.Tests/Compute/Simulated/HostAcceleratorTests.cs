using Reproduce.Compute;
using Reproduce.Compute.Cuda;

namespace Reproduce.Tests.Compute.Simulated;

/// <summary>The simulated accelerator is only useful if it is faithful: it must pass the GPU's own
/// parity suite against the CPU, refuse host access to its data like a real device, and leave the
/// global CUDA device alone.</summary>
public class HostAcceleratorTests
{
    private static readonly Device Sim = HostAccelerator.Shared;

    [Fact]
    public void PassesTheCudaParitySuiteAgainstTheCpu()
    {
        var results = CudaParity.Run(Sim, Device.Cpu);
        var failed = results.Where(r => !r.Pass).Select(r => $"{r.DType} {r.Operation}: {r.Error:E2} > {r.Tolerance:E0}").ToArray();
        Assert.True(failed.Length == 0, string.Join("\n", failed));
        Assert.True(results.Count > 100, $"only {results.Count} comparisons ran");
    }

    [Fact]
    public void HostAccessToDeviceDataThrowsAsOnAGpu()
    {
        using var m = Matrix.FromArray(new double[,] { { 1, 2 }, { 3, 4 } }).To(Sim);
        Assert.Equal(DeviceKind.Cuda, m.Device.Kind);
        Assert.Contains("element access needs a CPU matrix", Assert.Throws<ComputeException>(() => m[0, 0]).Message);
        Assert.Throws<ComputeException>(() => m.Span.Length);
        var (_, s, _) = Ops.Svd(m);
        Assert.Throws<ComputeException>(() => s[0]); // the FeatureSketch bug found on the H100
        Assert.Equal(new[] { 1.0, 3, 2, 4 }, m.ToArray()); // the explicit transfer works
    }

    [Fact]
    public void ResultsStayOnTheDeviceExceptScalarsAndIndices()
    {
        var host = new Rng(3).NormalMatrix(6, 4);
        using var m = host.To(Sim);
        foreach (var r in new[] { Ops.RowNorms(m), Ops.ColumnSums(m), Ops.Transpose(m), Ops.GatherRows(m, [1, 2]), Ops.Gram(m), Ops.Qr(m).Q })
            Assert.Same(Sim, r.Device);
        Assert.Equal(Ops.ArgMaxPerRow(host), Ops.ArgMaxPerRow(m));
        Assert.Equal(Ops.Norm(host), Ops.Norm(m));
    }

    [Fact]
    public void DisposedMatricesCannotBeUsedAndUploadNeedsAHostMatrix()
    {
        var m = Matrix.Zeros(3, 3, DType.F64, Sim);
        m.Dispose();
        Assert.Throws<ComputeException>(() => Ops.Sum(m));
        Assert.Throws<ComputeException>(() => m.ToCpu());
        using var d = Matrix.Zeros(2, 2, DType.F64, Sim);
        Assert.Throws<ComputeException>(() => Sim.Backend.Upload(d));
    }

    [Fact]
    public void NonPositiveDefiniteCholeskyReportsPivotLikeCuda()
    {
        using var a = Matrix.FromArray(new double[,] { { 1, 2 }, { 2, 1 } }).To(Sim);
        var e = Assert.Throws<NotPositiveDefiniteException>(() => Ops.Cholesky(a));
        Assert.Equal(1, e.Pivot);
        Assert.False(e.Value > 0);
    }

    [Fact]
    public void SparseMatricesAreResidentAfterFirstUseAsOnCuda()
    {
        var a = SparseMatrix.FromTriplets(2, 2, [(0, 0, 1.0), (1, 1, 2.0)]);
        using var x = Matrix.Vector([1.0, 1.0]).To(Sim);
        Assert.Equal(new[] { 1.0, 2 }, Ops.SpMM(a, x).ToArray());
        a.Values[1] = 5; // CudaBackend keeps the device copy made at first use
        Assert.Equal(new[] { 1.0, 2 }, Ops.SpMM(a, x).ToArray());
        Assert.Equal(new[] { 1.0, 5 }, Ops.SpMM(a, Matrix.Vector([1.0, 1.0])).ToArray());
    }

    [Fact]
    public void MixingSimulatedAndCpuMatricesIsAnError()
    {
        using var a = Matrix.Zeros(2, 2, DType.F64, Sim);
        Assert.Throws<ComputeException>(() => Ops.Add(a, Matrix.Zeros(2, 2)));
    }

    [Fact]
    public void LeavesTheGlobalCudaDeviceAlone()
    {
        _ = HostAccelerator.CreateDevice();
        Assert.NotSame(Sim, Device.Auto);
        if (!Device.CudaAvailable) Assert.Throws<ComputeException>(() => Device.Cuda); // CudaFact still skips
        else Assert.IsType<CudaBackend>(Device.Cuda.Backend);
    }
}
