using System.Globalization;
using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;
using static Reproduce.LinearProgramming.IpmRuns;

namespace Reproduce.LinearProgramming;

/// <summary>Experiments of Chowdhury, Dexter, London, Avron, Drineas, "Faster Randomized Interior Point Methods for
/// Tall/Wide Linear Programs" (JMLR 2022) and the reconstructed inexact predictor–corrector study of Dexter et al.
/// (ICML 2022). All problems are synthetic stand-ins (brief §5): results are not the real data sets' results.</summary>
public static class IpmExperiments
{
    private static string F(double v) => v.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>Sketch seeds per sketched setting in Table 1 and Figure 1 (the paper states no repeat count; three show the spread).</summary>
    private const int SketchSeeds = 3;

    private static double Sd(double[] v)
    {
        if (v.Length < 2) return 0;
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Length - 1));
    }

    /// <summary>Table 1: inner/outer iterations and condition numbers of the sketched IPM, the IPM with unpreconditioned CG
    /// and the IPM with a direct solve, plus the relative error against the reference optimum.</summary>
    [Experiment("ipm/tab1", "Sketched vs unpreconditioned CG vs direct: iterations and condition numbers (Table 1)")]
    public static FigureResult Table1(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var table = new Table("dataset", "m", "N", "w", "sketch_seed", "sketch_max_inner", "sketch_outer", "kappa_sketch", "std_max_inner", "std_inner_cap", "std_outer_at_cap", "std_outer", "kappa_std",
            "direct_outer", "std_final_primal_residual", "std_converged", "rel_error", "objective", "clp_objective", "sketch_seconds", "std_seconds", "direct_seconds");
        var claims = new List<Claim>();
        var fig = new Figure("ipm/tab1", "Max inner CG iterations per outer iteration: sketched vs unpreconditioned");
        var labels = new List<string>(); var skInner = new List<double>(); var stdInner = new List<double>(); var skSpread = new List<double>();
        bool allSketchOk = true, allOuterOk = true, allRatioOk = true, allStdConverged = true; var measured = new List<string>();
        foreach (var c in Table1Cases(ctx))
        {
            var lp = Svm(ctx, c); string key = c.Label;
            var reference = Reference(ctx, key, lp);
            claims.Add(Claim.That($"{c.Label}: reference solve (Mehrotra + Cholesky, tol {ReferenceTolerance:G2}) optimal", reference.Status == LpStatus.Optimal, "Optimal", $"{reference.Status}: {reference.Message}"));
            var direct = Run(ctx, key, lp, Direct(), $"{c.Label} direct");
            var std = Run(ctx, key, lp, Standard(ctx), $"{c.Label} unpreconditioned CG");
            int cap = BaselineInnerCap(ctx), atCap = std.History.Count(h => h.InnerIterations >= cap);
            bool stdConverged = Converged(std);
            // A baseline that hit the CG cap failing to converge is the paper's point; one that did not hit it and still
            // ends infeasible is a baseline the paper's table does not have.
            allStdConverged &= stdConverged || atCap > 0;
            double clpObj = double.NaN;
            if (ClpSolver.IsAvailable && !ctx.IsPaper) clpObj = ClpSolver.Solve(lp.ToProblem()).Objective;
            double kStd = std.History.Count > 0 ? std.History[^1].KappaUnpreconditioned : double.NaN;
            foreach (var w in c.SketchSizes)
            {
                // Sketch seeds: the W draws change with the seed, the LP does not; every claim holds for every seed.
                var runs = Enumerable.Range(0, SketchSeeds).Select(r => Run(ctx, key, lp, Sketched(w), $"{c.Label} sketched w={w} sketch seed {r}", r)).ToArray();
                var errs = runs.Select(sk => RelativeError(sk.StandardX, reference.StandardX)).ToArray();
                var kSks = runs.Select(sk => MaxFinite(sk.History.Select(h => h.KappaPreconditioned))).ToArray();
                for (int r = 0; r < runs.Length; r++)
                {
                    var sk = runs[r];
                    table.Add(c.Dataset.ToString(), c.M, c.Features, w, r, sk.MaxInnerIterations, sk.Iterations, kSks[r], std.MaxInnerIterations, cap, atCap, std.Iterations, kStd,
                        direct.Iterations, std.PrimalResidual, stdConverged, errs[r], sk.Objective, clpObj, sk.Seconds, std.Seconds, direct.Seconds);
                }
                var inners = runs.Select(sk => (double)sk.MaxInnerIterations).ToArray();
                labels.Add($"{c.Dataset} w={w}"); skInner.Add(inners.Average()); skSpread.Add(Sd(inners)); stdInner.Add(std.MaxInnerIterations);
                int notOptimal = runs.Count(sk => sk.Status != LpStatus.Optimal);
                claims.Add(Claim.LessOrEqual($"{c.Label} w={w}: sketched runs not optimal, of {runs.Length} sketch seeds", notOptimal, 0));
                // The paper's tolerance (Table 1 reports relative errors up to 10⁻³) and its largest κ_Sk (75) rounded up.
                claims.Add(Claim.LessOrEqual($"{c.Label} w={w}: max over sketch seeds of the relative error ‖x̂ − x*‖/‖x*‖", errs.Max(), 1e-3));
                claims.Add(Claim.LessOrEqual($"{c.Label} w={w}: max over sketch seeds of max κ(Q^-1/2 A D² Aᵀ Q^-1/2)", kSks.Max(), 100));
                // Paper: the sketched IPM takes the same number of outer iterations as the direct solve, or one more or fewer.
                int outerDiff = runs.Max(sk => Math.Abs(sk.Iterations - direct.Iterations));
                claims.Add(Claim.LessOrEqual($"{c.Label} w={w}: max over sketch seeds of |sketched outer − direct outer| (paper: equal or within 1)", outerDiff, 1));
                double innerRatio = std.MaxInnerIterations / Math.Max(1, inners.Max());
                if (w == c.SketchSizes[0])
                    claims.Add(Claim.GreaterOrEqual($"{c.Label} w={w}: unpreconditioned max inner / largest sketched max inner over seeds", innerRatio, 10));
                bool skOk = notOptimal == 0 && errs.Max() <= 1e-3 && kSks.Max() <= 100;
                allSketchOk &= skOk; allOuterOk &= outerDiff <= 1; allRatioOk &= innerRatio >= 10;
                measured.Add($"{c.Dataset} w={w}: sketched max inner {inners.Min()}–{inners.Max()} over {runs.Length} sketch seeds, outer {string.Join("/", runs.Select(sk => sk.Iterations))} vs direct {direct.Iterations}, "
                    + $"max κ_Sk ≤ {F(kSks.Max())}, rel. error ≤ {F(errs.Max())}; "
                    + $"unpreconditioned max inner {std.MaxInnerIterations}{(atCap > 0 ? $" (cap {cap} hit in {atCap} outer iterations: a lower bound)" : "")}, final κ_Std {F(kStd)}, "
                    + (stdConverged ? "converged" : $"NOT converged (final relative primal residual {F(std.PrimalResidual)} > {F(ResidualTolerance)}; its outer count {std.Iterations} is not comparable)"));
            }
            if (double.IsFinite(clpObj)) claims.Add(Claim.Near($"{c.Label}: reference objective vs CLP dual simplex", reference.Objective, clpObj, rel: 1e-6));
        }
        fig.Add(new BarTrace { Name = $"sketched PCG (mean ± sd over {SketchSeeds} sketch seeds)", X = labels.ToArray(), Y = skInner.ToArray(), ErrorY = skSpread.ToArray() });
        fig.Add(new BarTrace { Name = "unpreconditioned CG", X = labels.ToArray(), Y = stdInner.ToArray() });
        fig.Layout.BarMode = "group"; fig.Layout.Y().Type = AxisType.Log; fig.Layout.Y().Title = "max inner iterations per outer iteration";
        var verdict = Verdict.Judge(
            "on the real data sets the sketched IPM needs 27–50 inner iterations per outer iteration, the same outer count as a direct solve (±1), κ_Sk 20–75, relative error ≤ 10⁻³; "
            + "unpreconditioned CG needs 1.1K–139K inner iterations (κ_Std 4·10⁸–1.7·10¹³).",
            "synthetic stand-ins: " + string.Join("; ", measured) + ".",
            reproduced: allSketchOk && allOuterOk && allRatioOk && allStdConverged, partly: allSketchOk);
        return new FigureResult(fig, table, claims,
            "Stand-in ℓ1-SVM LPs (A = [−YX, YX, −y], b = −1, margin equalities as in the authors' code); infeasible long-step IPM (Alg. 3) from x = s = 1, y = 0; "
            + "σ = 0.5, γ = 0.5, Gaussian W drawn fresh each iteration, tolCG = 1e-5 on the unpreconditioned residual, stop at μ ≤ 1e-9. κ_Sk is the maximum over outer iterations, κ_Std the final one. "
            + $"Unpreconditioned CG is capped at {BaselineInnerCap(ctx)} inner iterations per outer iteration ({(ctx.IsPaper ? "paper scale: a stated reduction from the brief's 10 000 to bound the run time" : "the brief's cap")}); "
            + "std_outer_at_cap counts the outer iterations whose CG hit the cap (the IPM then continues from the last CG iterate, as the authors' code does), so std_max_inner is a lower bound on what convergence would need. "
            + $"Unpreconditioned CG multiplies by an explicitly formed A D² Aᵀ (the same operator; m² instead of 2mn flops per step). Sketched runs: {SketchSeeds} sketch seeds per w (the paper does not state its repeat count); the baselines are deterministic. "
            + $"The unpreconditioned baseline stops on μ alone (as the authors' code); it counts as converged only when its relative primal and dual residuals are ≤ {F(ResidualTolerance)} (std_converged).", verdict);
    }

    /// <summary>Figure 1: per outer iteration, inner CG iterations and condition numbers, sketched at three w vs unpreconditioned,
    /// one row per data set (ARCENE-like dense, DEXTER-like sparse), as the paper's figure.</summary>
    [Experiment("ipm/fig1", "Inner iterations and condition numbers per outer iteration (Fig. 1)")]
    public static FigureResult Figure1(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var cases = new[] { ArceneCase(ctx), DexterCase(ctx) };
        var table = new Table("dataset", "series", "w", "outer", "inner", "kappa");
        var fig = new Figure("ipm/fig1", "Inner iterations (left) and κ (right) per outer iteration: " + string.Join(" (top), ", cases.Select(c => c.Label)) + " (bottom)");
        fig.Layout.Grid(cases.Length, 2);
        fig.Layout.Height = 420 * cases.Length;
        var claims = new List<Claim>();
        bool flatOk = true, kappaOk = true, growOk = true, monoOk = true; var measured = new List<string>();
        for (int row = 0; row < cases.Length; row++)
        {
            var c = cases[row]; var lp = Svm(ctx, c); string key = c.Label;
            int pl = 2 * row + 1, pr = 2 * row + 2;
            string xl = pl == 1 ? "x" : "x" + pl, yl = pl == 1 ? "y" : "y" + pl, xr = "x" + pr, yr = "y" + pr;
            fig.Layout.X(pl).Title = $"outer iteration ({c.Dataset}-like)"; fig.Layout.X(pr).Title = $"outer iteration ({c.Dataset}-like)";
            fig.Layout.Y(pl).Title = "inner CG iterations"; fig.Layout.Y(pl).Type = AxisType.Log;
            fig.Layout.Y(pr).Title = "condition number"; fig.Layout.Y(pr).Type = AxisType.Log;
            var medians = new List<double>(); var maxKappas = new List<double>();
            foreach (var w in c.SketchSizes)
            {
                var r = Run(ctx, key, lp, Sketched(w), $"{c.Label} sketched w={w}");
                foreach (var h in r.History) table.Add(c.Dataset.ToString(), "sketched", w, h.Iteration, h.InnerIterations, h.KappaPreconditioned);
                var inner = r.History.Select(h => (double)h.InnerIterations).ToArray();
                var its = r.History.Select(h => (double)h.Iteration).ToArray();
                fig.Add(new ScatterTrace { Name = $"{c.Dataset} sketched w={w}", X = its, Y = inner, XAxis = xl, YAxis = yl, LegendGroup = $"{c.Dataset}w{w}" });
                // κ is ∞ (or not estimated) at an iteration whose preconditioned system was singular: no point there.
                if (ScatterTrace.OfFinitePoints($"κ {c.Dataset} sketched w={w}", its, r.History.Select(h => h.KappaPreconditioned).ToArray()) is { } kappaTrace)
                {
                    kappaTrace.XAxis = xr; kappaTrace.YAxis = yr; kappaTrace.LegendGroup = $"{c.Dataset}w{w}"; kappaTrace.ShowLegend = false;
                    fig.Add(kappaTrace);
                }
                double med = Median(inner); medians.Add(med);
                double kmax = MaxFinite(r.History.Select(h => h.KappaPreconditioned)); maxKappas.Add(kmax);
                // Paper: the sketched inner count stays flat across outer iterations (bounded κ); 3× the median allows the first iterations' transients.
                claims.Add(Claim.LessOrEqual($"{c.Dataset} sketched w={w}: max inner / median inner", inner.Max() / Math.Max(1, med), 3));
                claims.Add(Claim.LessOrEqual($"{c.Dataset} sketched w={w}: max preconditioned κ", kmax, 100));
                flatOk &= inner.Max() / Math.Max(1, med) <= 3; kappaOk &= kmax <= 100;
            }
            var std = Run(ctx, key, lp, Standard(ctx), $"{c.Label} unpreconditioned CG");
            foreach (var h in std.History) table.Add(c.Dataset.ToString(), "unpreconditioned", 0, h.Iteration, h.InnerIterations, h.KappaUnpreconditioned);
            var sits = std.History.Select(h => (double)h.Iteration).ToArray();
            fig.Add(new ScatterTrace { Name = $"{c.Dataset} unpreconditioned CG", X = sits, Y = std.History.Select(h => (double)h.InnerIterations).ToArray(), Color = "black", XAxis = xl, YAxis = yl });
            if (ScatterTrace.OfFinitePoints($"κ(A D² Aᵀ) {c.Dataset}", sits, std.History.Select(h => h.KappaUnpreconditioned).ToArray()) is { } stdKappa)
            {
                stdKappa.XAxis = xr; stdKappa.YAxis = yr; stdKappa.Color = "black";
                fig.Add(stdKappa);
            }
            var si = std.History.Select(h => (double)h.InnerIterations).ToArray();
            int k3 = Math.Max(1, si.Length / 5);
            double growth = si.TakeLast(k3).Max() / Math.Max(1, si.Take(k3).Average());
            // The growth is the paper's statement at the data sets' sizes. The smoke DEXTER-like stand-in (60 sparse rows) is
            // too small for it (CG on a 60×60 system with clustered eigenvalues ends in few steps whatever κ), so there it is
            // reported in the verdict only; the ARCENE-like row and every paper-scale row claim it.
            if (ctx.IsPaper || c.Dataset != SvmDataset.Dexter)
                claims.Add(Claim.GreaterOrEqual($"{c.Dataset} unpreconditioned: max inner over last fifth / mean inner over first fifth", growth, 10));
            var kap = std.History.Select(h => h.KappaUnpreconditioned).Where(double.IsFinite).ToArray();
            double decades = Math.Log10(kap[^1] / kap[0]);
            claims.Add(Claim.GreaterOrEqual($"{c.Dataset} κ(A D² Aᵀ) growth first → last (orders of magnitude)", decades, 3));
            bool mono = medians.Zip(medians.Skip(1)).All(p => p.Second <= p.First);
            claims.Add(Claim.That($"{c.Dataset}: larger w ⇒ fewer inner iterations (medians non-increasing)", mono, "non-increasing", string.Join(", ", medians.Select(F))));
            growOk &= growth >= 10 && decades >= 3; monoOk &= mono;
            measured.Add($"{c.Dataset}-like: sketched median inner {string.Join(" / ", medians.Select(F))} at w = {string.Join(" / ", c.SketchSizes)} (max κ {string.Join(" / ", maxKappas.Select(F))}); "
                + $"unpreconditioned inner grows {F(growth)}× (first fifth → last fifth) while κ(A D² Aᵀ) grows {F(decades)} decades");
        }
        var verdict = Verdict.Judge(
            "per outer iteration, unpreconditioned CG's inner count grows by orders of magnitude with κ(A D² Aᵀ) while the sketched count stays flat, and a larger w gives fewer inner iterations (ARCENE and DEXTER rows).",
            string.Join("; ", measured) + ".",
            reproduced: flatOk && kappaOk && growOk && monoOk, partly: flatOk && kappaOk);
        return new FigureResult(fig, table, claims, "w values are a proposal (the paper does not list them): smoke {120, 300, 480} on 60×600 stand-ins, paper {200, 400, 1000} (ARCENE-like) and {500, 1000, 2000} (DEXTER-like). "
            + "The growth of the unpreconditioned inner count is claimed for every row at paper scale but only for the ARCENE-like row at smoke scale (the 60-row sparse DEXTER-like stand-in is too small to show it; the verdict reports it). "
            + $"Unpreconditioned CG is capped at {BaselineInnerCap(ctx)} inner iterations{(ctx.IsPaper ? " (paper scale; the brief's cap is 10 000)" : "")}: a point at the cap means CG did not converge within it.", verdict);
    }

    private static Table SweepWTol(RunContext ctx, out IpmRuns.SvmCase c, out int[] ws, out double[] tols)
    {
        c = ArceneCase(ctx); var lp = Svm(ctx, c);
        ws = ctx.Pick(new[] { 120, 300 }, new[] { 200, 300, 500, 1000 });
        tols = ctx.Pick(new[] { 1e-5, 3e-5 }, new[] { 3e-6, 6e-6, 1e-5, 3e-5 });
        var reference = Reference(ctx, c.Label, lp);
        var t = new Table("w", "tolCG", "max_inner", "max_kappa", "outer", "rel_error");
        foreach (var tol in tols)
            foreach (var w in ws)
            {
                var r = Run(ctx, c.Label, lp, Sketched(w, tol), $"{c.Label} w={w} tolCG={tol:G2}");
                t.Add(w, tol, r.MaxInnerIterations, MaxFinite(r.History.Select(h => h.KappaPreconditioned)), r.Iterations, RelativeError(r.StandardX, reference.StandardX));
            }
        return t;
    }

    private static IEnumerable<Claim> MonotoneInW(Table t, int[] ws, double[] tols, string column)
    {
        foreach (var tol in tols)
            yield return Claim.LessOrEqual($"tolCG={tol:G2}: increases of {column} with w (allowed: 1 for randomness when ≥ 3 sizes)", Increases(t, ws, tol, column), Allowed(ws));
    }

    private static int Allowed(int[] ws) => ws.Length >= 3 ? 1 : 0;

    private static int Increases(Table t, int[] ws, double tol, string column)
    {
        var vals = ws.Select(w => Enumerable.Range(0, t.RowCount).Select(t.Row).First(r => (int)r[0]! == w && (double)r[1]! == tol)).Select(r => Convert.ToDouble(r[t.IndexOf(column)], CultureInfo.InvariantCulture)).ToArray();
        return vals.Zip(vals.Skip(1)).Count(p => p.Second > p.First);
    }

    /// <summary>Rows (tolCG values) whose increases with w exceed the allowance (computed, not claimed).</summary>
    private static int Violations(Table t, int[] ws, double[] tols, string column) =>
        tols.Count(tol => Increases(t, ws, tol, column) > Allowed(ws));

    private static string Range(Table t, string column)
    {
        var v = t.Numbers(column).Where(double.IsFinite).ToArray();
        return $"{F(v.Min())}–{F(v.Max())}";
    }

    /// <summary>Figure 2: heatmaps over (w, tolCG) of the max inner iterations and the max preconditioned κ.</summary>
    [Experiment("ipm/fig2", "Heatmaps over sketch size and CG tolerance (Fig. 2)")]
    public static FigureResult Figure2(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var t = SweepWTol(ctx, out var c, out var ws, out var tols);
        var fig = new Figure("ipm/fig2", $"{c.Label}: max inner iterations (left) and max preconditioned κ (right)");
        fig.Layout.Grid(1, 2);
        var zi = new double[tols.Length, ws.Length]; var zk = new double[tols.Length, ws.Length];
        for (int a = 0; a < tols.Length; a++)
            for (int b = 0; b < ws.Length; b++)
            {
                var row = Enumerable.Range(0, t.RowCount).Select(t.Row).First(r => (int)r[0]! == ws[b] && (double)r[1]! == tols[a]);
                zi[a, b] = Convert.ToDouble(row[2], CultureInfo.InvariantCulture); zk[a, b] = (double)row[3]!;
            }
        var wl = ws.Select(w => w.ToString(CultureInfo.InvariantCulture)).ToArray(); var tl = tols.Select(x => x.ToString("G2", CultureInfo.InvariantCulture)).ToArray();
        fig.Add(new HeatmapTrace { Name = "max inner", XLabels = wl, YLabels = tl, Z = zi, ColorBarTitle = "inner" });
        fig.Add(new HeatmapTrace { Name = "max κ", XLabels = wl, YLabels = tl, Z = zk, XAxis = "x2", YAxis = "y2", ColorBarTitle = "κ" });
        fig.Layout.X(1).Title = "w"; fig.Layout.X(2).Title = "w"; fig.Layout.Y(1).Title = "tolCG";
        // Figure 2 checks the inner-iteration heat map and the accuracy over the grid; Figure 3 (same runs) checks κ.
        var claims = new List<Claim>();
        claims.AddRange(MonotoneInW(t, ws, tols, "max_inner"));
        claims.Add(Claim.LessOrEqual("max relative error over the grid", t.Numbers("rel_error").Max(), 1e-3));
        var verdict = Verdict.Judge("on ARCENE, max inner iterations 15–35 and max preconditioned κ ≈ 5–40 over w × tolCG; both fall as w grows.",
            $"ARCENE-like stand-in {c.Label}, w ∈ {{{string.Join(", ", ws)}}} × tolCG ∈ {{{string.Join(", ", tols.Select(x => x.ToString("G2", CultureInfo.InvariantCulture)))}}}: max inner {Range(t, "max_inner")}, max κ {Range(t, "max_kappa")}, "
            + $"{Violations(t, ws, tols, "max_inner")} rows where the inner count rises with w beyond the allowance; max relative error {F(t.Numbers("rel_error").Max())}.",
            reproduced: claims.All(x => x.Pass) && Violations(t, ws, tols, "max_kappa") == 0, partly: claims.All(x => x.Pass));
        return new FigureResult(fig, t, claims, $"Smoke uses a {tols.Length}×{ws.Length} grid on the {c.Label} stand-in; paper scale the paper's grid at ARCENE size.", verdict);
    }

    /// <summary>Figure 3: max inner iterations and max preconditioned κ against w, one curve per tolCG (same data as Fig. 2).</summary>
    [Experiment("ipm/fig3", "Inner iterations and κ against sketch size (Fig. 3)")]
    public static FigureResult Figure3(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var t = SweepWTol(ctx, out var c, out var ws, out var tols);
        var fig = new Figure("ipm/fig3", $"{c.Label}: max inner iterations and max κ against w");
        fig.Layout.Grid(1, 2);
        fig.Layout.X(1).Title = "w"; fig.Layout.X(2).Title = "w"; fig.Layout.Y(1).Title = "max inner iterations"; fig.Layout.Y(2).Title = "max preconditioned κ";
        foreach (var tol in tols)
        {
            var rows = Enumerable.Range(0, t.RowCount).Select(t.Row).Where(r => (double)r[1]! == tol).ToArray();
            fig.Add(new ScatterTrace { Name = $"tolCG={tol:G2}", X = rows.Select(r => (double)(int)r[0]!).ToArray(), Y = rows.Select(r => Convert.ToDouble(r[2], CultureInfo.InvariantCulture)).ToArray(), LegendGroup = $"{tol}" });
            fig.Add(new ScatterTrace { Name = $"κ tolCG={tol:G2}", X = rows.Select(r => (double)(int)r[0]!).ToArray(), Y = rows.Select(r => (double)r[3]!).ToArray(), XAxis = "x2", YAxis = "y2", LegendGroup = $"{tol}", ShowLegend = false });
        }
        var claims = new List<Claim>();
        claims.AddRange(MonotoneInW(t, ws, tols, "max_kappa"));
        var verdict = Verdict.Judge("max inner iterations and max preconditioned κ fall as the sketch size w grows, for every tolCG (Fig. 3; the same runs as Fig. 2).",
            $"max κ {Range(t, "max_kappa")} with {Violations(t, ws, tols, "max_kappa")} rows rising with w beyond the allowance; max inner {Range(t, "max_inner")} with {Violations(t, ws, tols, "max_inner")} such rows (claimed in Fig. 2).",
            reproduced: Violations(t, ws, tols, "max_kappa") == 0 && Violations(t, ws, tols, "max_inner") == 0, partly: Violations(t, ws, tols, "max_kappa") == 0);
        return new FigureResult(fig, t, claims, "The same (w, tolCG) runs as Figure 2 (shared within one process); the inner-iteration monotonicity is claimed there, κ's here.", verdict);
    }

    /// <summary>Table 2: the sketched IPM with and without the correction vector v.</summary>
    [Experiment("ipm/tab2", "With and without the correction vector v (Table 2)")]
    public static FigureResult Table2(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var table = new Table("dataset", "w", "variant", "max_inner", "sum_inner", "outer", "max_feasibility_defect", "final_primal_residual", "converged", "max_v_over_bound");
        bool countsOk = true, withVOk = true, withoutVConverged = true, vBoundOk = true; var measured = new List<string>();
        var claims = new List<Claim>();
        var fig = new Figure("ipm/tab2", "Primal residual ‖b − Ax‖ per outer iteration, with and without v");
        fig.Layout.Y().Type = AxisType.Log; fig.Layout.Y().Title = "‖b − Ax‖"; fig.Layout.X().Title = "outer iteration";
        foreach (var c in ctx.IsPaper ? Table1Cases(ctx) : [ArceneCase(ctx)])
        {
            var lp = Svm(ctx, c); int w = c.SketchSizes[0];
            double nb = InteriorPointSolver.Norm(lp.B);
            var outer = new Dictionary<bool, int>(); var conv = new Dictionary<bool, bool>(); var resid = new Dictionary<bool, double>();
            foreach (var useV in new[] { false, true })
            {
                var r = Run(ctx, c.Label, lp, Sketched(w) with { Method = IpmMethod.AuthorsCode, UseCorrection = useV, ConditionNumbers = false, Tolerance = useV ? 1e-6 : UncorrectedTolerance }, $"{c.Label} w={w} {(useV ? "with" : "without")} v");
                // Feasibility defect of each step: | ‖r_p(new)‖ − (1 − α)‖r_p(old)‖ | / ‖b‖ (0 for an exact-solve IPM).
                double defect = 0;
                for (int k = 1; k < r.History.Count; k++)
                    defect = Math.Max(defect, Math.Abs(r.History[k].PrimalResidual - (1 - r.History[k].StepPrimal) * r.History[k - 1].PrimalResidual) / nb);
                string variant = useV ? "with v" : "without v";
                // Algorithm 3 assumes ‖v‖₂ ≤ γσμ/4 at every iteration (the logged CorrectionBound); measured, not assumed.
                double vRatio = useV ? r.History.Max(h => h.CorrectionNorm / Math.Max(h.CorrectionBound, 1e-300)) : double.NaN;
                table.Add(c.Dataset.ToString(), w, variant, r.MaxInnerIterations, r.InnerIterations, r.Iterations, defect, r.PrimalResidual, Converged(r), vRatio);
                fig.Add(new ScatterTrace { Name = $"{c.Dataset} {variant}", X = r.History.Select(h => (double)h.Iteration).ToArray(), Y = r.History.Select(h => Math.Max(h.PrimalResidual, 1e-300)).ToArray(), Dash = useV ? null : "dash" });
                outer[useV] = r.Iterations; conv[useV] = Converged(r); resid[useV] = r.PrimalResidual;
                if (useV)
                {
                    claims.Add(Claim.That($"{c.Label} with v: optimal", r.Status == LpStatus.Optimal, "Optimal", r.Status.ToString()));
                    claims.Add(Claim.LessOrEqual($"{c.Label} with v: max step feasibility defect / ‖b‖", defect, 1e-10));
                    vBoundOk &= vRatio <= 1;
                }
            }
            withVOk &= conv[true]; withoutVConverged &= conv[false];
            countsOk &= Math.Abs(outer[true] - outer[false]) <= 1;
            double maxV = table.Numbers("max_v_over_bound").Where(double.IsFinite).DefaultIfEmpty(double.NaN).Last();
            measured.Add($"{c.Dataset}: outer {outer[true]} with v vs {outer[false]} without; final relative primal residual {F(resid[true])} with v, {F(resid[false])} without "
                + $"({(conv[false] ? "converged" : $"not converged to {F(ResidualTolerance)}")}); max ‖v‖/(γσμ/4) = {F(maxV)}");
        }
        var verdict = Verdict.Judge(
            "the correction vector v makes no practical difference to the iteration counts (Table 2); it exists so that inexact steps keep AΔx = r_p, and the analysis assumes ‖v‖₂ ≤ γσμ/4.",
            string.Join("; ", measured) + ".",
            reproduced: countsOk && withVOk && withoutVConverged && vBoundOk, partly: countsOk && withVOk);
        return new FigureResult(fig, table, claims, "v = (XS)^{1/2} W (A D W)^† f (paper eqn 27, not the authors' code's variant). With v every step satisfies r_p(new) = (1 − α) r_p(old) to rounding. "
            + "Both variants use the authors' code's step rule (σ = 0.5, fraction to boundary 0.9): without v, Algorithm 3's residual condition stalls the iteration. The paper's Table 2 outer counts also differ from Table 1's. "
            + $"Without v the run stops on μ alone (as the authors' code) and counts as converged only when its relative residuals are ≤ {F(ResidualTolerance)}.", verdict);
    }

    /// <summary>Figure 4: log₁₀ duality gap per outer iteration from a feasible and from an infeasible start.</summary>
    [Experiment("ipm/fig4", "Feasible vs infeasible start (Fig. 4)")]
    public static FigureResult Figure4(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var cases = ctx.IsPaper
            ? Table1Cases(ctx).Select(c => c with { SketchSizes = [1000] }).ToArray()
            : [new IpmRuns.SvmCase(SvmDataset.Arcene, 60, 600, [300])];
        var table = new Table("dataset", "start", "outer", "log10_gap");
        var fig = new Figure("ipm/fig4", "log₁₀ duality gap xᵀs per outer iteration: feasible vs infeasible start");
        fig.Layout.X().Title = "outer iteration"; fig.Layout.Y().Title = "log₁₀ xᵀs";
        var claims = new List<Claim>(); var measured = new List<string>(); bool fewer = true, allOpt = true;
        foreach (var c in cases)
        {
            var lp = Svm(ctx, c); int w = Math.Min(c.SketchSizes[0], lp.Cols);
            var start = SvmFeasibleStart(lp);
            var feas = Run(ctx, c.Label + "/feasible", lp, Sketched(w) with { Method = IpmMethod.LongStepFeasible, Start = StartPointKind.Given, InitialPoint = start, ConditionNumbers = false }, $"{c.Label} feasible start");
            var inf = Run(ctx, c.Label, lp, Sketched(w) with { ConditionNumbers = false }, $"{c.Label} infeasible start w={w}");
            foreach (var (name, r) in new[] { ("feasible", feas), ("infeasible", inf) })
            {
                var xs = r.History.Select(h => Math.Log10(h.Mu * lp.Cols)).ToArray();
                foreach (var (h, g) in r.History.Zip(xs)) table.Add(c.Dataset.ToString(), name, h.Iteration, g);
                fig.Add(new ScatterTrace { Name = $"{c.Dataset} {name}", X = r.History.Select(h => (double)h.Iteration).ToArray(), Y = xs, Dash = name == "feasible" ? null : "dash" });
                claims.Add(Claim.That($"{c.Label} {name} start: optimal", r.Status == LpStatus.Optimal, "Optimal", r.Status.ToString()));
                allOpt &= r.Status == LpStatus.Optimal;
            }
            claims.Add(Claim.Less($"{c.Label}: outer iterations feasible start − infeasible start", feas.Iterations - inf.Iterations, 0));
            fewer &= feas.Iterations < inf.Iterations;
            measured.Add($"{c.Dataset}: {feas.Iterations} outer iterations from the feasible start vs {inf.Iterations} from the infeasible one");
        }
        var verdict = Verdict.Judge("the feasible start needs fewer outer iterations than the infeasible start.", string.Join("; ", measured) + ".",
            reproduced: fewer && allOpt, partly: allOpt && claims.Any(x => x.Name.Contains("feasible start −", StringComparison.Ordinal) && x.Pass));
        return new FigureResult(fig, table, claims,
            "Feasible start: a constructed strictly feasible point (least-norm θ with b₀ = 1 split into θ± > 0; y = ε·labels), not the App. B.4 auxiliary LP; "
            + "while it lies outside N(γ) the feasible method takes fraction-to-boundary steps (0.9).", verdict);
    }

    /// <summary>Chebyshev iteration vs PCG on one late-iteration sketch-preconditioned system, against the ζᵗ bound.</summary>
    [Experiment("ipm/demo-cheb", "Chebyshev vs PCG on the preconditioned normal equations (proposal)")]
    public static FigureResult ChebyshevDemo(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        int m = ctx.Pick(12, 50), nf = ctx.Pick(600, 5000), w = ctx.Pick(1100, 4000);
        var lp = SvmLpGenerator.Generate(SvmDataset.Arcene, m, nf, ctx.Rng("cheb/problem"));
        var r = InteriorPointSolver.Solve(lp, IpmOptions.Paper(w) with { Solver = NormalSolverKind.Cholesky });
        var d2 = r.StandardX.Zip(r.StandardS, (x, s) => x / s).ToArray();
        var d = d2.Select(Math.Sqrt).ToArray();
        var wm = new SketchMatrix(SketchKind.Gaussian, lp.Cols, w, ctx.Rng("cheb/sketch"));
        var ad = lp.A.ScaledDense(d);
        var (_, _, v) = Ops.Svd(ad);
        var vtw = Ops.MatMul(v, wm.ToDense(), transA: true);
        var e = Ops.Sub(Ops.Gram(vtw, outer: true), Matrix.Identity(m));
        double embed = Ops.SymmetricEigen(e).Values.ToArray().Select(Math.Abs).Max();
        double zeta = 2 * embed;
        var adw = wm.SketchScaled(lp.A, d);
        var q = new SketchPreconditioner(adw);
        var p = ctx.Rng("cheb/rhs").NormalMatrix(m, 1).ToArray();
        Func<double[], double[]> k = u => lp.A.NormalProduct(d2, u);
        int t = ctx.Pick(20, 30);
        var pcg = PreconditionedConjugateGradient.Solve(k, p, q.ApplyInverse, 0, t, CgStoppingNorm.Preconditioned, fixedIterations: t);
        var g = q.ApplyInverseSqrt(p);
        Func<double[], double[]> b = z => q.ApplyInverseSqrt(k(q.ApplyInverseSqrt(z)));
        var chebTheory = ChebyshevIteration.Solve(b, g, 1 / (1 + zeta / 2), 1 / (1 - zeta / 2), 0, t, fixedIterations: t);
        var sv = q.ApplyInverseSqrt(p); // placeholder to keep q warm
        var pk = Ops.MatMul(Ops.MatMul(q.InverseSqrtMatrix(), lp.A.NormalMatrix(d2)), q.InverseSqrtMatrix());
        var ev = Ops.SymmetricEigen(Ops.Scale(Ops.Add(pk, Ops.Transpose(pk)), 0.5)).Values.ToArray();
        // Oracle (brief): a QR preconditioner R from (A D W)ᵀ = Q_w R has RᵀR = A D W Wᵀ D Aᵀ, so R⁻ᵀ (A D² Aᵀ) R⁻¹ is similar to
        // Q^-1/2 (A D² Aᵀ) Q^-1/2 (built from the SVD): the two spectra must agree to rounding.
        var evQr = QrPreconditionedSpectrum(adw, lp.A.NormalMatrix(d2));
        double spectrumGap = ev.Order().Zip(evQr, (x, y) => Math.Abs(x - y)).Max() / ev.Max();
        var chebMeasured = ChebyshevIteration.Solve(b, g, ev.Min(), ev.Max(), 0, t, fixedIterations: t);
        var table = new Table("iteration", "pcg", "chebyshev_theory_interval", "chebyshev_measured_interval", "zeta_bound");
        double r0 = pcg.PreconditionedResidualHistory[0];
        var claims = new List<Claim>();
        bool pcgOk = true, chOk = true;
        var bound = new double[t + 1];
        for (int j = 0; j <= t; j++)
        {
            bound[j] = Math.Pow(zeta, j) * r0;
            double a = Hist(pcg.PreconditionedResidualHistory, j), c1 = Hist(chebTheory.PreconditionedResidualHistory, j), c2 = Hist(chebMeasured.PreconditionedResidualHistory, j);
            table.Add(j, a, c1, c2, bound[j]);
            if (j >= 1 && a > bound[j] * (1 + 1e-9) && a > 1e-13 * r0) pcgOk = false;
            if (j >= 1 && c1 > bound[j] * (1 + 1e-9) && c1 > 1e-13 * r0) chOk = false;
        }
        // The embedding error is a precondition of Lemma 2 (w is chosen large enough), not a result: it becomes a claim
        // only when it fails, so that the bound claims below are never checked outside the lemma's hypothesis.
        if (embed > 0.25) claims.Add(Claim.LessOrEqual("precondition violated: embedding error ‖VᵀWWᵀV − I‖₂ ≤ 1/4 (choose a larger w)", embed, 0.25));
        claims.Add(Claim.That("PCG preconditioned residual ≤ ζᵗ‖Q^-1/2 p‖ (ζ = 2·embedding error)", pcgOk));
        claims.Add(Claim.That("Chebyshev (theoretical interval) residual ≤ ζᵗ‖Q^-1/2 p‖", chOk));
        claims.Add(Claim.LessOrEqual("QR vs SVD preconditioner: max |λᵢ(R⁻ᵀKR⁻¹) − λᵢ(Q^-1/2KQ^-1/2)| / λ_max", spectrumGap, 1e-8));
        // Lemma 2: with embedding error ≤ ζ/2 the preconditioned spectrum lies in [1/(1 + ζ/2), 1/(1 − ζ/2)].
        bool inInterval = ev.Min() >= 1 / (1 + zeta / 2) * (1 - 1e-9) && ev.Max() <= 1 / (1 - zeta / 2) * (1 + 1e-9);
        claims.Add(Claim.That("Lemma 2: preconditioned spectrum inside [1/(1 + ζ/2), 1/(1 − ζ/2)]", inInterval, "inside", $"[{F(ev.Min())}, {F(ev.Max())}] vs [{F(1 / (1 + zeta / 2))}, {F(1 / (1 - zeta / 2))}]"));
        var verdict = Verdict.Demonstrate(
            "with ‖VᵀWWᵀV − I‖₂ ≤ ζ/2, PCG and Chebyshev on Lemma 2's interval reduce the preconditioned residual at least like ζᵗ (the paper's convergence argument, shown on one system).",
            $"embedding error {F(embed)} (ζ = {F(zeta)}), spectrum [{F(ev.Min())}, {F(ev.Max())}]; after {t} steps PCG {F(table.Numbers("pcg")[^1] / r0)}·r₀, Chebyshev {F(table.Numbers("chebyshev_theory_interval")[^1] / r0)}·r₀ against ζᵗ = {F(Math.Pow(zeta, t))}; "
            + $"bound held at every step: PCG {(pcgOk ? "yes" : "no")}, Chebyshev {(chOk ? "yes" : "no")}; QR and SVD preconditioned spectra agree to {F(spectrumGap)}.");
        var fig = new Figure("ipm/demo-cheb", $"Preconditioned residual vs inner iteration (m = {m}, n = {lp.Cols}, w = {w}, final IPM iterate)");
        var xs = Enumerable.Range(0, t + 1).Select(j => (double)j).ToArray();
        fig.Add(new ScatterTrace { Name = "PCG", X = xs, Y = table.Numbers("pcg") });
        fig.Add(new ScatterTrace { Name = "Chebyshev, theoretical interval", X = xs, Y = table.Numbers("chebyshev_theory_interval") });
        fig.Add(new ScatterTrace { Name = "Chebyshev, measured interval", X = xs, Y = table.Numbers("chebyshev_measured_interval") });
        fig.Add(new ScatterTrace { Name = "ζᵗ‖Q^-1/2 p‖", X = xs, Y = bound, Dash = "dash", Color = "black", Mode = "lines" });
        fig.Layout.Y().Type = AxisType.Log; fig.Layout.X().Title = "inner iteration t"; fig.Layout.Y().Title = "‖Q^-1/2 (p − A D² Aᵀ Δy_t)‖";
        _ = sv;
        return new FigureResult(fig, table, claims, $"Measured embedding error {F(embed)}, ζ = {F(zeta)}; measured spectrum [{F(ev.Min())}, {F(ev.Max())}]. The measured interval uses exact extreme eigenvalues (a proposal; a few Lanczos steps would do in practice).", verdict);
    }

    /// <summary>Eigenvalues (ascending) of R⁻ᵀ K R⁻¹ with R the triangular factor of (A D W)ᵀ.</summary>
    private static double[] QrPreconditionedSpectrum(Matrix adw, Matrix k)
    {
        var (_, r) = Ops.Qr(Ops.Transpose(adw));
        var x = Ops.TriangularSolve(r, k, lower: false, transpose: true);                 // Rᵀ X = K
        var y = Ops.TriangularSolve(r, Ops.Transpose(x), lower: false, transpose: true);  // Rᵀ Y = Xᵀ = K R⁻¹, so Y = R⁻ᵀ K R⁻¹
        var sym = Ops.Scale(Ops.Add(y, Ops.Transpose(y)), 0.5);
        return Ops.SymmetricEigen(sym).Values.ToArray().Order().ToArray();
    }

    private static double Hist(IReadOnlyList<double> h, int j) => j < h.Count ? h[j] : h[^1];

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

    /// <summary>Our IPMs against CLP (dual simplex and barrier) on the same LPs: time and iterations (an addition; the paper reports no times).</summary>
    [Experiment("ipm/bench-clp", "Our interior point methods vs CLP: time and iterations")]
    public static FigureResult BenchmarkClp(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var table = new Table("problem", "m", "n", "nnz", "solver", "status", "objective", "iterations", "seconds", "ratio_to_clp_barrier");
        var claims = new List<Claim>();
        var problems = new List<(string Name, StandardFormLp Lp)>
        {
            ("random dense", RandomLpGenerator.Feasible(ctx.Pick(30, 200), ctx.Pick(500, 5000), ctx.Rng("bench/dense")).Lp),
            ("svm ARCENE-like", SvmLpGenerator.Generate(SvmDataset.Arcene, ctx.Pick(40, 100), ctx.Pick(400, 10_000), ctx.Rng("bench/svm"))),
            ("random sparse wide", RandomLpGenerator.Feasible(ctx.Pick(50, 500), ctx.Pick(5_000, 200_000), ctx.Rng("bench/sparse"), density: ctx.Pick(0.01, 0.002)).Lp),
        };
        var fig = new Figure("ipm/bench-clp", "Wall time: our IPMs vs CLP");
        var byS = new Dictionary<string, List<double>>();
        foreach (var (name, lp) in problems)
        {
            ctx.Report($"bench: {name} {lp.Rows}×{lp.Cols}");
            var prob = lp.ToProblem();
            ClpResult? cb = null, cd = null;
            if (ClpSolver.IsAvailable) { cd = ClpSolver.Solve(prob, "dualsimplex"); cb = ClpSolver.Solve(prob, "barrier"); }
            double tb = cb?.WallSeconds ?? double.NaN;
            var ours = new (string Name, IpmOptions O)[]
            {
                ("ours Mehrotra + Cholesky", new IpmOptions()),
                ("ours Mehrotra + sketch PCG (CountSketch)", new IpmOptions { Solver = NormalSolverKind.SketchPcg, Sketch = SketchKind.CountSketch, SketchSize = Math.Min(lp.Cols, 4 * lp.Rows), InnerTolerance = 1e-8 }),
            };
            if (cd is not null) ctx.Report($"bench: {name}: CLP dual simplex {cd.Status} {cd.Objective:G10} in {cd.Iterations} iterations, {cd.WallSeconds:F2} s; barrier {cb!.Status} {cb.Iterations} iterations, {cb.WallSeconds:F2} s");
            if (cd is not null) table.Add(name, lp.Rows, lp.Cols, lp.A.Nnz, "CLP dual simplex", cd.Status.ToString(), cd.Objective, cd.Iterations, cd.WallSeconds, cd.WallSeconds / tb);
            if (cb is not null) table.Add(name, lp.Rows, lp.Cols, lp.A.Nnz, "CLP barrier", cb.Status.ToString(), cb.Objective, cb.Iterations, cb.WallSeconds, 1.0);
            foreach (var (sn, o) in ours)
            {
                var r = InteriorPointSolver.Solve(lp, o with { Seed = ctx.Seed });
                table.Add(name, lp.Rows, lp.Cols, lp.A.Nnz, sn, r.Status.ToString(), r.Objective, r.Iterations, r.Seconds, r.Seconds / tb);
                ctx.Report($"bench: {name}: {sn} {r.Status} {r.Objective:G10} in {r.Iterations} iterations ({r.InnerIterations} inner), {r.Seconds:F2} s = {r.Seconds / tb:F2}× CLP barrier");
                claims.Add(Claim.That($"{name}: {sn} optimal", r.Status == LpStatus.Optimal, "Optimal", r.Status.ToString()));
                if (cd is not null && cd.Status == LpStatus.Optimal)
                    claims.Add(Claim.Near($"{name}: {sn} objective vs CLP dual simplex", r.Objective, cd.Objective, rel: 1e-6, abs: 1e-8));
            }
        }
        foreach (var s in table.Strings("solver").Distinct())
        {
            var rows = Enumerable.Range(0, table.RowCount).Select(table.Row).Where(r => (string)r[4]! == s).ToArray();
            fig.Add(new BarTrace { Name = s, X = rows.Select(r => (string)r[0]!).ToArray(), Y = rows.Select(r => Convert.ToDouble(r[8], CultureInfo.InvariantCulture)).ToArray() });
        }
        fig.Layout.BarMode = "group"; fig.Layout.Y().Type = AxisType.Log; fig.Layout.Y().Title = "wall seconds";
        var ourRows = Enumerable.Range(0, table.RowCount).Select(table.Row).Where(r => ((string)r[4]!).StartsWith("ours", StringComparison.Ordinal)).ToArray();
        var verdict = Verdict.Demonstrate("an addition (the paper reports no times): our IPMs against CLP's dual simplex and barrier on the same LPs, same run.",
            ClpSolver.IsAvailable
                ? string.Join("; ", ourRows.Select(r => $"{r[0]}: {r[4]} {r[5]}, {Convert.ToDouble(r[8], CultureInfo.InvariantCulture):F2} s = {Convert.ToDouble(r[9], CultureInfo.InvariantCulture):G3}× CLP barrier")) + "."
                : "CLP not available (" + ClpSolver.MissingReason + "); ours: " + string.Join("; ", ourRows.Select(r => $"{r[0]}: {r[4]} {r[5]}, {Convert.ToDouble(r[8], CultureInfo.InvariantCulture):F2} s")) + ".");
        string note = ClpSolver.IsAvailable ? "CLP times are process wall times (including MPS reading) from the same run; ours exclude problem generation."
            : "CLP was not run: " + ClpSolver.MissingReason + ".";
        return new FigureResult(fig, table, claims, note, verdict);
    }
}
