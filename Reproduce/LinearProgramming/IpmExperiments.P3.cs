using System.Globalization;
using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;
using static Reproduce.LinearProgramming.IpmRuns;

namespace Reproduce.LinearProgramming;

public static partial class IpmExperiments
{
    private static (int Outer, LpResult R) P3Run(RunContext ctx, int m, int n, double eps, NormalSolverKind solver, bool useV, string tag)
    {
        var (lp, x0, y0, s0) = RandomLpGenerator.Feasible(m, n, ctx.Rng($"p3/{m}x{n}"), centred: true, density: n >= 30_000 ? 0.02 : 1.0);
        var o = new IpmOptions
        {
            Method = IpmMethod.MizunoToddYe, Solver = solver, UseCorrection = useV, SketchSize = Math.Min(n, 3 * m), InnerTolerance = 1e-5,
            Start = StartPointKind.Given, InitialPoint = (x0, y0, s0), MuTolerance = eps, Tolerance = 1e-4, MaxIterations = 2000,
        };
        var r = Run(ctx, $"p3/{m}x{n}", lp, o, $"P3 {tag} m={m} n={n} ε={eps:G1}");
        return (r.Iterations, r);
    }

    /// <summary>P3 reconstruction (RQ1): outer iterations of the error-adjusted inexact MTY predictor–corrector against n.</summary>
    [Experiment("ipm/demo-p3-n", "Inexact predictor–corrector: outer iterations vs n (P3 reconstruction)")]
    public static FigureResult P3VersusN(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        int m = ctx.Pick(30, 100);
        var ns = ctx.Pick(new[] { 500, 1500 }, new[] { 1000, 3000, 10_000, 30_000, 100_000 });
        var table = new Table("n", "outer_error_adjusted", "outer_exact", "mean_inner");
        var claims = new List<Claim>();
        int worstDiff = 0; bool allConv = true;
        foreach (var n in ns)
        {
            var (oa, ra) = P3Run(ctx, m, n, 1e-8, NormalSolverKind.SketchPcg, true, "error-adjusted");
            var (oe, re) = P3Run(ctx, m, n, 1e-8, NormalSolverKind.Cholesky, false, "exact");
            table.Add(n, oa, oe, (double)ra.InnerIterations / Math.Max(1, ra.Iterations));
            claims.Add(Claim.That($"n={n}: error-adjusted converged", ra.Status == LpStatus.Optimal, "Optimal", ra.Status.ToString()));
            // Paired with the exact solve on the same LP and start: P3's point is that the inexact method keeps the exact
            // method's outer iteration count; "equal or within 1" as for the sketched IPM of the JMLR paper (Table 1).
            claims.Add(Claim.LessOrEqual($"n={n}: |outer error-adjusted − outer exact| (same LP, same start)", Math.Abs(oa - oe), 1));
            worstDiff = Math.Max(worstDiff, Math.Abs(oa - oe)); allConv &= ra.Status == LpStatus.Optimal && re.Status == LpStatus.Optimal;
        }
        var o = table.Numbers("outer_error_adjusted");
        double growth = o[^1] / o[0], sqrtRatio = Math.Sqrt((double)ns[^1] / ns[0]);
        var fig = new Figure("ipm/demo-p3-n", $"MTY predictor–corrector outer iterations vs n (m = {m}, ε = 1e-8)");
        fig.Add(new ScatterTrace { Name = "error-adjusted (sketch PCG + v)", X = ns.Select(v => (double)v).ToArray(), Y = o });
        fig.Add(new ScatterTrace { Name = "exact (Cholesky)", X = ns.Select(v => (double)v).ToArray(), Y = table.Numbers("outer_exact"), Dash = "dash" });
        fig.Layout.X().Type = AxisType.Log; fig.Layout.X().Title = "n"; fig.Layout.Y().Title = "outer iterations";
        var verdict = Verdict.Demonstrate(
            "reconstruction of P3 (its experiments are not available): the error-adjusted inexact predictor–corrector needs as many outer iterations as the exact one, and grows slower than the worst-case √n.",
            $"outer iterations {string.Join(" / ", o.Select(F))} (error-adjusted) vs {string.Join(" / ", table.Numbers("outer_exact").Select(F))} (exact) at n = {string.Join(" / ", ns)}; largest paired difference {worstDiff}; "
            + $"growth {F(growth)}× over an n ratio whose square root is {F(sqrtRatio)}; every run converged: {(allConv ? "yes" : "no")}.");
        return new FigureResult(fig, table, claims, "Reconstruction [proposal]: P3's algorithm and constants are not available; MTY with θ = 0.25/0.5 (Wright 1997), one predictor + optional corrector counted as one outer iteration, sketch w = 3m, tolCG = 1e-5; random wide LPs with the centred start x = s = 1.", verdict);
    }

