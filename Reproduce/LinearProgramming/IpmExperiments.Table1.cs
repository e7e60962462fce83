using System.Globalization;
using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;
using static Reproduce.LinearProgramming.IpmRuns;

namespace Reproduce.LinearProgramming;

public static partial class IpmExperiments
{
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
}
