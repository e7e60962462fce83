using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Reproduce.LinearProgramming;

/// <summary>Runs the external COIN-OR CLP solver (Debian package coinor-clp, binary <c>clp</c>) on an
/// <see cref="LpProblem"/> written as MPS: the trusted oracle and the timing baseline for our IPMs.</summary>
public static partial class ClpSolver
{
    /// <summary>Path of the clp binary, or null when it is not installed.</summary>
    public static string? BinaryPath
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("CLP_BINARY");
            if (!string.IsNullOrEmpty(env) && File.Exists(env)) return env;
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
            {
                var p = Path.Combine(dir, "clp");
                if (File.Exists(p)) return p;
            }
            return null;
        }
    }

    /// <summary>True when clp is installed.</summary>
    public static bool IsAvailable => BinaryPath is not null;

    /// <summary>Why CLP cannot run here (for skipped tests and notes).</summary>
    public const string MissingReason = "the COIN-OR CLP binary 'clp' is not on PATH (install the Debian package coinor-clp, or set CLP_BINARY)";

    /// <summary>Solves with CLP; <paramref name="algorithm"/> is "dualsimplex", "primalsimplex" or "barrier".</summary>
    public static ClpResult Solve(LpProblem problem, string algorithm = "dualsimplex", int timeoutSeconds = 600)
    {
        ArgumentNullException.ThrowIfNull(problem);
        if (algorithm is not ("dualsimplex" or "primalsimplex" or "barrier"))
            throw new ArgumentException($"ClpSolver: algorithm '{algorithm}' is not supported; use dualsimplex, primalsimplex or barrier.", nameof(algorithm));
        var bin = BinaryPath ?? throw new InvalidOperationException("ClpSolver: " + MissingReason + ".");
        var dir = Directory.CreateTempSubdirectory("reproduce-clp-");
        try
        {
            var mps = Path.Combine(dir.FullName, "lp.mps");
            MpsWriter.WriteFile(problem, mps);
            var psi = new ProcessStartInfo(bin) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir.FullName };
            psi.ArgumentList.Add(mps); psi.ArgumentList.Add("-" + algorithm);
            var sw = Stopwatch.StartNew();
            using var proc = Process.Start(psi) ?? throw new InvalidOperationException("ClpSolver: could not start " + bin);
            var stdout = proc.StandardOutput.ReadToEndAsync();
            var stderr = proc.StandardError.ReadToEndAsync();
            if (!proc.WaitForExit(timeoutSeconds * 1000)) { proc.Kill(); throw new TimeoutException($"ClpSolver: clp did not finish within {timeoutSeconds} s."); }
            sw.Stop();
            string output = stdout.Result + stderr.Result;
            return Parse(output, sw.Elapsed.TotalSeconds);
        }
        finally { try { dir.Delete(true); } catch (IOException) { } }
    }

    /// <summary>Runs CLP on an MPS file as it lies (CLP reads fixed format and .gz itself): the benchmark's baseline
    /// without our writer in the loop. <paramref name="algorithm"/> as in <see cref="Solve"/>.</summary>
    public static ClpResult SolveFile(string mpsPath, string algorithm = "dualsimplex", int timeoutSeconds = 600)
    {
        ArgumentException.ThrowIfNullOrEmpty(mpsPath);
        if (algorithm is not ("dualsimplex" or "primalsimplex" or "barrier"))
            throw new ArgumentException($"ClpSolver: algorithm '{algorithm}' is not supported; use dualsimplex, primalsimplex or barrier.", nameof(algorithm));
        if (!File.Exists(mpsPath)) throw new FileNotFoundException($"ClpSolver: MPS file '{mpsPath}' does not exist.", mpsPath);
        var bin = BinaryPath ?? throw new InvalidOperationException("ClpSolver: " + MissingReason + ".");
        var psi = new ProcessStartInfo(bin) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.GetFullPath(mpsPath)); psi.ArgumentList.Add("-" + algorithm);
        var sw = Stopwatch.StartNew();
        using var proc = Process.Start(psi) ?? throw new InvalidOperationException("ClpSolver: could not start " + bin);
        var stdout = proc.StandardOutput.ReadToEndAsync();
        var stderr = proc.StandardError.ReadToEndAsync();
        if (!proc.WaitForExit(timeoutSeconds * 1000)) { proc.Kill(); throw new TimeoutException($"ClpSolver: clp did not finish within {timeoutSeconds} s."); }
        sw.Stop();
        return Parse(stdout.Result + stderr.Result, sw.Elapsed.TotalSeconds);
    }

    /// <summary>Parses CLP's summary line, e.g. "Optimal objective -7.740740734 - 0 iterations time 0.002".</summary>
    internal static ClpResult Parse(string output, double wall)
    {
        var m = Summary().Match(output);
        if (!m.Success) return new ClpResult(LpStatus.NumericalTrouble, double.NaN, 0, double.NaN, wall, output);
        var status = m.Groups[1].Value switch
        {
            "Optimal" => LpStatus.Optimal,
            "PrimalInfeasible" => LpStatus.Infeasible,
            "DualInfeasible" => LpStatus.Unbounded,
            "Stopped" => LpStatus.IterationLimit,
            _ => LpStatus.NumericalTrouble,
        };
        double obj = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        int it = int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
        double t = double.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
        return new ClpResult(status, obj, it, t, wall, output);
    }

    [GeneratedRegex(@"(Optimal|PrimalInfeasible|DualInfeasible|Stopped|Errors|\w+) objective ([-+0-9.eE]+|nan|-?inf) - (\d+) iterations time ([0-9.eE+-]+)")]
    private static partial Regex Summary();
}