    /// <summary>P3 reconstruction (RQ2): outer iterations against log₁₀(1/ε).</summary>
    [Experiment("ipm/demo-p3-eps", "Inexact predictor–corrector: outer iterations vs precision (P3 reconstruction)")]
    public static FigureResult P3VersusEpsilon(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        int m = ctx.Pick(30, 100), n = ctx.Pick(500, 10_000);
        var (_, r) = P3Run(ctx, m, n, 1e-8, NormalSolverKind.SketchPcg, true, "error-adjusted");
        var (_, rx) = P3Run(ctx, m, n, 1e-8, NormalSolverKind.Cholesky, false, "exact");
        var eps = ctx.Pick(new[] { 1e-2, 1e-4, 1e-6, 1e-8 }, new[] { 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8 });
        var table = new Table("log10_inv_eps", "outer", "outer_exact");
        // Runs with a looser ε would be prefixes of the ε = 10⁻⁸ run (same seed, same draws), so counts are read off one
        // history; monotonicity in ε then holds by construction and is not claimed. What can fail: that the inexact run
        // reaches each ε in the exact run's count (paired: same LP, same start), and that the count grows at most linearly
        // in log(1/ε) (P3's O(√n log(1/ε)) bound; per-decade counts bounded by the first decade's count plus one).
        int worst = 0; bool reached = true;
        foreach (var e in eps)
        {
            int k = r.History.FirstOrDefault(h => h.Mu <= e)?.Iteration ?? -1;
            int kx = rx.History.FirstOrDefault(h => h.Mu <= e)?.Iteration ?? -1;
            table.Add(Math.Log10(1 / e), k, kx);
            reached &= k > 0 && kx > 0;
            if (k > 0 && kx > 0) worst = Math.Max(worst, Math.Abs(k - kx));
        }
        var o = table.Numbers("outer");
        var claims = new List<Claim>
        {
            Claim.That("every ε reached by both the error-adjusted and the exact run", reached),
            Claim.LessOrEqual("max over ε of |outer error-adjusted − outer exact| to reach μ ≤ ε (paired)", worst, 1),
        };
        var fig = new Figure("ipm/demo-p3-eps", $"Outer iterations to reach μ ≤ ε (m = {m}, n = {n})");
        fig.Add(new ScatterTrace { Name = "error-adjusted MTY", X = table.Numbers("log10_inv_eps"), Y = o });
        fig.Add(new ScatterTrace { Name = "exact MTY (Cholesky)", X = table.Numbers("log10_inv_eps"), Y = table.Numbers("outer_exact"), Dash = "dash" });
        fig.Layout.X().Title = "log₁₀(1/ε)"; fig.Layout.Y().Title = "outer iterations";
        double perDecade = (o[^1] - o[0]) / (Math.Log10(1 / eps[^1]) - Math.Log10(1 / eps[0]));
        var verdict = Verdict.Demonstrate(
            "reconstruction of P3 (its experiments are not available): outer iterations grow like log(1/ε), and the error-adjusted inexact method reaches each ε when the exact one does.",
            $"outer iterations {string.Join(" / ", o.Select(F))} (error-adjusted) and {string.Join(" / ", table.Numbers("outer_exact").Select(F))} (exact) at ε = {string.Join(" / ", eps.Select(e => e.ToString("G1", CultureInfo.InvariantCulture)))}; "
            + $"{F(perDecade)} outer iterations per decade of ε on average; largest paired difference {worst}.");
        return new FigureResult(fig, table, claims, "Read off each run's μ history (the first iteration with μ ≤ ε) [proposal]; runs to a looser ε would be prefixes of these.", verdict);
    }

