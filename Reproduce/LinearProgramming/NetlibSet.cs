using System.Globalization;

namespace Reproduce.LinearProgramming;

/// <summary>The development half of the Netlib LP collections (`shared/netlib/` beside the project root or one of
/// its ancestors, or REPRODUCE_NETLIB): gzip-compressed MPS files in feasible/ and infeasible/ with CLP's reference objectives in
/// reference.tsv. Read where they lie, never copied into the repository.</summary>
public static class NetlibSet
{
    /// <summary>One problem: name, file, CLP's objective (NaN for an infeasible one), whether it is infeasible, compressed size.</summary>
    public sealed record Problem(string Name, string Path, double Reference, bool Infeasible, long Bytes);

    /// <summary>The folder, or null when it is absent.</summary>
    public static string? Folder
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("REPRODUCE_NETLIB");
            if (!string.IsNullOrEmpty(env)) return File.Exists(System.IO.Path.Combine(env, "reference.tsv")) ? env : null;
            for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            {
                if (!File.Exists(System.IO.Path.Combine(d.FullName, "Reproduce.sln"))) continue;
                // shared/ beside the clone (CI), or beside a folder of worktrees above it.
                for (var up = d.Parent; up is not null; up = up.Parent)
                {
                    var f = System.IO.Path.Combine(up.FullName, "shared", "netlib");
                    if (File.Exists(System.IO.Path.Combine(f, "reference.tsv"))) return f;
                }
                return null;
            }
            return null;
        }
    }

    /// <summary>Why the set is unavailable.</summary>
    public const string MissingReason = "the Netlib development set is absent (expected ../shared/netlib/reference.tsv beside the project root, or set REPRODUCE_NETLIB)";

    /// <summary>Every problem listed in reference.tsv whose file exists, smallest file first.</summary>
    public static IReadOnlyList<Problem> Problems()
    {
        var folder = Folder ?? throw new DirectoryNotFoundException(MissingReason);
        var list = new List<Problem>();
        foreach (var line in File.ReadLines(System.IO.Path.Combine(folder, "reference.tsv")).Skip(1))
        {
            var f = line.Split('\t');
            if (f.Length < 3) continue;
            bool inf = f[2].Trim() == "infeasible";
            var path = System.IO.Path.Combine(folder, f[1], f[0] + ".mps.gz");
            if (!File.Exists(path)) continue;
            list.Add(new Problem(f[0], path, inf ? double.NaN : double.Parse(f[2], CultureInfo.InvariantCulture), inf, new FileInfo(path).Length));
        }
        return list.OrderBy(p => p.Bytes).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The agreement verdict of the tests and the benchmark for a feasible problem: "reference" when
    /// <paramref name="ours"/> is within 1e-6 of reference.tsv; "barrier" when it is not, but is within 1e-6 of CLP's
    /// barrier objective of the same file (<paramref name="clpBarrier"/>, Optimal) while that barrier objective is
    /// itself more than 1e-6 from the reference — CLP's own methods disagree, and the reference (its dual simplex with
    /// presolve at default tolerances) is the outlier (pilot87: `clp pilot87.mps.gz -barrier` and
    /// `clp pilot87.mps.gz -primalT 1e-10 -dualT 1e-10 -dualsimplex` agree with each other, not with the reference);
    /// null otherwise.</summary>
    public static string? Agreement(double ours, double reference, ClpResult? clpBarrier)
    {
        if (RelativeError(ours, reference) <= 1e-6) return "reference";
        if (clpBarrier is { Status: LpStatus.Optimal } b && RelativeError(ours, b.Objective) <= 1e-6 && RelativeError(b.Objective, reference) > 1e-6) return "barrier";
        return null;
    }

    /// <summary>Relative objective agreement used by the tests and the benchmark: |ours − ref| / max(1, |ref|).</summary>
    public static double RelativeError(double ours, double reference) => Math.Abs(ours - reference) / Math.Max(1, Math.Abs(reference));
}
