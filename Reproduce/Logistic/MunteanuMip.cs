using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Logistic;

/// <summary>The approximation of Munteanu et al. (2018) as repaired by Dexter et al. (2024, Appendix C): the plain LP
/// min Σbᵢ s.t. Uβ = a − b, β = c − d, Σ(cᵢ + dᵢ) ≥ 1 is solved by c = d (t = 0), so P1 uses the Big-M MIP
/// min Σbᵢ s.t. Uβ = a − b, hᵢ = cᵢ − βᵢ, hᵢ = dᵢ + βᵢ, cᵢ ≤ M vᵢ, dᵢ ≤ M(1 − vᵢ), Σhᵢ ≥ 1, a, b, c, d, h ≥ 0,
/// v ∈ {0,1}^d, whose optimum is t = min_{‖β‖₁=1} ‖(Uβ)⁻‖₁. M = 2 suffices (‖β‖₁ = 1 at the optimum ⇒ c, d ≤ 2).
/// Solved by COIN-OR CBC (Debian coinor-cbc, binary <c>cbc</c>) through an MPS file under a time limit.</summary>
public static partial class MunteanuMip
{
    /// <summary>Why CBC cannot run here.</summary>
    public const string MissingReason = "the COIN-OR CBC binary 'cbc' is not on PATH (install the Debian package coinor-cbc, or set CBC_BINARY); the Big-M MIP baseline is skipped";