    /// <summary>P3 reconstruction: final primal infeasibility of error-adjusted, standard inexact and exact predictor–corrector.</summary>
    [Experiment("ipm/demo-p3-feas", "Inexact predictor–corrector: final feasibility (P3 reconstruction)")]
    public static FigureResult P3Feasibility(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        int m = ctx.Pick(30, 100), n = ctx.Pick(500, 10_000);
        var (lp, _, _, _) = RandomLpGenerator.Feasible(m, n, ctx.Rng($"p3/{m}x{n}"), centred: true);
        double nb = InteriorPointSolver.Norm(lp.B);
        var variants = new (string Name, NormalSolverKind S, bool V)[] { ("error-adjusted", NormalSolverKind.SketchPcg, true), ("standard inexact", NormalSolverKind.SketchPcg, false), ("exact", NormalSolverKind.Cholesky, false) };
        var table = new Table("variant", "final_primal_residual", "relative_to_b", "outer", "mean_inner");
        var res = new Dictionary<string, LpResult>();
        foreach (var (name, s, v) in variants)
        {
            var (_, r) = P3Run(ctx, m, n, 1e-8, s, v, name);
            res[name] = r;
            var ax = lp.A.Multiply(r.StandardX);
            double rp = Math.Sqrt(ax.Zip(lp.B, (a, b) => (a - b) * (a - b)).Sum());
            table.Add(name, rp, rp / nb, r.Iterations, (double)r.InnerIterations / Math.Max(1, r.Iterations));
        }
        var rel = table.Numbers("relative_to_b");
        // The separating threshold is the error-adjusted run's own target (10⁻⁸): v keeps AΔx = r_p exactly, so its residual
        // shrinks with every step; without v each step leaves the CG error (tolCG = 10⁻⁵ relative) in r_p, which cannot reach it.
        var claims = new List<Claim>
        {
            Claim.LessOrEqual("error-adjusted ‖Ax − b‖/‖b‖", rel[0], 1e-8),
            Claim.Greater("standard inexact ‖Ax − b‖/‖b‖ (misses the error-adjusted target)", rel[1], 1e-8),
            Claim.LessOrEqual("|outer error-adjusted − outer exact| (paired, same LP and start)", Math.Abs(res["error-adjusted"].Iterations - res["exact"].Iterations), 1),
        };
        var verdict = Verdict.Demonstrate(
            "reconstruction of P3: without the error adjustment an inexact IPM ends infeasible (‖Ax − b‖ at the CG error level); with it, as feasible as the exact IPM, in the same number of outer iterations.",
            $"final ‖Ax − b‖/‖b‖: error-adjusted {F(rel[0])}, standard inexact {F(rel[1])}, exact {F(rel[2])}; outer iterations {res["error-adjusted"].Iterations} / {res["standard inexact"].Iterations} / {res["exact"].Iterations}.");
        var fig = new Figure("ipm/demo-p3-feas", $"Final ‖Ax − b‖/‖b‖ (m = {m}, n = {n})");
        fig.Add(new BarTrace { Name = "‖Ax − b‖/‖b‖", X = variants.Select(v => v.Name).ToArray(), Y = rel.Select(x => Math.Max(x, 1e-18)).ToArray() });
        fig.Layout.Y().Type = AxisType.Log;
        return new FigureResult(fig, table, claims, "Reconstruction [proposal]: error-adjusted = sketch PCG + v (eqn 27); standard inexact = sketch PCG without v; exact = Cholesky.", verdict);
    }
}
