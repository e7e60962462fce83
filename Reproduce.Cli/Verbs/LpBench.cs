using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Reproduce.LinearProgramming;

namespace Reproduce.Cli.Verbs;

/// <summary>`reproduce bench lp [--only NAMES] [--json FILE]`: the default LP method against CLP's barrier and dual
/// simplex on the development half of Netlib, all three measured in the same run. Times are as each solver reports
/// them (ours: the solve's own seconds, presolve included, JIT warm-up included; CLP: the time on its summary line),
/// each floored at 10 ms so process start-up and timer resolution do not decide a ratio; the geometric means are
/// over the problems every solver finished.</summary>
internal static class LpBench
{
    private const double Floor = 0.010;

    public static Command Build()
    {
        var cmd = new Command("lp", "Default LP method vs CLP barrier and dual simplex on ../shared/netlib (agreement and time per problem, geometric means).");
        var only = new Option<string?>("--only") { Description = "Comma-separated problem names (default: all)." };
        var json = new Option<FileInfo?>("--json") { Description = "Also write the rows as JSON to this file." };
        var markdown = new Option<FileInfo?>("--markdown") { Description = "Also write the table as Markdown (for docs/benchmarks.md) to this file." };
        var wide = new Option<bool>("--wide") { Description = "Instead of Netlib: the wide random sparse LP of the IPM benchmark (ipm/bench-clp at paper scale: 500 × 200,000, density 0.002), ours vs CLP's barrier." };
        cmd.Add(only); cmd.Add(json); cmd.Add(markdown); cmd.Add(wide);
        cmd.SetAction(pr =>
        {
            if (pr.GetValue(wide)) return Wide();
            if (NetlibSet.Folder is null) { Console.Error.WriteLine("reproduce bench lp: " + NetlibSet.MissingReason); return 2; }
            if (!ClpSolver.IsAvailable) { Console.Error.WriteLine("reproduce bench lp: " + ClpSolver.MissingReason); return 2; }
            var problems = NetlibSet.Problems();
            if (pr.GetValue(only) is { } names)
            {
                var set = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
                var unknown = set.Where(n => !problems.Any(p => p.Name.Equals(n, StringComparison.OrdinalIgnoreCase))).ToList();
                if (unknown.Count > 0) { Console.Error.WriteLine($"reproduce bench lp: --only names unknown problems: {string.Join(", ", unknown)}."); return 2; }
                problems = problems.Where(p => set.Contains(p.Name)).ToList();
            }
            var ci = CultureInfo.InvariantCulture;
            string load0 = LoadAverage();
            var md = new System.Text.StringBuilder();
            md.AppendLine("| problem | CLP reference | ours | CLP barrier | verdict | iterations | ours s (wall) | ours s (CPU) | CLP barrier s | CLP dual s | ratio wall/barrier | ratio CPU/barrier |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
            var rows = new List<Dictionary<string, object?>>();
            Console.WriteLine($"{"problem",-10} {"expected",-14} {"ours",-17} {"verdict",-8} {"ours s",8} {"ours cpu",8} {"barrier s",9} {"dual s",8} {"ratio",7}");
            double logOurs = 0, logCpu = 0, logBar = 0, logDual = 0; int both = 0, agree = 0;
            var failures = new List<string>();
            foreach (var p in problems)
            {
                var lp = MpsReader.ReadFile(p.Path);
                var proc = System.Diagnostics.Process.GetCurrentProcess();
                var cpu0 = proc.UserProcessorTime;
                var r = BoundedIpm.Solve(lp);
                proc.Refresh();
                double cpu = (proc.UserProcessorTime - cpu0).TotalSeconds;
                var bar = ClpSolver.SolveFile(p.Path, "barrier");
                var dual = ClpSolver.SolveFile(p.Path, "dualsimplex");
                string? with = p.Infeasible ? (r.Status == LpStatus.Infeasible ? "reference" : null) : r.Status == LpStatus.Optimal ? NetlibSet.Agreement(r.Objective, p.Reference, bar) : null;
                bool ok = with is not null;
                string verdict = with switch { null => "FAIL", "barrier" => "agree*", _ => "agree" };
                if (ok) agree++;
                double to = Math.Max(Floor, r.Seconds), tb = Math.Max(Floor, bar.ClpSeconds), td = Math.Max(Floor, dual.ClpSeconds);
                bool timed = double.IsFinite(tb) && double.IsFinite(td);
                if (timed) { logOurs += Math.Log(to); logCpu += Math.Log(Math.Max(Floor, cpu)); logBar += Math.Log(tb); logDual += Math.Log(td); both++; }
                string ours = r.Status == LpStatus.Optimal ? r.Objective.ToString("G10", ci) : r.Status.ToString();
                Console.WriteLine(string.Format(ci, "{0,-10} {1,-14} {2,-17} {3,-8} {4,8:F3} {8,8:F3} {5,9:F3} {6,8:F3} {7,7:F2}",
                    p.Name, p.Infeasible ? "infeasible" : p.Reference.ToString("G10", ci), ours, verdict, r.Seconds, bar.ClpSeconds, dual.ClpSeconds, to / tb, cpu));
                if (!ok)
                {
                    Console.WriteLine("           " + r.Message);
                    failures.Add($"{p.Name}: {r.Status}: {r.Message}");
                }
                string barCol = bar.Status == LpStatus.Optimal ? bar.Objective.ToString("G10", ci) : bar.Status.ToString();
                md.AppendLine(string.Format(ci, "| {0} | {1} | {2} | {11} | {3} | {4} | {5:F3} | {6:F3} | {7:F3} | {8:F3} | {9:F2} | {10:F2} |",
                    p.Name, p.Infeasible ? "infeasible" : p.Reference.ToString("G10", ci), ours, ok ? verdict : "**fail**", r.Iterations, r.Seconds, cpu, bar.ClpSeconds, dual.ClpSeconds, to / tb, Math.Max(Floor, cpu) / tb, barCol));
                rows.Add(new()
                {
                    ["problem"] = p.Name, ["infeasible"] = p.Infeasible, ["reference"] = p.Infeasible ? null : p.Reference,
                    ["status"] = r.Status.ToString(), ["objective"] = double.IsFinite(r.Objective) ? r.Objective : null, ["agree"] = ok, ["agreesWith"] = with, ["clpBarrierObjective"] = double.IsFinite(bar.Objective) ? bar.Objective : null,
                    ["iterations"] = r.Iterations, ["seconds"] = r.Seconds, ["cpuSeconds"] = cpu, ["clpBarrierSeconds"] = bar.ClpSeconds, ["clpBarrierStatus"] = bar.Status.ToString(),
                    ["clpDualSeconds"] = dual.ClpSeconds, ["clpDualStatus"] = dual.Status.ToString(), ["message"] = r.Message,
                });
            }
            if (both > 0)
            {
                double go = Math.Exp(logOurs / both), gc = Math.Exp(logCpu / both), gb = Math.Exp(logBar / both), gd = Math.Exp(logDual / both);
                Console.WriteLine(string.Format(ci, "agree {0}/{1}; geometric mean over {2} problems (times floored at 10 ms): ours {3:F4} s, CLP barrier {4:F4} s, CLP dual {5:F4} s; ratio ours/barrier {6:F2}, ours/dual {7:F2}; by our CPU time (CLP reports CPU time) ours {8:F4} s, ratio ours/barrier {9:F2}",
                    agree, problems.Count, both, go, gb, gd, go / gb, go / gd, gc, gc / gb));
                md.AppendLine();
                md.AppendLine(string.Format(ci, "Agree {0} of {1}. Geometric means over {2} problems, times floored at 10 ms: ours {3:F4} s wall, {8:F4} s CPU; CLP barrier {4:F4} s; CLP dual simplex {5:F4} s. Ratio ours/barrier **{6:F2}** by wall time, **{9:F2}** by CPU time; ours/dual {7:F2} by wall time.",
                    agree, problems.Count, both, go, gb, gd, go / gb, go / gd, gc, gc / gb));
                md.AppendLine();
                foreach (var f in failures) { md.AppendLine(); md.AppendLine("Failure — " + f); }
                md.AppendLine();
                md.AppendLine("agree* = within 1e-6 of CLP's barrier objective of the same run, where that itself is more than 1e-6 from the reference (CLP's methods disagree; see NetlibSet.Agreement).");
                md.AppendLine();
                md.AppendLine($"Load average (1, 5, 15 min) at the start: {load0}; at the end: {LoadAverage()} (2 cores).");
            }
            if (pr.GetValue(markdown) is { } mdFile) { File.WriteAllText(mdFile.FullName, md.ToString()); Console.WriteLine($"wrote {mdFile.FullName}"); }
            if (pr.GetValue(json) is { } file)
            {
                File.WriteAllText(file.FullName, JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
                Console.WriteLine($"wrote {file.FullName}");
            }
            return agree == problems.Count ? 0 : 1;
        });
        return cmd;
    }

    private static string LoadAverage()
    {
        try { return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "unknown"; }
        catch (UnauthorizedAccessException) { return "unknown"; }
    }

    /// <summary>The wide LP of ipm/bench-clp at paper scale (same generator, shape and density; stream "bench/sparse"
    /// of seed 1), solved by the default method and by CLP's barrier and dual simplex; times as in the Netlib table.</summary>
    private static int Wide()
    {
        if (!ClpSolver.IsAvailable) { Console.Error.WriteLine("reproduce bench lp: " + ClpSolver.MissingReason); return 2; }
        var ci = CultureInfo.InvariantCulture;
        var lp = RandomLpGenerator.Feasible(500, 200_000, new Compute.Rng(1).Fork("bench/sparse"), density: 0.002).Lp.ToProblem();
        var proc = System.Diagnostics.Process.GetCurrentProcess();
        var cpu0 = proc.UserProcessorTime;
        var r = BoundedIpm.Solve(lp);
        proc.Refresh();
        double cpu = (proc.UserProcessorTime - cpu0).TotalSeconds;
        var bar = ClpSolver.Solve(lp, "barrier");
        var dual = ClpSolver.Solve(lp, "dualsimplex");
        Console.WriteLine(string.Format(ci, "wide 500 × 200,000 (nnz {0}): ours {1} {2:G10} in {3} iterations, {4:F3} s wall, {5:F3} s CPU; CLP barrier {6} {7:G10}, {8:F3} s; CLP dual {9} {10:G10}, {11:F3} s; ratio ours/barrier {12:F2} (wall), {13:F2} (CPU)",
            lp.A.Nnz, r.Status, r.Objective, r.Iterations, r.Seconds, cpu, bar.Status, bar.Objective, bar.ClpSeconds, dual.Status, dual.Objective, dual.ClpSeconds,
            Math.Max(Floor, r.Seconds) / Math.Max(Floor, bar.ClpSeconds), Math.Max(Floor, cpu) / Math.Max(Floor, bar.ClpSeconds)));
        Console.WriteLine("ours: " + r.Message);
        bool ok = r.Status == LpStatus.Optimal && dual.Status == LpStatus.Optimal && NetlibSet.RelativeError(r.Objective, dual.Objective) <= 1e-6;
        Console.WriteLine(ok ? "agree with CLP dual simplex to 1e-6" : "FAIL: " + r.Message);
        return ok ? 0 : 1;
    }
}