    /// <summary>Path of cbc or null.</summary>
    public static string? BinaryPath
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("CBC_BINARY");
            if (!string.IsNullOrEmpty(env) && File.Exists(env)) return env;
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':'))
            { var p = Path.Combine(dir, "cbc"); if (File.Exists(p)) return p; }
            return null;
        }
    }

    /// <summary>True when cbc is installed.</summary>
    public static bool IsAvailable => BinaryPath is not null;

    /// <summary>The MIP as MPS text (integer columns v0…v_{d−1} between INTORG/INTEND markers).</summary>
    public static string ToMps(Matrix u, double bigM = 2)
    {
        ArgumentNullException.ThrowIfNull(u);
        if (!(bigM > 0)) throw new ArgumentException($"MunteanuMip: M = {bigM}; it must be positive (2 suffices).", nameof(bigM));
        var uc = u.Device.Kind == DeviceKind.Cpu ? u : u.ToCpu();
        int n = uc.Rows, d = uc.Cols;
        // Columns: β (d, free) | a (n) | b (n) | c (d) | dd (d) | h (d) | v (d, binary).
        int cb = 0, ca = d, cbb = d + n, cc = d + 2 * n, cd = cc + d, ch = cd + d, cv = ch + d, nc = cv + d;
        var names = new string[nc];
        for (int j = 0; j < d; j++) { names[cb + j] = "beta" + j; names[cc + j] = "c" + j; names[cd + j] = "d" + j; names[ch + j] = "h" + j; names[cv + j] = "v" + j; }
        for (int i = 0; i < n; i++) { names[ca + i] = "a" + i; names[cbb + i] = "b" + i; }
        var trip = new List<(int, int, double)>();
        var lo = new List<double>(); var up = new List<double>();
        int row = 0;
        for (int i = 0; i < n; i++, row++)
        {
            for (int j = 0; j < d; j++) if (uc[i, j] != 0) trip.Add((row, cb + j, uc[i, j]));
            trip.Add((row, ca + i, -1)); trip.Add((row, cbb + i, 1)); lo.Add(0); up.Add(0);
        }
        for (int j = 0; j < d; j++, row++) { trip.Add((row, ch + j, 1)); trip.Add((row, cc + j, -1)); trip.Add((row, cb + j, 1)); lo.Add(0); up.Add(0); }
        for (int j = 0; j < d; j++, row++) { trip.Add((row, ch + j, 1)); trip.Add((row, cd + j, -1)); trip.Add((row, cb + j, -1)); lo.Add(0); up.Add(0); }
        for (int j = 0; j < d; j++, row++) { trip.Add((row, cc + j, 1)); trip.Add((row, cv + j, -bigM)); lo.Add(double.NegativeInfinity); up.Add(0); }
        for (int j = 0; j < d; j++, row++) { trip.Add((row, cd + j, 1)); trip.Add((row, cv + j, bigM)); lo.Add(double.NegativeInfinity); up.Add(bigM); }
        for (int j = 0; j < d; j++) trip.Add((row, ch + j, 1));
        lo.Add(1); up.Add(double.PositiveInfinity); row++;
        var cost = new double[nc]; for (int i = 0; i < n; i++) cost[cbb + i] = 1;
        var cl = new double[nc]; var cu = Enumerable.Repeat(double.PositiveInfinity, nc).ToArray();
        for (int j = 0; j < d; j++) { cl[cb + j] = double.NegativeInfinity; cu[cv + j] = 1; }
        var lp = new LpProblem(cost, SparseMatrix.FromTriplets(row, nc, trip), lo.ToArray(), up.ToArray(), cl, cu, "munteanu_bigm", columnNames: names);
        var text = MpsWriter.Write(lp);
        // Mark v as integer: its column lines are contiguous (written last).
        int first = text.IndexOf("\n v0 ", StringComparison.Ordinal) + 1;
        int rhs = text.IndexOf("RHS\n", StringComparison.Ordinal);
        return text[..first] + " MARKER 'MARKER' 'INTORG'\n" + text[first..rhs] + " MARKER 'MARKER' 'INTEND'\n" + text[rhs..];
    }

    /// <summary>Solves the MIP with CBC for at most <paramref name="seconds"/>; when cbc is absent returns Ran = false with the reason.</summary>
    public static MunteanuMipResult Solve(Matrix u, double seconds = 10, double bigM = 2)
    {
        ArgumentNullException.ThrowIfNull(u);
        var bin = BinaryPath;
        if (bin is null) return new MunteanuMipResult(false, "NotRun", double.NaN, double.NaN, double.NaN, false, [], double.NaN, 0, MissingReason);
        var dir = Directory.CreateTempSubdirectory("reproduce-cbc-");
        try
        {
            var mps = Path.Combine(dir.FullName, "mip.mps"); var sol = Path.Combine(dir.FullName, "mip.sol");
            File.WriteAllText(mps, ToMps(u, bigM));
            var psi = new ProcessStartInfo(bin) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = dir.FullName };
            foreach (var a in new[] { mps, "-sec", seconds.ToString("R", CultureInfo.InvariantCulture), "-threads", "1", "-solve", "-solu", sol }) psi.ArgumentList.Add(a);
            var sw = Stopwatch.StartNew();
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("MunteanuMip: could not start " + bin);
            var so = p.StandardOutput.ReadToEndAsync(); var se = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit((int)(seconds * 1000) + 30_000))
            {
                // CBC checks its limit only between nodes; a root LP that outlasts the limit is stopped here.
                p.Kill(true); p.WaitForExit();
                return new MunteanuMipResult(true, "Killed (root LP exceeded the limit)", double.NaN, double.NaN, double.NaN, false, [], double.NaN, sw.Elapsed.TotalSeconds,
                    $"cbc had no incumbent {seconds + 30} s after a {seconds} s limit and was stopped");
            }
            string output = so.Result + se.Result;
            return Parse(u, output, File.Exists(sol) ? File.ReadAllText(sol) : "", sw.Elapsed.TotalSeconds);
        }
        finally { try { dir.Delete(true); } catch (IOException) { } }
    }

    private static MunteanuMipResult Parse(Matrix u, string output, string solution, double secs)
    {
        int d = u.Cols;
        var beta = new double[d];
        foreach (var line in solution.Split('\n'))
        {
            var m = SolLine().Match(line);
            if (m.Success) beta[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)] = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
        }
        var res = ResultLine().Match(output);
        string status = res.Success ? res.Groups[1].Value.Trim() : "unknown";
        double inc = Num(ObjLine().Match(output)), bound = Num(BoundLine().Match(output)), gap = Num(GapLine().Match(output));
        bool optimal = status.StartsWith("Optimal", StringComparison.Ordinal);
        if (double.IsNaN(gap) && double.IsFinite(inc) && double.IsFinite(bound)) gap = Math.Abs(inc - bound) / Math.Max(Math.Abs(inc), 1e-12);
        if (optimal && double.IsNaN(gap)) gap = 0;
        if (optimal && double.IsNaN(bound)) bound = inc;
        double ratio = solution.Length > 0 ? MuCertificates.Lower(u, beta) : double.NaN;
        return new MunteanuMipResult(true, status, inc, bound, gap, optimal, beta, ratio, secs, solution.Length > 0 ? "" : "CBC found no incumbent: " + output[^Math.Min(400, output.Length)..]);
    }

    private static double Num(Match m) => m.Success && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;

    [GeneratedRegex(@"^\s*\d+\s+beta(\d+)\s+([-+0-9.eE]+)")] private static partial Regex SolLine();
    [GeneratedRegex(@"Result - ([^\r\n]+)")] private static partial Regex ResultLine();
    [GeneratedRegex(@"Objective value:\s+([-+0-9.eE]+)")] private static partial Regex ObjLine();
    [GeneratedRegex(@"Lower bound:\s+([-+0-9.eE]+)")] private static partial Regex BoundLine();
    [GeneratedRegex(@"Gap:\s+([-+0-9.eE]+)")] private static partial Regex GapLine();
}
