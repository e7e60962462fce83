using Reproduce.Compute;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Compute;

public class OpsValidationTests
{
    private sealed class FakeBuffer : IDeviceBuffer
    {
        public long Bytes => 0;
        public void Dispose() { }
    }

    /// <summary>A matrix that claims to live on another device (no backend call is made: Ops rejects it first).</summary>
    private static Matrix OnOtherDevice(int rows, int cols)
    {
        var other = new Device(DeviceKind.Cuda, "cuda:fake", new ReferenceBackend());
        return Matrix.OnDevice(rows, cols, DType.F64, other, new FakeBuffer());
    }

    [Fact]
    public void MatMulShapeMismatchNamesBothShapesAndTheOp()
    {
        var ex = Assert.Throws<ArgumentException>(() => Ops.MatMul(Matrix.Zeros(3, 4), Matrix.Zeros(5, 2)));
        Assert.Contains("MatMul", ex.Message);
        Assert.Contains("3×4", ex.Message);
        Assert.Contains("5×2", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() => Ops.MatMul(Matrix.Zeros(3, 4), Matrix.Zeros(3, 2), transA: false, transB: true));
        Assert.Contains("ᵀ", ex2.Message);
    }

    [Fact]
    public void ElementwiseAndSolveShapeMismatchesAreNamed()
    {
        var ex = Assert.Throws<ArgumentException>(() => Ops.Add(Matrix.Zeros(2, 3), Matrix.Zeros(3, 2)));
        Assert.Contains("Add", ex.Message); Assert.Contains("2×3", ex.Message); Assert.Contains("3×2", ex.Message);
        Assert.Contains("Gemm", Assert.Throws<ArgumentException>(() => Ops.Gemm(Matrix.Zeros(2, 2), false, Matrix.Zeros(2, 2), false, Matrix.Zeros(3, 2))).Message);
        Assert.Contains("MatVec", Assert.Throws<ArgumentException>(() => Ops.MatVec(Matrix.Zeros(2, 3), Matrix.Zeros(2, 1))).Message);
        Assert.Contains("Cholesky", Assert.Throws<ArgumentException>(() => Ops.Cholesky(Matrix.Zeros(2, 3))).Message);
        Assert.Contains("TriangularSolve", Assert.Throws<ArgumentException>(() => Ops.TriangularSolve(Matrix.Identity(3), Matrix.Zeros(2, 1), lower: true)).Message);
        Assert.Contains("Qr", Assert.Throws<ArgumentException>(() => Ops.Qr(Matrix.Zeros(2, 3))).Message);
        Assert.Contains("ScaleRows", Assert.Throws<ArgumentException>(() => Ops.ScaleRows(Matrix.Zeros(3, 1), Matrix.Zeros(2, 2))).Message);
        Assert.Contains("SpMM", Assert.Throws<ArgumentException>(() => Ops.SpMM(SparseMatrix.FromTriplets(2, 3, []), Matrix.Zeros(2, 1))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.GatherRows(Matrix.Zeros(2, 2), [2]));
    }

    [Fact]
    public void MixingDevicesSaysWhichTransferToMake()
    {
        var cpu = Matrix.Zeros(2, 2);
        var gpu = OnOtherDevice(2, 2);
        var ex = Assert.Throws<ComputeException>(() => Ops.MatMul(cpu, gpu));
        Assert.Contains("different devices", ex.Message);
        Assert.Contains("cuda:fake", ex.Message);
        Assert.Contains(".To(", ex.Message);
        Assert.Throws<ComputeException>(() => Ops.Axpy(1, cpu, gpu));
        // Host-only access on a device matrix names the explicit transfer.
        Assert.Contains("ToCpu()", Assert.Throws<ComputeException>(() => gpu[0, 0]).Message);
    }

    [Fact]
    public void MixingElementTypesSaysHowToConvert()
    {
        var ex = Assert.Throws<ComputeException>(() => Ops.Add(Matrix.Zeros(2, 2), Matrix.Zeros(2, 2, DType.F32)));
        Assert.Contains("AsType", ex.Message);
    }

    [Fact]
    public void NanAndInfinityAreReportedWhereTheyEnter()
    {
        var a = Matrix.Identity(3);
        a[1, 2] = double.NaN;
        var ex = Assert.Throws<ArgumentException>(() => Ops.Cholesky(a));
        Assert.Contains("(1, 2)", ex.Message); Assert.Contains("NaN", ex.Message);
        a[1, 2] = double.PositiveInfinity;
        Assert.Contains("∞", Assert.Throws<ArgumentException>(() => Ops.SymmetricEigen(a)).Message.Replace("Infinity", "∞"));
        Assert.Throws<ArgumentException>(() => Ops.Svd(a));
        Assert.Throws<ArgumentException>(() => Ops.Qr(a));
    }

    [Fact]
    public void NonPositiveDefiniteThroughOpsNamesThePivot()
    {
        var a = Matrix.FromArray(new double[,] { { 1, 2 }, { 2, 1 } });
        var ex = Assert.Throws<NotPositiveDefiniteException>(() => Ops.Cholesky(a));
        Assert.Equal(1, ex.Pivot);
        Assert.Contains("pivot 1", ex.Message);
        Assert.Contains("-3", ex.Message);
    }

    [DefaultCpuBackendFact]
    public void DefaultCpuBackendIsOpenBlasWhereItLoads()
    {
        Assert.Equal("openblas", Device.Cpu.Backend.Name);
        Assert.Contains("OpenBLAS", Device.Cpu.Backend.Describe());
    }

    [RequiresFact(Part.OpenBlas)]
    public void SelectorPicksOpenBlasByNameAndByDefaultWhereItLoads()
    {
        Assert.Equal("openblas", CpuBackendSelector.Create("OpenBLAS").Name);
        Assert.Equal("openblas", CpuBackendSelector.Create(null).Name);
    }

    [Fact]
    public void SelectorHonoursNamesAndRejectsUnknownOnes()
    {
        Assert.Equal("managed", CpuBackendSelector.Create("managed").Name);
        Assert.Equal("reference", CpuBackendSelector.Create("reference").Name);
        var ex = Assert.Throws<ComputeException>(() => CpuBackendSelector.Create("mkl"));
        Assert.Contains("REPRODUCE_BLAS", ex.Message);
        Assert.Contains("managed", ex.Message);
    }

    [Fact]
    public void MissingOpenBlasIsReportedWithLibraryAndPackage()
    {
        var (lib, error) = OpenBlasNative.Load("libopenblas-not-here.so.0", OpenBlasNative.LapackeLibrary);
        Assert.Null(lib);
        Assert.Contains("libopenblas-not-here.so.0", error);
        Assert.Contains("apt-get install libopenblas0 liblapacke", error);
        // Any library that loads stands in for the BLAS here, so this half runs without OpenBLAS too.
        var (lib2, error2) = OpenBlasNative.Load("libc.so.6", "liblapacke-not-here.so.3");
        Assert.Null(lib2);
        Assert.Contains("liblapacke-not-here.so.3", error2);
    }
}
