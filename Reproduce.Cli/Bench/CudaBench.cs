using System.Diagnostics;
using Reproduce.Compute;
using Reproduce.Compute.Cuda;

namespace Reproduce.Cli.Bench;

/// <summary>GPU benchmarks for issue 4: our backend against calling cuBLAS directly on the same
/// buffers (DGEMM, SGEMM), GPU against CPU for the factorizations, and the Philox random-normal
/// kernel against drawing on the host and uploading. Median of repeats after a warm-up; every GPU
/// timing ends with a device synchronise.</summary>
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
        rows.AddRange(RandomNormal(gpu, cb, SketchRows, SketchCols, log));
        return rows;
    }

    /// <summary>The IPM's Gaussian sketch W (m = 41,063 rows × 2,000 columns, float64), redrawn every outer iteration.</summary>
    public const int SketchRows = 41_063, SketchCols = 2_000;

    /// <summary>A rows×cols float64 standard-normal matrix on the GPU, drawn three ways: on the host
    /// by <see cref="Rng.NormalMatrix"/> (xoshiro256** + polar method, one thread) and uploaded —
    /// today's path; by the Philox CPU fill on all cores (<see cref="Ops.RandomNormal"/> on the CPU)
    /// and uploaded; and by the Philox kernel on the GPU, allocating (<see cref="Ops.RandomNormal"/>
    /// with the GPU device) and refilling a preallocated matrix (<see cref="Ops.FillRandom(Matrix, RandomKind, Rng)"/>).
    /// The three Philox paths give the same bits. "Flops" counts entries (Gflops = 10⁹ normals/s).</summary>
    private static IEnumerable<Row> RandomNormal(Device gpu, CudaBackend cb, int m, int n, Action<string> log)
    {
        var rng = new Rng(4);
        double entries = (double)m * n;
        string size = $"{m}×{n} F64";
        double host = Median(() => { using var h = rng.NormalMatrix(m, n).To(gpu); cb.Synchronize(); }, repeats: 3);
        double cpu = Median(() => { using var h = Ops.RandomNormal(m, n, rng).To(gpu); cb.Synchronize(); }, repeats: 3);
        double kernel = Median(() => { using var g = Ops.RandomNormal(m, n, rng, gpu); cb.Synchronize(); });
        using var target = Matrix.Zeros(m, n, DType.F64, gpu);
        double refill = Median(() => { Ops.FillRandom(target, RandomKind.Normal, rng); cb.Synchronize(); });
        log($"normal {size}: GPU Philox kernel {kernel * 1e3:F2} ms ({entries / kernel / 1e9:F1} G normals/s; refilling a preallocated matrix {refill * 1e3:F2} ms); " +
            $"host Rng.NormalMatrix + upload {host * 1e3:F0} ms → kernel {host / kernel:F0}× faster; " +
            $"CPU Philox ({Environment.ProcessorCount} threads) + upload {cpu * 1e3:F0} ms → kernel {cpu / kernel:F0}× faster");
        return
        [
            new Row("normal (Philox kernel)", size, kernel, host, "host Rng.NormalMatrix + upload", entries),
            new Row("normal (Philox kernel)", size, kernel, cpu, $"CPU Philox ({Environment.ProcessorCount} threads) + upload", entries),
            new Row("normal (Philox kernel, refill)", size, refill, host, "host Rng.NormalMatrix + upload", entries),
        ];
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
