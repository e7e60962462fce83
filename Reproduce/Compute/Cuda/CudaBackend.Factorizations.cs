namespace Reproduce.Compute.Cuda;

public sealed unsafe partial class CudaBackend
{
    private int ReadInfo(CudaBuffer info)
    {
        int v;
        CuDriver.CopyDtoH(&v, info.Ptr, 4);
        return v;
    }

    private CudaBuffer Workspace(int lworkElements, DType dtype) => _ctx.Pool.Allocate(Math.Max(1L, lworkElements) * Size(dtype));

    /// <inheritdoc />
    public Matrix Cholesky(Matrix a)
    {
        _ctx.MakeCurrent();
        int n = a.Rows;
        using var w = Copy(a);
        if (n == 0) return Allocate(0, 0, a.DType);
        using var info = _ctx.Pool.Allocate(4);
        int lwork;
        if (a.DType == DType.F64)
        {
            CuSolver.Check(CuSolver.DpotrfBufferSize(_ctx.Solver, CuBlas.FillLower, n, P(w), n, &lwork), "cusolverDnDpotrf_bufferSize");
            using var work = Workspace(lwork, a.DType);
            CuSolver.Check(CuSolver.Dpotrf(_ctx.Solver, CuBlas.FillLower, n, P(w), n, work.Ptr, lwork, info.Ptr), "cusolverDnDpotrf");
        }
        else
        {
            CuSolver.Check(CuSolver.SpotrfBufferSize(_ctx.Solver, CuBlas.FillLower, n, P(w), n, &lwork), "cusolverDnSpotrf_bufferSize");
            using var work = Workspace(lwork, a.DType);
            CuSolver.Check(CuSolver.Spotrf(_ctx.Solver, CuBlas.FillLower, n, P(w), n, work.Ptr, lwork, info.Ptr), "cusolverDnSpotrf");
        }
        int i = ReadInfo(info);
        // potrf reports the 1-based order of the leading minor that is not positive definite.
        if (i > 0)
        {
            // LAPACK leaves the failing pivot's non-positive value on the diagonal; cuSOLVER may leave
            // NaN (the square root of it) instead. Never report a positive value as the culprit.
            int j = i - 1;
            long offset = ((long)j * n + j) * Size(a.DType);
            double pivot;
            if (a.DType == DType.F64) { double v; CuDriver.CopyDtoH(&v, P(w) + (ulong)offset, 8); pivot = v; }
            else { float v; CuDriver.CopyDtoH(&v, P(w) + (ulong)offset, 4); pivot = v; }
            throw new NotPositiveDefiniteException(j, pivot > 0 ? double.NaN : pivot);
        }
        if (i < 0) throw new CudaException($"cusolverDnXpotrf rejected argument {-i}.");
        return Triangle(w, n, lower: true);
    }

    /// <inheritdoc />
    public Matrix TriangularSolve(Matrix t, Matrix b, bool lower, bool transpose)
    {
        _ctx.MakeCurrent();
        var x = Copy(b);
        int m = b.Rows, n = b.Cols;
        if (m == 0 || n == 0) return x;
        int uplo = lower ? CuBlas.FillLower : CuBlas.FillUpper, op = transpose ? CuBlas.OpT : CuBlas.OpN;
        if (t.DType == DType.F64)
        {
            double one = 1;
            CuBlas.Check(CuBlas.Dtrsm(_ctx.Blas, CuBlas.SideLeft, uplo, op, CuBlas.DiagNonUnit, m, n, &one, P(t), Ld(t.Rows), P(x), Ld(m)), "cublasDtrsm");
        }
        else
        {
            float one = 1;
            CuBlas.Check(CuBlas.Strsm(_ctx.Blas, CuBlas.SideLeft, uplo, op, CuBlas.DiagNonUnit, m, n, &one, P(t), Ld(t.Rows), P(x), Ld(m)), "cublasStrsm");
        }
        return x;
    }

    /// <inheritdoc />
    public (Matrix Q, Matrix R) Qr(Matrix a)
    {
        _ctx.MakeCurrent();
        int m = a.Rows, n = a.Cols;
        var q = Copy(a);
        if (n == 0) return (q, Allocate(0, 0, a.DType));
        using var tau = _ctx.Pool.Allocate((long)n * Size(a.DType));
        using var info = _ctx.Pool.Allocate(4);
        int lwork;
        bool f64 = a.DType == DType.F64;
        if (f64) CuSolver.Check(CuSolver.DgeqrfBufferSize(_ctx.Solver, m, n, P(q), Ld(m), &lwork), "cusolverDnDgeqrf_bufferSize");
        else CuSolver.Check(CuSolver.SgeqrfBufferSize(_ctx.Solver, m, n, P(q), Ld(m), &lwork), "cusolverDnSgeqrf_bufferSize");
        using (var work = Workspace(lwork, a.DType))
        {
            if (f64) CuSolver.Check(CuSolver.Dgeqrf(_ctx.Solver, m, n, P(q), Ld(m), tau.Ptr, work.Ptr, lwork, info.Ptr), "cusolverDnDgeqrf");
            else CuSolver.Check(CuSolver.Sgeqrf(_ctx.Solver, m, n, P(q), Ld(m), tau.Ptr, work.Ptr, lwork, info.Ptr), "cusolverDnSgeqrf");
        }
        var r = Triangle(q, n, lower: false);
        if (f64) CuSolver.Check(CuSolver.DorgqrBufferSize(_ctx.Solver, m, n, n, P(q), Ld(m), tau.Ptr, &lwork), "cusolverDnDorgqr_bufferSize");
        else CuSolver.Check(CuSolver.SorgqrBufferSize(_ctx.Solver, m, n, n, P(q), Ld(m), tau.Ptr, &lwork), "cusolverDnSorgqr_bufferSize");
        using (var work = Workspace(lwork, a.DType))
        {
            if (f64) CuSolver.Check(CuSolver.Dorgqr(_ctx.Solver, m, n, n, P(q), Ld(m), tau.Ptr, work.Ptr, lwork, info.Ptr), "cusolverDnDorgqr");
            else CuSolver.Check(CuSolver.Sorgqr(_ctx.Solver, m, n, n, P(q), Ld(m), tau.Ptr, work.Ptr, lwork, info.Ptr), "cusolverDnSorgqr");
        }
        return (q, r);
    }

