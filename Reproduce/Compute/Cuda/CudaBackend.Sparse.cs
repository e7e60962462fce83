using System.Runtime.CompilerServices;

namespace Reproduce.Compute.Cuda;

public sealed unsafe partial class CudaBackend
{
    /// <summary>Device copies of CSR matrices, kept while the host matrix is alive, so repeated
    /// products with the same A (as in CG or an IPM) upload it once.</summary>
    private sealed class DeviceCsr : IDisposable
    {
        public required CudaBuffer RowPtr, ColIdx, Values64;
        public CudaBuffer? Values32;
        public void Dispose() { RowPtr.Dispose(); ColIdx.Dispose(); Values64.Dispose(); Values32?.Dispose(); }
    }

    private readonly ConditionalWeakTable<SparseMatrix, DeviceCsr> _csrCache = new();

    private DeviceCsr Resident(SparseMatrix a, DType dtype)
    {
        var d = _csrCache.GetValue(a, s =>
        {
            var v = _ctx.Pool.Allocate(8L * Math.Max(1, s.Nnz));
            fixed (double* p = s.Values) CuDriver.CopyHtoD(v.Ptr, p, 8L * s.Nnz);
            return new DeviceCsr { RowPtr = UploadInts(s.RowPtr), ColIdx = UploadInts(s.ColIdx), Values64 = v };
        });
        if (dtype == DType.F32 && d.Values32 is null)
        {
            var f = Array.ConvertAll(a.Values, x => (float)x);
            var v = _ctx.Pool.Allocate(4L * Math.Max(1, f.Length));
            fixed (float* p = f) CuDriver.CopyHtoD(v.Ptr, p, 4L * f.Length);
            d.Values32 = v;
        }
        return d;
    }

    /// <inheritdoc />
    public Matrix SpMM(SparseMatrix a, bool trans, Matrix x)
    {
        _ctx.MakeCurrent();
        int outRows = trans ? a.Cols : a.Rows;
        var y = Allocate(outRows, x.Cols, x.DType);
        if (y.Length == 0 || a.Nnz == 0 || x.Length == 0) return y;
        var csr = Resident(a, x.DType);
        int vt = x.DType == DType.F64 ? CuSparse.R64F : CuSparse.R32F;
        ulong vals = x.DType == DType.F64 ? csr.Values64.Ptr : csr.Values32!.Ptr;
        IntPtr spA, dnX, dnY;
        CuSparse.Check(CuSparse.CreateCsr(&spA, a.Rows, a.Cols, a.Nnz, csr.RowPtr.Ptr, csr.ColIdx.Ptr, vals,
            CuSparse.Index32, CuSparse.Index32, CuSparse.IndexBaseZero, vt), "cusparseCreateCsr");
        try
        {
            CuSparse.Check(CuSparse.CreateDnMat(&dnX, x.Rows, x.Cols, Ld(x.Rows), P(x), vt, CuSparse.OrderCol), "cusparseCreateDnMat");
            CuSparse.Check(CuSparse.CreateDnMat(&dnY, y.Rows, y.Cols, Ld(y.Rows), P(y), vt, CuSparse.OrderCol), "cusparseCreateDnMat");
            int opA = trans ? CuSparse.OpT : CuSparse.OpN;
            double a64 = 1, b64 = 0;
            float a32 = 1, b32 = 0;
            void* alpha = x.DType == DType.F64 ? &a64 : &a32;
            void* beta = x.DType == DType.F64 ? &b64 : &b32;
            nuint bytes;
            CuSparse.Check(CuSparse.SpMMBufferSize(_ctx.Sparse, opA, CuSparse.OpN, alpha, spA, dnX, beta, dnY, vt, CuSparse.SpMMAlgDefault, &bytes), "cusparseSpMM_bufferSize");
            using var work = _ctx.Pool.Allocate(Math.Max(1L, (long)bytes));
            CuSparse.Check(CuSparse.SpMM(_ctx.Sparse, opA, CuSparse.OpN, alpha, spA, dnX, beta, dnY, vt, CuSparse.SpMMAlgDefault, work.Ptr), "cusparseSpMM");
            CuSparse.DestroyDnMat(dnX);
            CuSparse.DestroyDnMat(dnY);
        }
        finally
        {
            CuSparse.DestroySpMat(spA);
        }
        return y;
    }
}
