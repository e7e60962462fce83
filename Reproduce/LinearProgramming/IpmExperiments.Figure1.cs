using System.Globalization;
using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;
using static Reproduce.LinearProgramming.IpmRuns;

namespace Reproduce.LinearProgramming;

public static partial class IpmExperiments
{
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
}
