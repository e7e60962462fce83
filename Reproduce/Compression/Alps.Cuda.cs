using System.Diagnostics;
using System.Globalization;
using Reproduce.Compute;
using Reproduce.Compute.Cuda;

namespace Reproduce.Compression;

/// <summary>ALPS on a CUDA device: the host algorithm moved, not changed. Same scaling G̃ = D⁻¹GD⁻¹, same
/// transposed iterates, the same <see cref="RhoSchedule"/> (ρ schedule and stopping rule: one method for both
/// paths), the W-update through a Cholesky factor of G̃ + ρI refactored when ρ changes, in float32 by default
/// (cuSOLVER spotrf, two cuBLAS strsm; float64 when <see cref="AdmmFloat32"/> is off or float32 fails, as on the
/// host); the projection is the device top-k by |v| (ties to the lower index, <see cref="CudaBackend.TopKMask"/>)
/// or the N:M kernel; the elementwise ADMM updates use the host's operations in the host's order. The PCG refit on
/// the final support is float64, as on the host.
///
/// Where results may differ from the CPU path: the triangular solves, the GEMMs and the row sums are cuBLAS's,
/// rounding differently from the host BLAS (float32 solves: ~1e-7 relative; float64: ~1e-15). ADMM is continuous
/// in its iterates except at the projection, so the support can differ only where an iterate lies within that
/// rounding of the top-k threshold, and then the ρ schedule (driven by support counts) may take another path.
/// With float64 solves such near-ties are rare enough that small layers agree exactly (the parity test); with
/// float32 solves the supports may differ, and the parity test checks the result's properties instead.</summary>
public sealed partial class Alps
{
    private CompressionResult PruneCuda(CudaBackend cb, LayerProblem p, SparsityTarget target, Matrix start, Stopwatch sw, List<string> notes)
    {
        if (target.IsPattern && target.M > CompressionKernelSource.MaxM)
            throw new ArgumentException($"alps on CUDA: N:M with M = {target.M} > {CompressionKernelSource.MaxM} has no kernel; use the CPU (Device = null).");
        var dev = Device!;
        int rows = p.Rows, n = p.Cols;
        using var h = p.H.To(dev);
        var diag = Damping.DampedDiagonal(p, Percdamp, notes, "alps");
        var dInvHost = new double[n];
        var dHost = new double[n];
        for (int j = 0; j < n; j++) { dHost[j] = Math.Sqrt(diag[j]); dInvHost[j] = 1 / dHost[j]; }
        using var dInv = Matrix.FromColumnMajor(n, 1, dInvHost).To(dev);
        using var dScale = Matrix.FromColumnMajor(n, 1, dHost).To(dev);
        Matrix gt;
        using (var g = h.Copy())
        {
            cb.SetDiagonal(g, diag);
            using var rowsScaled = Ops.ScaleRows(dInv, g);
            gt = Ops.ScaleColumns(rowsScaled, dInv);                                   // D⁻¹GD⁻¹
        }
        using var gtOwned = gt;
        Matrix c;
        using (var s0 = start.AsType(DType.F64).To(dev))
        using (var yHat = Ops.ScaleColumns(s0, dScale))                                // ŶD
        {
            cb.Synchronize();
            double tSetup0 = sw.Elapsed.TotalSeconds;
            c = Ops.MatMul(yHat, gt);                                                 // ŶG̃
            cb.Synchronize();
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"alps cuda: upload, damping and scaling {tSetup0:F2} s, ŶG̃ {sw.Elapsed.TotalSeconds - tSetup0:F2} s."));
            double tC = sw.Elapsed.TotalSeconds;
            var solver = new ShiftedSolver(gt, AdmmFloat32, Percdamp);
            string result;
            Matrix z;
            using (var yHatT = Ops.Transpose(yHat))
            using (var cT = Ops.Transpose(c))
            {
                Matrix zT;
                try { result = AdmmCuda(cb, rows, n, target, yHatT, cT, solver, out zT); }
                finally { solver.Dispose(); }
                using (zT) z = Ops.Transpose(zT);
            }
            cb.Synchronize();
            double tAdmm = sw.Elapsed.TotalSeconds;
            Matrix y;
            using (z) y = PcgCuda(gt, c, z, PcgIterations, PcgTolerance);
            c.Dispose();
            var w = Ops.ScaleColumns(y, dInv);                                         // W = YD⁻¹
            y.Dispose();
            cb.Synchronize();
            notes.Add(result);
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"alps time: ADMM {tAdmm - tC:F2} s ({solver.Factorizations} factorizations of G̃ + ρI, {solver.FactorSeconds:F2} s), PCG refit {sw.Elapsed.TotalSeconds - tAdmm:F2} s."));
            using (w) return CompressionCuda.Result("alps", p, h, w, sw, notes, cb);
        }
    }

    /// <summary><see cref="Admm"/> on the device: the same steps and <see cref="RhoSchedule"/>.</summary>
    private string AdmmCuda(CudaBackend cb, int rows, int n, SparsityTarget target, Matrix yHatT, Matrix cT, ShiftedSolver solver, out Matrix zT)
    {
        long len = (long)rows * n;
        using var keep = cb.AllocateBytes(len);
        using var last = cb.AllocateBytes(len);
        var z0 = ProjectCuda(cb, yHatT, target, keep);
        var z = z0.Copy();
        var u = cb.Allocate(n, rows, DType.F64);
        var m = cb.Allocate(n, rows, DType.F64);
        cb.ZeroBytes(last.Ptr, len);
        cb.SupportChanges(z, last);   // last = support(Z₀)
        string result = RhoSchedule(KeptCount(rows, n, target),
            rho =>
            {
                cb.AlpsRhs(cT, u, z, rho, m);                   // Cᵀ − Uᵀ + ρZᵀ
                using var y = solver.LeftSolve(m, rho);         // Yᵀ = (G̃ + ρI)⁻¹(…)
                cb.AlpsV(y, u, rho, m);                         // V = Y + U/ρ
                z.Dispose();
                z = ProjectCuda(cb, m, target, keep);
                cb.AlpsDual(y, z, rho, u);                      // U += ρ(Y − Z)
            },
            () => cb.SupportChanges(z, last),
            () =>
            {
                z.Dispose(); z = z0.Copy();
                cb.ZeroBytes(CudaBackend.P(u), 8 * len);
                cb.SupportChanges(z, last);
            });
        m.Dispose(); u.Dispose(); z0.Dispose();
        zT = z;
        return result;
    }

    /// <summary><see cref="ProjectTransposed"/> on the device (a new matrix; <paramref name="keep"/> is scratch).</summary>
    private static Matrix ProjectCuda(CudaBackend cb, Matrix vT, SparsityTarget target, CudaBuffer keep)
    {
        var z = cb.Allocate(vT.Rows, vT.Cols, DType.F64);
        if (target.IsPattern) { cb.NmProject(vT, target.N, target.M, z); return z; }
        cb.TopKMask(CudaBackend.P(vT), vT.Length, absval: true, target.Kept(vT.Length), keep);
        cb.ApplyMask(vT, keep, z);
        return z;
    }

    /// <summary><see cref="Pcg"/> on the device, float64: the mask is the support of <paramref name="y0"/>; the
    /// per-row step sizes are formed on the host from the device's row sums, as the host forms them.</summary>
    private static Matrix PcgCuda(Matrix gt, Matrix c, Matrix y0, int iterations, double rtol)
    {
        int rows = y0.Rows;
        var dev = y0.Device;
        using var sign = Ops.Map(UnaryOp.Sign, y0);
        using var mask = Ops.Map(UnaryOp.Abs, sign);   // 1 on the support (y0 ≠ 0), 0 off it
        var y = y0.Copy();
        Matrix r;
        using (var yg = Ops.MatMul(y, gt))
        using (var diff = Ops.Sub(c, yg)) r = Ops.Hadamard(diff, mask);
        var pDir = r.Copy();
        var rr = RowDots(r, r);
        double r0 = Math.Sqrt(rr.Sum());
        for (int it = 0; it < iterations && r0 > 0; it++)
        {
            Matrix ap;
            using (var apFull = Ops.MatMul(pDir, gt)) ap = Ops.Hadamard(apFull, mask);
            var pap = RowDots(pDir, ap);
            var alpha = new double[rows];
            for (int i = 0; i < rows; i++) alpha[i] = pap[i] > 0 ? rr[i] / pap[i] : 0;
            using (var a = Matrix.FromColumnMajor(rows, 1, alpha).To(dev))
            {
                using (var step = Ops.ScaleRows(a, pDir)) Ops.Axpy(1, step, y);
                using (var stepR = Ops.ScaleRows(a, ap)) Ops.Axpy(-1, stepR, r);
            }
            ap.Dispose();
            var rrNew = RowDots(r, r);
            if (Math.Sqrt(rrNew.Sum()) <= rtol * r0) break;
            var beta = new double[rows];
            for (int i = 0; i < rows; i++) beta[i] = rr[i] > 0 ? rrNew[i] / rr[i] : 0;
            using (var b = Matrix.FromColumnMajor(rows, 1, beta).To(dev))
            using (var scaled = Ops.ScaleRows(b, pDir))
            {
                pDir.Dispose();
                pDir = Ops.Add(r, scaled);
            }
            rr = rrNew;
        }
        r.Dispose(); pDir.Dispose();
        return y;

        static double[] RowDots(Matrix a, Matrix b)
        {
            using var prod = Ops.Hadamard(a, b);
            using var sums = Ops.RowSums(prod);
            return sums.ToCpu().ToArray();
        }
    }
}
