using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DenseMatrix = MathNet.Numerics.LinearAlgebra.Double.DenseMatrix;
using Reproduce.Compute;

namespace Reproduce.Cli.Verbs;

/// <summary>`reproduce bench compute [--quick] [--json FILE] [--repeats N]`: a timed harness
/// (one warm-up, then the median of repeats) for the CPU backends of issue 3 — GEMM, SYRK,
/// Cholesky, symmetric eigen and SVD with the managed backend, the OpenBLAS backend, MathNet's
/// managed provider, and direct OpenBLAS/LAPACKE calls on raw arrays (the baseline that shows what
/// our OpenBLAS wrapper costs). Prints GFLOP/s and ratios against OpenBLAS measured in the same run.</summary>
public sealed class BenchVerb : ICliVerb
{
    /// <inheritdoc />
    public Command Build()
    {
        var bench = new Command("bench", "Timed benchmarks (not tests).");
        var compute = new Command("compute", "CPU backends: GEMM, SYRK, Cholesky, symmetric eigen, SVD — managed vs OpenBLAS vs MathNet vs direct OpenBLAS.");
        var quick = new Option<bool>("--quick") { Description = "Smaller sizes (seconds instead of minutes)." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the results as JSON to this file." };
        var repeats = new Option<int>("--repeats") { Description = "Timed repeats per case (median reported; fewer for slow cases).", DefaultValueFactory = _ => 5 };
        compute.Add(quick); compute.Add(json); compute.Add(repeats);
        compute.SetAction(pr =>
        {
            int r = pr.GetValue(repeats);
            if (r < 1) { Console.Error.WriteLine($"--repeats must be ≥ 1, got {r}."); return 2; }
            var rows = ComputeBench.Run(pr.GetValue(quick), r, Console.WriteLine);
            ComputeBench.Print(rows, Console.Out);
            if (pr.GetValue(json) is { } file)
            {
                File.WriteAllText(file.FullName, JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
                Console.WriteLine($"wrote {file.FullName}");
            }
            return 0;
        });
        bench.Add(compute);
        return bench;
    }
}

/// <summary>One benchmark result.</summary>
internal sealed record BenchRow(string Operation, string Size, string Implementation, double Seconds, double Flops, int Repeats)
{
    public double Gflops => Flops / Seconds / 1e9;
}

internal static unsafe class ComputeBench
{
    public static List<BenchRow> Run(bool quick, int repeats, Action<string> log)
    {
        MathNet.Numerics.Control.UseManaged();
        var managed = new ManagedCpuBackend();
        var openblas = OpenBlasCpuBackend.TryCreate(out var whyNot);
        var native = OpenBlasNative.TryLoad(out _);
        log($"threads: {Environment.ProcessorCount} cores; managed: {managed.Describe()}");
        log(openblas is null ? $"openblas: not available ({whyNot})" : $"openblas: {openblas.Describe()}");
        log($"mathnet: MathNet.Numerics {typeof(MathNet.Numerics.Control).Assembly.GetName().Version}, managed provider ({MathNet.Numerics.Control.Describe().Split((char)10).FirstOrDefault(l => l.Contains("Provider", StringComparison.Ordinal))?.Trim()})");
        var rows = new List<BenchRow>();
        var rng = new Rng(2024);

        int gn = quick ? 512 : 2048;
        (int sm, int sn) = quick ? (1000, 200) : (4000, 500);
        int cn = quick ? 500 : 2000;
        int en = quick ? 300 : 1000;
        (int vm, int vn) = quick ? (800, 200) : (2000, 500);

        // ---- GEMM n×n×n ----
        {
            var a = rng.NormalMatrix(gn, gn); var b = rng.NormalMatrix(gn, gn); var c = Matrix.Zeros(gn, gn);
            double flops = 2.0 * gn * gn * gn; string size = $"{gn}×{gn}×{gn}";
            var impls = new List<(string, Action)>();
            impls.Add(("managed", () => managed.Gemm(a, false, b, false, c, 1, 0)));
            if (openblas is not null)
            {
                impls.Add(("openblas", () => openblas.Gemm(a, false, b, false, c, 1, 0)));
                var pa = a.Span.ToArray(); var pb = b.Span.ToArray(); var pc = new double[gn * gn];
                impls.Add(("openblas-direct", () =>
                {
                    fixed (double* x = pa, y = pb, z = pc) native!.Dgemm(OpenBlasNative.ColMajor, OpenBlasNative.NoTrans, OpenBlasNative.NoTrans, gn, gn, gn, 1, x, gn, y, gn, 0, z, gn);
                }));
            }
            var ma = DenseMatrix.Build.Dense(gn, gn, a.ToArray()); var mb = DenseMatrix.Build.Dense(gn, gn, b.ToArray());
            impls.Add(("mathnet", () => ma.Multiply(mb)));
            rows.AddRange(Group("GEMM", size, flops, repeats, log, impls));
        }

        // ---- SYRK: C = AᵀA for A m×n ----
        {
            var a = rng.NormalMatrix(sm, sn); var c = Matrix.Zeros(sn, sn);
            double flops = 1.0 * sn * sn * sm; string size = $"AᵀA, A {sm}×{sn}";
            var impls = new List<(string, Action)>();
            impls.Add(("managed", () => managed.Syrk(a, true, c, 1, 0)));
            if (openblas is not null)
            {
                impls.Add(("openblas", () => openblas.Syrk(a, true, c, 1, 0)));
                var pa = a.Span.ToArray(); var pc = new double[sn * sn];
                impls.Add(("openblas-direct", () =>
                {
                    fixed (double* x = pa, z = pc) native!.Dsyrk(OpenBlasNative.ColMajor, OpenBlasNative.Lower, OpenBlasNative.Trans, sn, sm, 1, x, sm, 0, z, sn);
                }));
            }
            var ma = DenseMatrix.Build.Dense(sm, sn, a.ToArray());
            impls.Add(("mathnet", () => ma.TransposeThisAndMultiply(ma)));
            rows.AddRange(Group("SYRK", size, flops, repeats, log, impls));
        }

        // ---- Cholesky n ----
        {
            var g = rng.NormalMatrix(cn, cn); var spd = Matrix.Zeros(cn, cn);
            managed.Syrk(g, true, spd, 1, 0);
            for (int i = 0; i < cn; i++) spd[i, i] += cn;
            double flops = cn * (double)cn * cn / 3; string size = $"{cn}";
            var impls = new List<(string, Action)>();
            impls.Add(("managed", () => managed.Cholesky(spd)));
            if (openblas is not null)
            {
                impls.Add(("openblas", () => openblas.Cholesky(spd)));
                var src = spd.Span.ToArray(); var w = new double[src.Length];
                impls.Add(("openblas-direct", () =>
                {
                    Array.Copy(src, w, src.Length); // potrf works in place, so both paths copy the input
                    fixed (double* x = w) Must(native!.Dpotrf(OpenBlasNative.ColMajor, (byte)'L', cn, x, cn), "dpotrf");
                }));
            }
            var ms = DenseMatrix.Build.Dense(cn, cn, spd.ToArray());
            impls.Add(("mathnet", () => ms.Cholesky()));
            rows.AddRange(Group("Cholesky", size, flops, repeats, log, impls));
        }

        // ---- symmetric eigen n (values and vectors) ----
        {
            var g = rng.NormalMatrix(en, en); var sym = Matrix.Zeros(en, en);
            managed.Syrk(g, true, sym, 1, 0);
            double flops = 9.0 * en * en * en; string size = $"{en} (values+vectors; nominal 9n³ flops)";
            var impls = new List<(string, Action)>();
            impls.Add(("managed", () => managed.SymmetricEigen(sym)));
            if (openblas is not null)
            {
                impls.Add(("openblas", () => openblas.SymmetricEigen(sym)));
                var src = sym.Span.ToArray(); var w = new double[src.Length]; var ev = new double[en];
                impls.Add(("openblas-direct", () =>
                {
                    Array.Copy(src, w, src.Length);
                    fixed (double* x = w, e = ev) Must(native!.Dsyevd(OpenBlasNative.ColMajor, (byte)'V', (byte)'L', en, x, en, e), "dsyevd");
                }));
            }
            var ms = DenseMatrix.Build.Dense(en, en, sym.ToArray());
            impls.Add(("mathnet", () => ms.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric)));
            rows.AddRange(Group("SymEigen", size, flops, repeats, log, impls));
        }

        // ---- thin SVD m×n ----
        {
            var a = rng.NormalMatrix(vm, vn);
            double flops = 6.0 * vm * vn * vn + 20.0 * vn * vn * vn; string size = $"{vm}×{vn} thin (nominal 6mn²+20n³)";
            var impls = new List<(string, Action)>();
            impls.Add(("managed", () => managed.Svd(a)));
            if (openblas is not null)
            {
                impls.Add(("openblas", () => openblas.Svd(a)));
                var src = a.Span.ToArray(); var w = new double[src.Length];
                var s = new double[vn]; var u = new double[vm * vn]; var vt = new double[vn * vn];
                impls.Add(("openblas-direct", () =>
                {
                    Array.Copy(src, w, src.Length);
                    fixed (double* x = w, ps = s, pu = u, pv = vt) Must(native!.Dgesdd(OpenBlasNative.ColMajor, (byte)'S', vm, vn, x, vm, ps, pu, vm, pv, vn), "dgesdd");
                }));
            }
            var ma = DenseMatrix.Build.Dense(vm, vn, a.ToArray());
            impls.Add(("mathnet", () => ma.Svd(computeVectors: true)));
            rows.AddRange(Group("SVD", size, flops, repeats, log, impls));
        }
        return rows;
    }

    private static void Must(int info, string routine)
    {
        if (info != 0) throw new ComputeException($"{routine} returned info = {info}.");
    }

    /// <summary>One warm-up run of each implementation, then up to <paramref name="repeats"/> timed
    /// runs each (fewer when one run is slow), interleaved so that load from other processes on a
    /// shared machine hits every implementation alike; the median is reported.</summary>
    private static List<BenchRow> Group(string op, string size, double flops, int repeats, Action<string> log, List<(string Impl, Action Body)> impls)
    {
        int k = impls.Count;
        var counts = new int[k];
        var times = new List<double>[k];
        var sw = new Stopwatch();
        for (int i = 0; i < k; i++)
        {
            sw.Restart();
            impls[i].Body();
            double warm = sw.Elapsed.TotalSeconds;
            counts[i] = Math.Clamp((int)(6.0 / Math.Max(warm, 1e-9)), 1, repeats);
            times[i] = [];
        }
        for (int r = 0; r < counts.Max(); r++)
            for (int i = 0; i < k; i++)
            {
                if (r >= counts[i]) continue;
                sw.Restart();
                impls[i].Body();
                times[i].Add(sw.Elapsed.TotalSeconds);
            }
        var rows = new List<BenchRow>();
        for (int i = 0; i < k; i++)
        {
            var t = times[i].Order().ToArray();
            int n = t.Length;
            double median = n % 2 == 1 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
            var row = new BenchRow(op, size, impls[i].Impl, median, flops, n);
            log(string.Create(CultureInfo.InvariantCulture, $"  {op,-9} {row.Implementation,-16} {median * 1e3,10:F1} ms  {row.Gflops,7:F2} GFLOP/s  (median of {n})"));
            rows.Add(row);
        }
        return rows;
    }

    public static void Print(List<BenchRow> rows, TextWriter o)
    {
        o.WriteLine();
        o.WriteLine("| operation | size | implementation | time (ms) | GFLOP/s | vs openblas |");
        o.WriteLine("|---|---|---|---:|---:|---:|");
        foreach (var g in rows.GroupBy(r => r.Operation))
        {
            var baseline = g.FirstOrDefault(r => r.Implementation == "openblas");
            foreach (var r in g)
            {
                string ratio = baseline is null ? "n/a" : (baseline.Seconds / r.Seconds).ToString("F2", CultureInfo.InvariantCulture);
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Operation} | {r.Size} | {r.Implementation} | {r.Seconds * 1e3:F1} | {r.Gflops:F2} | {ratio} |"));
            }
        }
        o.WriteLine();
        foreach (var g in rows.GroupBy(r => r.Operation))
        {
            var ob = g.FirstOrDefault(r => r.Implementation == "openblas");
            var direct = g.FirstOrDefault(r => r.Implementation == "openblas-direct");
            var mg = g.FirstOrDefault(r => r.Implementation == "managed");
            if (ob is not null && direct is not null)
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{g.Key}: OpenBLAS backend overhead vs direct call {(ob.Seconds / direct.Seconds - 1) * 100:+0.0;-0.0}%"));
            if (ob is not null && mg is not null)
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{g.Key}: managed at {ob.Seconds / mg.Seconds * 100:F0}% of OpenBLAS"));
        }
    }
}
