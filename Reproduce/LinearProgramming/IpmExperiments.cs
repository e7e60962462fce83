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

    /// <summary>Table 1: inner/outer iterations and condition numbers of the sketched IPM, the IPM with unpreconditioned CG
    /// and the IPM with a direct solve, plus the relative error against the reference optimum.</summary>
    [Experiment("ipm/tab1", "Sketched vs unpreconditioned CG vs direct: iterations and condition numbers (Table 1)")]
    public static FigureResult Table1(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var table = new Table("dataset", "m", "N", "w", "sketch_max_inner", "sketch_outer", "kappa_sketch", "std_max_inner", "std_inner_cap", "std_outer_at_cap", "std_outer", "kappa_std",
            "direct_outer", "std_final_primal_residual", "rel_error", "objective", "clp_objective", "sketch_seconds", "std_seconds", "direct_seconds");
        var claims = new List<Claim>();
        var fig = new Figure("ipm/tab1", "Max inner CG iterations per outer iteration: sketched vs unpreconditioned");
        var labels = new List<string>(); var skInner = new List<double>(); var stdInner = new List<double>();
        foreach (var c in Table1Cases(ctx))
        {
            var lp = Svm(ctx, c); string key = c.Label;
            var reference = Reference(ctx, key, lp);
            claims.Add(Claim.That($"{c.Label}: reference solve (Mehrotra + Cholesky, tol {ReferenceTolerance:G2}) optimal", reference.Status == LpStatus.Optimal, "Optimal", $"{reference.Status}: {reference.Message}"));
            var direct = Run(ctx, key, lp, Direct(), $"{c.Label} direct");
            var std = Run(ctx, key, lp, Standard(ctx), $"{c.Label} unpreconditioned CG");
            int cap = BaselineInnerCap(ctx), atCap = std.History.Count(h => h.InnerIterations >= cap);
            double clpObj = double.NaN;
            if (ClpSolver.IsAvailable && !ctx.IsPaper) clpObj = ClpSolver.Solve(lp.ToProblem()).Objective;
            foreach (var w in c.SketchSizes)
            {
                var sk = Run(ctx, key, lp, Sketched(w), $"{c.Label} sketched w={w}");
                double err = RelativeError(sk.StandardX, reference.StandardX);
                double kSk = MaxFinite(sk.History.Select(h => h.KappaPreconditioned));
                double kStd = std.History.Count > 0 ? std.History[^1].KappaUnpreconditioned : double.NaN;
                table.Add(c.Dataset.ToString(), c.M, c.Features, w, sk.MaxInnerIterations, sk.Iterations, kSk, std.MaxInnerIterations, cap, atCap, std.Iterations, kStd,
                    direct.Iterations, std.PrimalResidual, err, sk.Objective, clpObj, sk.Seconds, std.Seconds, direct.Seconds);
                labels.Add($"{c.Dataset} w={w}"); skInner.Add(sk.MaxInnerIterations); stdInner.Add(std.MaxInnerIterations);
                claims.Add(Claim.That($"{c.Label} w={w}: sketched IPM optimal", sk.Status == LpStatus.Optimal, "Optimal", sk.Status.ToString()));
                claims.Add(Claim.LessOrEqual($"{c.Label} w={w}: relative error ‖x̂ − x*‖/‖x*‖", err, 1e-3));
                claims.Add(Claim.LessOrEqual($"{c.Label} w={w}: max κ(Q^-1/2 A D² Aᵀ Q^-1/2)", kSk, 100));
                if (w == c.SketchSizes[0])
                {
                    claims.Add(Claim.GreaterOrEqual($"{c.Label} w={w}: unpreconditioned max inner / sketched max inner", (double)std.MaxInnerIterations / Math.Max(1, sk.MaxInnerIterations), 10));
                    claims.Add(Claim.InRange($"{c.Label} w={w}: sketched outer / direct outer", (double)sk.Iterations / direct.Iterations, 0.6, 1.4));
                }
            }
            if (double.IsFinite(clpObj)) claims.Add(Claim.Near($"{c.Label}: reference objective vs CLP dual simplex", reference.Objective, clpObj, rel: 1e-6));
        }
        fig.Add(new BarTrace { Name = "sketched PCG", X = labels.ToArray(), Y = skInner.ToArray() });
        fig.Add(new BarTrace { Name = "unpreconditioned CG", X = labels.ToArray(), Y = stdInner.ToArray() });
        fig.Layout.BarMode = "group"; fig.Layout.Y().Type = AxisType.Log; fig.Layout.Y().Title = "max inner iterations per outer iteration";
        return new FigureResult(fig, table, claims,
            "Stand-in ℓ1-SVM LPs (A = [−YX, YX, −y], b = −1, margin equalities as in the authors' code); infeasible long-step IPM (Alg. 3) from x = s = 1, y = 0; "
            + "σ = 0.5, γ = 0.5, Gaussian W drawn fresh each iteration, tolCG = 1e-5 on the unpreconditioned residual, stop at μ ≤ 1e-9. κ_Sk is the maximum over outer iterations, κ_Std the final one. "
            + $"Unpreconditioned CG is capped at {BaselineInnerCap(ctx)} inner iterations per outer iteration ({(ctx.IsPaper ? "paper scale: a stated reduction from the brief's 10 000 to bound the run time" : "the brief's cap")}); "
            + "std_outer_at_cap counts the outer iterations whose CG hit the cap (the IPM then continues from the last CG iterate, as the authors' code does), so std_max_inner is a lower bound on what convergence would need. "
            + "Unpreconditioned CG multiplies by an explicitly formed A D² Aᵀ (the same operator; m² instead of 2mn flops per step). One run per data set (the paper's repeat count is not stated; the brief's 3 seeds are not run).");
    }

    /// <summary>Figure 1: per outer iteration, inner CG iterations and condition numbers, sketched at three w vs unpreconditioned.</summary>
    [Experiment("ipm/fig1", "Inner iterations and condition numbers per outer iteration (Fig. 1)")]
    public static FigureResult Figure1(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var c = ArceneCase(ctx); var lp = Svm(ctx, c); string key = c.Label;
        var table = new Table("series", "w", "outer", "inner", "kappa");
        var fig = new Figure("ipm/fig1", $"{c.Label}: inner iterations (left) and κ (right) per outer iteration");
        fig.Layout.Grid(1, 2);
        fig.Layout.X(1).Title = "outer iteration"; fig.Layout.X(2).Title = "outer iteration";
        fig.Layout.Y(1).Title = "inner CG iterations"; fig.Layout.Y(1).Type = AxisType.Log;
        fig.Layout.Y(2).Title = "condition number"; fig.Layout.Y(2).Type = AxisType.Log;
        var claims = new List<Claim>();
        var medians = new List<double>();
        foreach (var w in c.SketchSizes)
        {
            var r = Run(ctx, key, lp, Sketched(w), $"{c.Label} sketched w={w}");
            foreach (var h in r.History) table.Add("sketched", w, h.Iteration, h.InnerIterations, h.KappaPreconditioned);
            var inner = r.History.Select(h => (double)h.InnerIterations).ToArray();
            fig.Add(new ScatterTrace { Name = $"sketched w={w}", X = r.History.Select(h => (double)h.Iteration).ToArray(), Y = inner, LegendGroup = $"w{w}" });
            fig.Add(new ScatterTrace { Name = $"κ sketched w={w}", X = r.History.Select(h => (double)h.Iteration).ToArray(), Y = r.History.Select(h => h.KappaPreconditioned).ToArray(), XAxis = "x2", YAxis = "y2", LegendGroup = $"w{w}", ShowLegend = false });
            double med = Median(inner); medians.Add(med);
            claims.Add(Claim.LessOrEqual($"sketched w={w}: max inner / median inner", inner.Max() / Math.Max(1, med), 3));
            claims.Add(Claim.LessOrEqual($"sketched w={w}: max preconditioned κ", MaxFinite(r.History.Select(h => h.KappaPreconditioned)), 100));
        }
        var std = Run(ctx, key, lp, Standard(ctx), $"{c.Label} unpreconditioned CG");
        foreach (var h in std.History) table.Add("unpreconditioned", 0, h.Iteration, h.InnerIterations, h.KappaUnpreconditioned);
        fig.Add(new ScatterTrace { Name = "unpreconditioned CG", X = std.History.Select(h => (double)h.Iteration).ToArray(), Y = std.History.Select(h => (double)h.InnerIterations).ToArray(), Color = "black" });
        fig.Add(new ScatterTrace { Name = "κ(A D² Aᵀ)", X = std.History.Select(h => (double)h.Iteration).ToArray(), Y = std.History.Select(h => h.KappaUnpreconditioned).ToArray(), XAxis = "x2", YAxis = "y2", Color = "black" });
        var si = std.History.Select(h => (double)h.InnerIterations).ToArray();
        int k3 = Math.Max(1, si.Length / 5);
        claims.Add(Claim.GreaterOrEqual("unpreconditioned: max inner over last fifth / mean inner over first fifth", si.TakeLast(k3).Max() / Math.Max(1, si.Take(k3).Average()), 10));
        var kap = std.History.Select(h => h.KappaUnpreconditioned).Where(double.IsFinite).ToArray();
        claims.Add(Claim.GreaterOrEqual("κ(A D² Aᵀ) growth first → last (orders of magnitude)", Math.Log10(kap[^1] / kap[0]), 3));
        claims.Add(Claim.That("larger w ⇒ fewer inner iterations (medians non-increasing)", medians.Zip(medians.Skip(1)).All(p => p.Second <= p.First), "non-increasing", string.Join(", ", medians.Select(F))));
        return new FigureResult(fig, table, claims, "w values are a proposal (the paper does not list them): smoke {120, 300, 480} on a 60×600 stand-in, paper {200, 400, 1000} at ARCENE-like size (the DEXTER row of the paper's figure is not drawn). "
            + $"Unpreconditioned CG is capped at {BaselineInnerCap(ctx)} inner iterations{(ctx.IsPaper ? " (paper scale; the brief's cap is 10 000)" : "")}: a point at the cap means CG did not converge within it.");
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
        {
            var vals = ws.Select(w => Enumerable.Range(0, t.RowCount).Select(t.Row).First(r => (int)r[0]! == w && (double)r[1]! == tol)).Select(r => Convert.ToDouble(r[t.IndexOf(column)], CultureInfo.InvariantCulture)).ToArray();
            int violations = vals.Zip(vals.Skip(1)).Count(p => p.Second > p.First);
            yield return Claim.LessOrEqual($"tolCG={tol:G2}: increases of {column} with w (allowed: 1 for randomness when ≥ 3 sizes)", violations, ws.Length >= 3 ? 1 : 0);
        }
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
        var claims = new List<Claim>();
        claims.AddRange(MonotoneInW(t, ws, tols, "max_inner"));
        claims.AddRange(MonotoneInW(t, ws, tols, "max_kappa"));
        claims.Add(Claim.LessOrEqual("max relative error over the grid", t.Numbers("rel_error").Max(), 1e-3));
        return new FigureResult(fig, t, claims, "Paper: max inner 15–35 and max κ ≈ 5–40 over the grid at ARCENE size; smoke uses a 2×2 grid on the 100×1000 stand-in.");
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
        claims.AddRange(MonotoneInW(t, ws, tols, "max_inner"));
        claims.AddRange(MonotoneInW(t, ws, tols, "max_kappa"));
        return new FigureResult(fig, t, claims);
    }

    /// <summary>Table 2: the sketched IPM with and without the correction vector v.</summary>
    [Experiment("ipm/tab2", "With and without the correction vector v (Table 2)")]
    public static FigureResult Table2(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var table = new Table("dataset", "w", "variant", "max_inner", "sum_inner", "outer", "max_feasibility_defect", "final_primal_residual");
        var claims = new List<Claim>();
        var fig = new Figure("ipm/tab2", "Primal residual ‖b − Ax‖ per outer iteration, with and without v");
        fig.Layout.Y().Type = AxisType.Log; fig.Layout.Y().Title = "‖b − Ax‖"; fig.Layout.X().Title = "outer iteration";
        foreach (var c in ctx.IsPaper ? Table1Cases(ctx) : [ArceneCase(ctx)])
        {
            var lp = Svm(ctx, c); int w = c.SketchSizes[0];
            double nb = InteriorPointSolver.Norm(lp.B);
            var outer = new Dictionary<bool, int>();
            foreach (var useV in new[] { false, true })
            {
                var r = Run(ctx, c.Label, lp, Sketched(w) with { Method = IpmMethod.AuthorsCode, UseCorrection = useV, ConditionNumbers = false, Tolerance = useV ? 1e-6 : UncorrectedTolerance }, $"{c.Label} w={w} {(useV ? "with" : "without")} v");
                // Feasibility defect of each step: | ‖r_p(new)‖ − (1 − α)‖r_p(old)‖ | / ‖b‖ (0 for an exact-solve IPM).
                double defect = 0;
                for (int k = 1; k < r.History.Count; k++)
                    defect = Math.Max(defect, Math.Abs(r.History[k].PrimalResidual - (1 - r.History[k].StepPrimal) * r.History[k - 1].PrimalResidual) / nb);
                string variant = useV ? "with v" : "without v";
                table.Add(c.Dataset.ToString(), w, variant, r.MaxInnerIterations, r.InnerIterations, r.Iterations, defect, r.PrimalResidual);
                fig.Add(new ScatterTrace { Name = $"{c.Dataset} {variant}", X = r.History.Select(h => (double)h.Iteration).ToArray(), Y = r.History.Select(h => Math.Max(h.PrimalResidual, 1e-300)).ToArray(), Dash = useV ? null : "dash" });
                outer[useV] = r.Iterations;
                claims.Add(Claim.That($"{c.Label} {variant}: optimal", r.Status == LpStatus.Optimal, "Optimal", r.Status.ToString()));
                if (useV) claims.Add(Claim.LessOrEqual($"{c.Label} with v: max step feasibility defect / ‖b‖", defect, 1e-10));
            }
            claims.Add(Claim.InRange($"{c.Label}: outer with v / outer without v", (double)outer[true] / outer[false], 0.95, 1.05));
        }
        return new FigureResult(fig, table, claims, "v = (XS)^{1/2} W (A D W)^† f (paper eqn 27, not the authors' code's variant). With v every step satisfies r_p(new) = (1 − α) r_p(old) to rounding. "
            + "Both variants use the authors' code's step rule (σ = 0.5, fraction to boundary 0.9): without v, Algorithm 3's residual condition stalls the iteration. The paper's Table 2 outer counts also differ from Table 1's.");
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
        var claims = new List<Claim>();
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
            }
            claims.Add(Claim.Less($"{c.Label}: outer iterations feasible start − infeasible start", feas.Iterations - inf.Iterations, 0));
        }
        return new FigureResult(fig, table, claims,
            "Feasible start: a constructed strictly feasible point (least-norm θ with b₀ = 1 split into θ± > 0; y = ε·labels), not the App. B.4 auxiliary LP; "
            + "while it lies outside N(γ) the feasible method takes fraction-to-boundary steps (0.9).");
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
        var q = new SketchPreconditioner(wm.SketchScaled(lp.A, d));
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
        claims.Add(Claim.LessOrEqual("embedding error ‖VᵀWWᵀV − I‖₂ (need ≤ ζ/2 = 1/4 for the theory's ζ)", embed, 0.25));
        claims.Add(Claim.That("PCG preconditioned residual ≤ ζᵗ‖Q^-1/2 p‖ (ζ = 2·embedding error)", pcgOk));
        claims.Add(Claim.That("Chebyshev (theoretical interval) residual ≤ ζᵗ‖Q^-1/2 p‖", chOk));
        var fig = new Figure("ipm/demo-cheb", $"Preconditioned residual vs inner iteration (m = {m}, n = {lp.Cols}, w = {w}, final IPM iterate)");
        var xs = Enumerable.Range(0, t + 1).Select(j => (double)j).ToArray();
        fig.Add(new ScatterTrace { Name = "PCG", X = xs, Y = table.Numbers("pcg") });
        fig.Add(new ScatterTrace { Name = "Chebyshev, theoretical interval", X = xs, Y = table.Numbers("chebyshev_theory_interval") });
        fig.Add(new ScatterTrace { Name = "Chebyshev, measured interval", X = xs, Y = table.Numbers("chebyshev_measured_interval") });
        fig.Add(new ScatterTrace { Name = "ζᵗ‖Q^-1/2 p‖", X = xs, Y = bound, Dash = "dash", Color = "black", Mode = "lines" });
        fig.Layout.Y().Type = AxisType.Log; fig.Layout.X().Title = "inner iteration t"; fig.Layout.Y().Title = "‖Q^-1/2 (p − A D² Aᵀ Δy_t)‖";
        _ = sv;
        return new FigureResult(fig, table, claims, $"Measured embedding error {F(embed)}, ζ = {F(zeta)}; measured spectrum [{F(ev.Min())}, {F(ev.Max())}]. The measured interval uses exact extreme eigenvalues (a proposal; a few Lanczos steps would do in practice).");
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
        foreach (var n in ns)
        {
            var (oa, ra) = P3Run(ctx, m, n, 1e-8, NormalSolverKind.SketchPcg, true, "error-adjusted");
            var (oe, _) = P3Run(ctx, m, n, 1e-8, NormalSolverKind.Cholesky, false, "exact");
            table.Add(n, oa, oe, (double)ra.InnerIterations / Math.Max(1, ra.Iterations));
            claims.Add(Claim.That($"n={n}: error-adjusted converged", ra.Status == LpStatus.Optimal, "Optimal", ra.Status.ToString()));
        }
        var o = table.Numbers("outer_error_adjusted");
        claims.Add(Claim.LessOrEqual($"growth of outer iterations n={ns[0]}→{ns[^1]} relative to √(n ratio)", o[^1] / o[0] / Math.Sqrt((double)ns[^1] / ns[0]), 1.0));
        var fig = new Figure("ipm/demo-p3-n", $"MTY predictor–corrector outer iterations vs n (m = {m}, ε = 1e-8)");
        fig.Add(new ScatterTrace { Name = "error-adjusted (sketch PCG + v)", X = ns.Select(v => (double)v).ToArray(), Y = o });
        fig.Add(new ScatterTrace { Name = "exact (Cholesky)", X = ns.Select(v => (double)v).ToArray(), Y = table.Numbers("outer_exact"), Dash = "dash" });
        fig.Layout.X().Type = AxisType.Log; fig.Layout.X().Title = "n"; fig.Layout.Y().Title = "outer iterations";
        return new FigureResult(fig, table, claims, "Reconstruction [proposal]: P3's algorithm and constants are not available; MTY with θ = 0.25/0.5 (Wright 1997), one predictor + optional corrector counted as one outer iteration, sketch w = 3m, tolCG = 1e-5; random wide LPs with the centred start x = s = 1.");
    }

    /// <summary>P3 reconstruction (RQ2): outer iterations against log₁₀(1/ε).</summary>
    [Experiment("ipm/demo-p3-eps", "Inexact predictor–corrector: outer iterations vs precision (P3 reconstruction)")]
    public static FigureResult P3VersusEpsilon(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        int m = ctx.Pick(30, 100), n = ctx.Pick(500, 10_000);
        var (_, r) = P3Run(ctx, m, n, 1e-8, NormalSolverKind.SketchPcg, true, "error-adjusted");
        var eps = ctx.Pick(new[] { 1e-4, 1e-8 }, new[] { 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7, 1e-8 });
        var table = new Table("log10_inv_eps", "outer");
        foreach (var e in eps)
        {
            int k = r.History.FirstOrDefault(h => h.Mu <= e)?.Iteration ?? -1;
            table.Add(Math.Log10(1 / e), k);
        }
        var o = table.Numbers("outer");
        var claims = new List<Claim>
        {
            Claim.That("every ε reached", o.All(v => v > 0)),
            Claim.That("outer iterations non-decreasing in log(1/ε)", o.Zip(o.Skip(1)).All(p => p.Second >= p.First)),
        };
        var fig = new Figure("ipm/demo-p3-eps", $"Outer iterations to reach μ ≤ ε (m = {m}, n = {n})");
        fig.Add(new ScatterTrace { Name = "error-adjusted MTY", X = table.Numbers("log10_inv_eps"), Y = o });
        fig.Layout.X().Title = "log₁₀(1/ε)"; fig.Layout.Y().Title = "outer iterations";
        return new FigureResult(fig, table, claims, "Read off one run's μ history (the first iteration with μ ≤ ε) [proposal].");
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
        var claims = new List<Claim>
        {
            Claim.LessOrEqual("error-adjusted ‖Ax − b‖/‖b‖", rel[0], 1e-8),
            Claim.Greater("standard inexact ‖Ax − b‖ / error-adjusted", rel[1] / Math.Max(rel[0], 1e-300), 1),
            Claim.InRange("outer error-adjusted / exact", (double)res["error-adjusted"].Iterations / res["exact"].Iterations, 0.9, 1.1),
        };
        var fig = new Figure("ipm/demo-p3-feas", $"Final ‖Ax − b‖/‖b‖ (m = {m}, n = {n})");
        fig.Add(new BarTrace { Name = "‖Ax − b‖/‖b‖", X = variants.Select(v => v.Name).ToArray(), Y = rel.Select(x => Math.Max(x, 1e-18)).ToArray() });
        fig.Layout.Y().Type = AxisType.Log;
        return new FigureResult(fig, table, claims, "Reconstruction [proposal]: error-adjusted = sketch PCG + v (eqn 27); standard inexact = sketch PCG without v; exact = Cholesky.");
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
        string note = ClpSolver.IsAvailable ? "CLP times are process wall times (including MPS reading) from the same run; ours exclude problem generation."
            : "CLP was not run: " + ClpSolver.MissingReason + ".";
        return new FigureResult(fig, table, claims, note);
    }
}
