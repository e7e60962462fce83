using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DenseMatrix = MathNet.Numerics.LinearAlgebra.Double.DenseMatrix;
using Reproduce.Compute;

namespace Reproduce.Cli.Verbs;

/// <summary>`reproduce bench compute [--quick] [--json FILE] [--repeats N] [--only GROUPS]`: a timed harness
/// (one warm-up, then the median of repeats) for the CPU backends of issue 3 — GEMM, SYRK,
/// Cholesky, symmetric eigen and SVD with the managed backend, the OpenBLAS backend, MathNet's
/// managed provider, and direct OpenBLAS/LAPACKE calls on raw arrays (the baseline that shows what
/// our OpenBLAS wrapper costs) — and, for issue 4, a 10⁷-entry normal matrix drawn by the host
/// <see cref="Rng"/> (today's path) against the counter-based <see cref="Philox"/> fill.
/// Prints GFLOP/s and ratios against OpenBLAS measured in the same run,
/// with the minimum beside the median: on a shared machine the minimum is the better estimate of
/// the intrinsic cost, the median of what a user sees.</summary>
public sealed class BenchVerb : ICliVerb
{
    /// <inheritdoc />
    public Command Build()
    {
        var bench = new Command("bench", "Timed benchmarks (not tests).");
        var compute = new Command("compute", "CPU backends: GEMM, SYRK, Cholesky, symmetric eigen, SVD — managed vs OpenBLAS vs MathNet vs direct OpenBLAS; random normal matrices — Rng.NormalMatrix vs the Philox fill.");
        var quick = new Option<bool>("--quick") { Description = "Smaller sizes (seconds instead of minutes)." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the results as JSON to this file." };
        var repeats = new Option<int>("--repeats") { Description = "Timed repeats per case (median reported; fewer for slow cases).", DefaultValueFactory = _ => 5 };
        var only = new Option<string?>("--only") { Description = $"Comma-separated subset of the groups: {string.Join(", ", ComputeBench.Groups)} (default: all)." };
        compute.Add(quick); compute.Add(json); compute.Add(repeats); compute.Add(only);
        compute.SetAction(pr =>
        {
            int r = pr.GetValue(repeats);
            if (r < 1) { Console.Error.WriteLine($"--repeats must be ≥ 1, got {r}."); return 2; }
            var groups = ComputeBench.ParseGroups(pr.GetValue(only), out var bad);
            if (bad is not null) { Console.Error.WriteLine($"--only: unknown group '{bad}'. Use one or more of {string.Join(", ", ComputeBench.Groups)}, separated by commas."); return 2; }
            var rows = ComputeBench.Run(pr.GetValue(quick), r, Console.WriteLine, groups);
            ComputeBench.Print(rows, Console.Out);
            if (pr.GetValue(json) is { } file)
            {
                File.WriteAllText(file.FullName, JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
                Console.WriteLine($"wrote {file.FullName}");
            }
            return 0;
        });
        bench.Add(compute);
        bench.Add(LpBench.Build());
        return bench;
    }
}

/// <summary>One benchmark result.</summary>
internal sealed record BenchRow(string Operation, string Size, string Implementation, double Seconds, double MinSeconds, double Flops, int Repeats)
{
    /// <summary>GFLOP/s at the median time.</summary>
    public double Gflops => Flops / Seconds / 1e9;
}

internal static unsafe class ComputeBench
{
    /// <summary>The groups --only can pick.</summary>
    public static readonly string[] Groups = ["gemm", "syrk", "cholesky", "eigen", "svd", "random"];

    /// <summary>The groups named in a comma-separated list (null or empty: all); <paramref name="bad"/> is the first unknown name.</summary>
    public static HashSet<string> ParseGroups(string? list, out string? bad)
    {
        bad = null;
        if (string.IsNullOrWhiteSpace(list)) return [.. Groups];
        var set = new HashSet<string>();
        foreach (var g in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = g.ToLowerInvariant();
            if (!Groups.Contains(name)) { bad = g; return set; }
            set.Add(name);
        }
        return set;
    }

    public static List<BenchRow> Run(bool quick, int repeats, Action<string> log, IReadOnlySet<string>? groups = null)
    {
        groups ??= Groups.ToHashSet();
        MathNet.Numerics.Control.UseManaged();
        var managed = new ManagedCpuBackend();
        var openblas = OpenBlasCpuBackend.TryCreate(out var whyNot);
        var native = OpenBlasNative.TryLoad(out _);
        log($"threads: {Environment.ProcessorCount} cores; managed: {managed.Describe()}");
        log(openblas is null ? $"openblas: not available ({whyNot})" : $"openblas: {openblas.Describe()}");
        log($"mathnet: MathNet.Numerics {typeof(MathNet.Numerics.Control).Assembly.GetName().Version}, managed provider ({MathNet.Numerics.Control.Describe().Split((char)10).FirstOrDefault(l => l.Contains("Provider", StringComparison.Ordinal))?.Trim()})");
        var rows = new List<BenchRow>();
        var rng = new Rng(2024);
        // "openblas-ops" is the path user code takes (Ops: shape/NaN checks, allocation, then the backend).
        bool viaOps = openblas is not null && Device.Cpu.Backend.Name == "openblas";

        int gn = quick ? 512 : 2048;
        (int sm, int sn) = quick ? (1000, 200) : (4000, 500);
        int cn = quick ? 500 : 2000;
        int en = quick ? 300 : 1000;
        (int vm, int vn) = quick ? (800, 200) : (2000, 500);

        // ---- GEMM n×n×n ----
        if (groups.Contains("gemm"))
        {
            var a = rng.NormalMatrix(gn, gn); var b = rng.NormalMatrix(gn, gn); var c = Matrix.Zeros(gn, gn);
            double flops = 2.0 * gn * gn * gn; string size = $"{gn}×{gn}×{gn}";
            var impls = new List<(string, Action)>();
            impls.Add(("managed", () => managed.Gemm(a, false, b, false, c, 1, 0)));
            if (openblas is not null)
            {
                impls.Add(("openblas", () => openblas.Gemm(a, false, b, false, c, 1, 0)));
                if (viaOps) impls.Add(("openblas-ops", () => Ops.Gemm(a, false, b, false, c)));
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
        if (groups.Contains("syrk"))
        {
            var a = rng.NormalMatrix(sm, sn); var c = Matrix.Zeros(sn, sn);
            double flops = 1.0 * sn * sn * sm; string size = $"AᵀA, A {sm}×{sn}";
            var impls = new List<(string, Action)>();
            impls.Add(("managed", () => managed.Syrk(a, true, c, 1, 0)));
            if (openblas is not null)
            {
                impls.Add(("openblas", () => openblas.Syrk(a, true, c, 1, 0)));
                if (viaOps) impls.Add(("openblas-ops", () => Ops.Gram(a)));
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
        if (groups.Contains("cholesky"))
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
                if (viaOps) impls.Add(("openblas-ops", () => Ops.Cholesky(spd)));
                var src = spd.Span.ToArray(); var w = new double[src.Length];
                // potrf works in place. A caller that keeps A (as Ops.Cholesky does) factors a fresh
                // copy: that is the like-for-like baseline. "reuse" overwrites one warm buffer every
                // time, the lower bound that no API returning a new L can reach.
                impls.Add(("openblas-direct", () =>
                {
                    var fresh = (double[])src.Clone();
                    fixed (double* x = fresh) Must(native!.Dpotrf(OpenBlasNative.ColMajor, (byte)'L', cn, x, cn), "dpotrf");
                }));
                impls.Add(("openblas-direct-reuse", () =>
                {
                    Array.Copy(src, w, src.Length);
                    fixed (double* x = w) Must(native!.Dpotrf(OpenBlasNative.ColMajor, (byte)'L', cn, x, cn), "dpotrf");
                }));
            }
            var ms = DenseMatrix.Build.Dense(cn, cn, spd.ToArray());
            impls.Add(("mathnet", () => ms.Cholesky()));
            rows.AddRange(Group("Cholesky", size, flops, repeats, log, impls));
        }

        // ---- symmetric eigen n (values and vectors) ----
        if (groups.Contains("eigen"))
        {
            var g = rng.NormalMatrix(en, en); var sym = Matrix.Zeros(en, en);
            managed.Syrk(g, true, sym, 1, 0);
            double flops = 9.0 * en * en * en; string size = $"{en} (values+vectors; nominal 9n³ flops)";
            var impls = new List<(string, Action)>();
            impls.Add(("managed", () => managed.SymmetricEigen(sym)));
            if (openblas is not null)
            {
                impls.Add(("openblas", () => openblas.SymmetricEigen(sym)));
                if (viaOps) impls.Add(("openblas-ops", () => Ops.SymmetricEigen(sym)));
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
        if (groups.Contains("svd"))
        {
            var a = rng.NormalMatrix(vm, vn);
            double flops = 6.0 * vm * vn * vn + 20.0 * vn * vn * vn; string size = $"{vm}×{vn} thin (nominal 6mn²+20n³)";
            var impls = new List<(string, Action)>();
            impls.Add(("managed", () => managed.Svd(a)));
            if (openblas is not null)
            {
                impls.Add(("openblas", () => openblas.Svd(a)));
                if (viaOps) impls.Add(("openblas-ops", () => Ops.Svd(a)));
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

        // ---- random matrices: today's host Rng against the counter-based Philox fill ----
        if (groups.Contains("random"))
        {
            // 10⁷ entries (10⁶ with --quick). "Flops" counts entries, so the GFLOP/s column reads
            // 10⁹ entries per second. Rng.NormalMatrix and philox-ops allocate their result, as a
            // caller would; the *-fill rows refill one preallocated matrix (the IPM's sketch-redraw
            // pattern). The Rng rows are one thread (a sequential stream); philox-* use all cores
            // except philox-fill-1thread.
            (int rm, int rn) = quick ? (1000, 1000) : (5000, 2000);
            double entries = (double)rm * rn; string size = $"{rm}×{rn} ({entries:G2} entries)";
            var target = Matrix.Zeros(rm, rn);
            var one = new ManagedCpuBackend(threads: 1);
            var all = new ManagedCpuBackend();
            rows.AddRange(Group("RandNormal", size, entries, repeats, log,
            [
                ("rng-normalmatrix", () => rng.NormalMatrix(rm, rn)),
                ("philox-ops", () => Ops.RandomNormal(rm, rn, rng)),
                ("philox-fill", () => all.FillRandom(RandomKind.Normal, rng.NextUInt64(), 0, target)),
                ("philox-fill-1thread", () => one.FillRandom(RandomKind.Normal, rng.NextUInt64(), 0, target)),
            ]));
            rows.AddRange(Group("RandUniform", size, entries, repeats, log,
            [
                ("rng-filluniform", () => rng.FillUniform(target.Span)),
                ("philox-fill", () => all.FillRandom(RandomKind.Uniform, rng.NextUInt64(), 0, target)),
                ("philox-fill-1thread", () => one.FillRandom(RandomKind.Uniform, rng.NextUInt64(), 0, target)),
            ]));
            rows.AddRange(Group("RandSign", size, entries, repeats, log,
            [
                ("rng-rademacher", () => { var t = target.Span; for (int i = 0; i < t.Length; i++) t[i] = rng.Rademacher(); }),
                ("philox-fill", () => all.FillRandom(RandomKind.Rademacher, rng.NextUInt64(), 0, target)),
                ("philox-fill-1thread", () => one.FillRandom(RandomKind.Rademacher, rng.NextUInt64(), 0, target)),
            ]));
        }
        return rows;
    }

    private static void Must(int info, string routine)
    {
        if (info != 0) throw new ComputeException($"{routine} returned info = {info}.");
    }

    /// <summary>One warm-up run of each implementation, then up to <paramref name="repeats"/> timed
    /// runs each (fewer when one run is slow; a run over 5 s is kept as the only sample), interleaved in rotating order after a garbage collection, so that load from other processes on a
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
            times[i] = [];
            // A run longer than 5 s is its own warm-up (JIT and caches are negligible next to it):
            // keep it as the single sample so that slow baselines do not take minutes each.
            if (warm > 5) { times[i].Add(warm); counts[i] = 0; }
            else counts[i] = Math.Clamp((int)(6.0 / Math.Max(warm, 1e-9)), 1, repeats);
        }
        for (int r = 0; r < (k == 0 ? 0 : counts.Max()); r++)
            for (int q = 0; q < k; q++)
            {
                // Rotate the order every round so that no implementation always runs right after
                // another's leftovers (spinning pool threads, pending garbage); collect first.
                int i = (q + r) % k;
                if (r >= counts[i]) continue;
                GC.Collect();
                GC.WaitForPendingFinalizers();
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
            var row = new BenchRow(op, size, impls[i].Impl, median, t[0], flops, n);
            log(string.Create(CultureInfo.InvariantCulture, $"  {op,-9} {row.Implementation,-16} {median * 1e3,10:F1} ms  {row.Gflops,7:F2} GFLOP/s  (median of {n})"));
            rows.Add(row);
        }
        return rows;
    }

    public static void Print(List<BenchRow> rows, TextWriter o)
    {
        if (rows.Count == 0) return;
        o.WriteLine();
        o.WriteLine("| operation | size | implementation | median (ms) | min (ms) | GFLOP/s (median) | vs openblas (median) | runs |");
        o.WriteLine("|---|---|---|---:|---:|---:|---:|---:|");
        foreach (var g in rows.GroupBy(r => r.Operation))
        {
            var baseline = g.FirstOrDefault(r => r.Implementation == "openblas");
            foreach (var r in g)
            {
                string ratio = baseline is null ? "n/a" : (baseline.Seconds / r.Seconds).ToString("F2", CultureInfo.InvariantCulture);
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Operation} | {r.Size} | {r.Implementation} | {r.Seconds * 1e3:F1} | {r.MinSeconds * 1e3:F1} | {r.Gflops:F2} | {ratio} | {r.Repeats} |"));
            }
        }
        o.WriteLine();
        foreach (var g in rows.GroupBy(r => r.Operation))
        {
            var ob = g.FirstOrDefault(r => r.Implementation == "openblas");
            var direct = g.FirstOrDefault(r => r.Implementation == "openblas-direct");
            var mg = g.FirstOrDefault(r => r.Implementation == "managed");
            var ops = g.FirstOrDefault(r => r.Implementation == "openblas-ops");
            if (ob is not null && direct is not null)
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{g.Key}: OpenBLAS backend time vs direct call {(ob.Seconds / direct.Seconds - 1) * 100:+0.0;-0.0}% (median), {(ob.MinSeconds / direct.MinSeconds - 1) * 100:+0.0;-0.0}% (min)"));
            if (ops is not null && direct is not null)
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{g.Key}: Ops → OpenBLAS time vs direct call {(ops.Seconds / direct.Seconds - 1) * 100:+0.0;-0.0}% (median), {(ops.MinSeconds / direct.MinSeconds - 1) * 100:+0.0;-0.0}% (min)"));
            if (ob is not null && mg is not null)
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{g.Key}: managed at {ob.Seconds / mg.Seconds * 100:F0}% of OpenBLAS (median), {ob.MinSeconds / mg.MinSeconds * 100:F0}% (min)"));
            if (g.First().Implementation.StartsWith("rng-", StringComparison.Ordinal) is true)
            {
                var host = g.First();
                o.WriteLine($"{g.Key}: the GFLOP/s column is 10⁹ entries/s; {Environment.ProcessorCount} cores.");
                foreach (var r in g.Skip(1))
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{g.Key}: {r.Implementation} {host.Seconds / r.Seconds:F2}× the speed of {host.Implementation} (median), {host.MinSeconds / r.MinSeconds:F2}× (min)"));
            }
        }
    }
}
