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
        cmd.Add(only); cmd.Add(json);
        cmd.SetAction(pr =>
        {
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
            var rows = new List<Dictionary<string, object?>>();
            Console.WriteLine($"{"problem",-10} {"expected",-14} {"ours",-17} {"verdict",-8} {"ours s",8} {"ours cpu",8} {"barrier s",9} {"dual s",8} {"ratio",7}");
            double logOurs = 0, logCpu = 0, logBar = 0, logDual = 0; int both = 0, agree = 0;
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
                bool ok = p.Infeasible ? r.Status == LpStatus.Infeasible : r.Status == LpStatus.Optimal && NetlibSet.RelativeError(r.Objective, p.Reference) <= 1e-6;
                if (ok) agree++;
                double to = Math.Max(Floor, r.Seconds), tb = Math.Max(Floor, bar.ClpSeconds), td = Math.Max(Floor, dual.ClpSeconds);
                bool timed = double.IsFinite(tb) && double.IsFinite(td);
                if (timed) { logOurs += Math.Log(to); logCpu += Math.Log(Math.Max(Floor, cpu)); logBar += Math.Log(tb); logDual += Math.Log(td); both++; }
                string ours = r.Status == LpStatus.Optimal ? r.Objective.ToString("G10", ci) : r.Status.ToString();
                Console.WriteLine(string.Format(ci, "{0,-10} {1,-14} {2,-17} {3,-8} {4,8:F3} {8,8:F3} {5,9:F3} {6,8:F3} {7,7:F2}",
                    p.Name, p.Infeasible ? "infeasible" : p.Reference.ToString("G10", ci), ours, ok ? "agree" : "FAIL", r.Seconds, bar.ClpSeconds, dual.ClpSeconds, to / tb, cpu));
                if (!ok) Console.WriteLine("           " + r.Message);
                rows.Add(new()
                {
                    ["problem"] = p.Name, ["infeasible"] = p.Infeasible, ["reference"] = p.Infeasible ? null : p.Reference,
                    ["status"] = r.Status.ToString(), ["objective"] = double.IsFinite(r.Objective) ? r.Objective : null, ["agree"] = ok,
                    ["iterations"] = r.Iterations, ["seconds"] = r.Seconds, ["cpuSeconds"] = cpu, ["clpBarrierSeconds"] = bar.ClpSeconds, ["clpBarrierStatus"] = bar.Status.ToString(),
                    ["clpDualSeconds"] = dual.ClpSeconds, ["clpDualStatus"] = dual.Status.ToString(), ["message"] = r.Message,
                });
            }
            if (both > 0)
            {
                double go = Math.Exp(logOurs / both), gc = Math.Exp(logCpu / both), gb = Math.Exp(logBar / both), gd = Math.Exp(logDual / both);
                Console.WriteLine(string.Format(ci, "agree {0}/{1}; geometric mean over {2} problems (times floored at 10 ms): ours {3:F4} s, CLP barrier {4:F4} s, CLP dual {5:F4} s; ratio ours/barrier {6:F2}, ours/dual {7:F2}; by our CPU time (CLP reports CPU time) ours {8:F4} s, ratio ours/barrier {9:F2}",
                    agree, problems.Count, both, go, gb, gd, go / gb, go / gd, gc, gc / gb));
            }
            if (pr.GetValue(json) is { } file)
            {
                File.WriteAllText(file.FullName, JsonSerializer.Serialize(rows, new JsonSerializerOptions { WriteIndented = true }));
                Console.WriteLine($"wrote {file.FullName}");
            }
            return agree == problems.Count ? 0 : 1;
        });
        return cmd;
    }
}
