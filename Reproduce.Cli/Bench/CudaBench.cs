using System.Diagnostics;
using Reproduce.Compute;
using Reproduce.Compute.Cuda;

namespace Reproduce.Cli.Bench;

/// <summary>GPU benchmarks for issue 4: our backend against calling cuBLAS directly on the same
/// buffers (DGEMM, SGEMM), and GPU against CPU for the factorizations. Median of repeats after a
/// warm-up; every GPU timing ends with a device synchronise.</summary>
internal static unsafe class CudaBench
{
    public sealed record Row(string Operation, string Size, double GpuSeconds, double? Baseline, string BaselineName, double Flops)
    {
        public double Gflops => Flops / GpuSeconds / 1e9;
        public double? Ratio => Baseline is { } b ? b / GpuSeconds : null;
    }

    public static List<Row> Run(Device gpu, bool cpuBaselines, int n, int eigN, (int M, int N) svd, int cholN, Action<string> log)
    {
        var cb = (CudaBackend)gpu.Backend;
        var rng = new Rng(42);
        var rows = new List<Row>();
        foreach (var dt in new[] { DType.F64, DType.F32 })
        {
            using var a = rng.NormalMatrix(n, n).AsType(dt).To(gpu);
            using var b = rng.NormalMatrix(n, n).AsType(dt).To(gpu);
            using var c = Matrix.Zeros(n, n, dt, gpu);
            double ours = Median(() => { Ops.Gemm(a, false, b, false, c); cb.Synchronize(); });
            ulong pa = CudaBackend.P(a), pb = CudaBackend.P(b), pc = CudaBackend.P(c);
            var blas = cb.BlasHandle;
            double direct = Median(() =>
            {
                if (dt == DType.F64) { double al = 1, be = 0; CuBlas.Check(CuBlas.Dgemm(blas, 0, 0, n, n, n, &al, pa, n, pb, n, &be, pc, n), "dgemm"); }
                else { float al = 1, be = 0; CuBlas.Check(CuBlas.Sgemm(blas, 0, 0, n, n, n, &al, pa, n, pb, n, &be, pc, n), "sgemm"); }
                cb.Synchronize();
            });
            var row = new Row(dt == DType.F64 ? "DGEMM" : "SGEMM", $"{n}²", ours, direct, "direct cuBLAS", 2.0 * n * n * n);
            rows.Add(row);
            log($"{row.Operation} {row.Size}: {ours * 1e3:F2} ms ({row.Gflops / 1e3:F1} TFLOP/s), direct cuBLAS {direct * 1e3:F2} ms → ours at {direct / ours:P1} of direct");
        }
        rows.Add(Factor("syevd", $"{eigN}²", 9.0 * eigN * eigN * eigN, Spd(rng, eigN, gpu), m => { var (w, v) = Ops.SymmetricEigen(m); w.Dispose(); v.Dispose(); }, gpu, cb, cpuBaselines, log));
        rows.Add(Factor("gesvd", $"{svd.M}×{svd.N}", 4.0 * svd.M * svd.N * svd.N + 8.0 * svd.N * svd.N * svd.N, rng.NormalMatrix(svd.M, svd.N), m => { var (u, s, v) = Ops.Svd(m); u.Dispose(); s.Dispose(); v.Dispose(); }, gpu, cb, cpuBaselines, log));
        rows.Add(Factor("potrf", $"{cholN}²", cholN * (double)cholN * cholN / 3, Spd(rng, cholN, gpu), m => Ops.Cholesky(m).Dispose(), gpu, cb, cpuBaselines, log));
        return rows;
    }

    /// <summary>BᵀB + n·I, formed on the GPU (forming it with a slow CPU backend would dominate the run).</summary>
    private static Matrix Spd(Rng rng, int n, Device gpu)
    {
        using var b = rng.NormalMatrix(n, n).To(gpu);
        using var g = Ops.Gram(b);
        using var shift = Ops.Scale(Matrix.Identity(n).To(gpu), n);
        using var spd = Ops.Add(g, shift);
        return spd.ToCpu();
    }

    private static Row Factor(string name, string size, double flops, Matrix host, Action<Matrix> op, Device gpu, CudaBackend cb, bool cpu, Action<string> log)
    {
        using var d = host.To(gpu);
        double g = Median(() => { op(d); cb.Synchronize(); });
        double? c = cpu ? Median(() => op(host), repeats: 1) : null;
        var row = new Row(name, size, g, c, "CPU " + Device.Cpu.Backend.Name, flops);
        log($"{name} {size}: GPU {g * 1e3:F1} ms" + (c is { } cs ? $", CPU ({Device.Cpu.Backend.Name}, {Environment.ProcessorCount} threads) {cs * 1e3:F1} ms → GPU {cs / g:F1}× faster" : ""));
        return row;
    }

    private static double Median(Action a, int repeats = 5)
    {
        a(); // warm-up: kernel compilation, workspace allocation, library init
        var t = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var sw = Stopwatch.StartNew();
            a();
            t[i] = sw.Elapsed.TotalSeconds;
        }
        Array.Sort(t);
        return t[repeats / 2];
    }
}