    /// <inheritdoc />
    public (Matrix Values, Matrix Vectors) SymmetricEigen(Matrix a)
    {
        _ctx.MakeCurrent();
        int n = a.Rows;
        var v = Copy(a);
        var w = Allocate(n, 1, a.DType);
        if (n == 0) return (w, v);
        using var info = _ctx.Pool.Allocate(4);
        int lwork;
        if (a.DType == DType.F64)
        {
            CuSolver.Check(CuSolver.DsyevdBufferSize(_ctx.Solver, CuSolver.EigModeVector, CuBlas.FillLower, n, P(v), n, P(w), &lwork), "cusolverDnDsyevd_bufferSize");
            using var work = Workspace(lwork, a.DType);
            CuSolver.Check(CuSolver.Dsyevd(_ctx.Solver, CuSolver.EigModeVector, CuBlas.FillLower, n, P(v), n, P(w), work.Ptr, lwork, info.Ptr), "cusolverDnDsyevd");
        }
        else
        {
            CuSolver.Check(CuSolver.SsyevdBufferSize(_ctx.Solver, CuSolver.EigModeVector, CuBlas.FillLower, n, P(v), n, P(w), &lwork), "cusolverDnSsyevd_bufferSize");
            using var work = Workspace(lwork, a.DType);
            CuSolver.Check(CuSolver.Ssyevd(_ctx.Solver, CuSolver.EigModeVector, CuBlas.FillLower, n, P(v), n, P(w), work.Ptr, lwork, info.Ptr), "cusolverDnSsyevd");
        }
        int i = ReadInfo(info);
        if (i != 0) throw new CudaException($"cusolverDnXsyevd did not converge (info {i}).");
        return (w, v); // syevd returns eigenvalues in ascending order, as the API promises.
    }

    /// <inheritdoc />
    public (Matrix U, Matrix S, Matrix V) Svd(Matrix a)
    {
        _ctx.MakeCurrent();
        // cuSOLVER's gesvd needs rows ≥ columns: factor Aᵀ = V S Uᵀ for wide A.
        if (a.Rows < a.Cols)
        {
            using var at = Transpose(a);
            var (u2, s2, v2) = Svd(at);
            return (v2, s2, u2);
        }
        int m = a.Rows, n = a.Cols;
        using var w = Copy(a);
        var s = Allocate(n, 1, a.DType);
        var u = Allocate(m, n, a.DType);
        using var vt = Allocate(n, n, a.DType);
        if (n == 0) return (u, s, Allocate(0, 0, a.DType));
        using var info = _ctx.Pool.Allocate(4);
        int lwork;
        sbyte job = (sbyte)'S';
        if (a.DType == DType.F64)
        {
            CuSolver.Check(CuSolver.DgesvdBufferSize(_ctx.Solver, m, n, &lwork), "cusolverDnDgesvd_bufferSize");
            using var work = Workspace(lwork, a.DType);
            using var rwork = Workspace(n, a.DType);
            CuSolver.Check(CuSolver.Dgesvd(_ctx.Solver, job, job, m, n, P(w), m, P(s), P(u), m, P(vt), n, work.Ptr, lwork, rwork.Ptr, info.Ptr), "cusolverDnDgesvd");
        }
        else
        {
            CuSolver.Check(CuSolver.SgesvdBufferSize(_ctx.Solver, m, n, &lwork), "cusolverDnSgesvd_bufferSize");
            using var work = Workspace(lwork, a.DType);
            using var rwork = Workspace(n, a.DType);
            CuSolver.Check(CuSolver.Sgesvd(_ctx.Solver, job, job, m, n, P(w), m, P(s), P(u), m, P(vt), n, work.Ptr, lwork, rwork.Ptr, info.Ptr), "cusolverDnSgesvd");
        }
        int i = ReadInfo(info);
        if (i != 0) throw new CudaException($"cusolverDnXgesvd did not converge (info {i}).");
        return (u, s, Transpose(vt));
    }
}
