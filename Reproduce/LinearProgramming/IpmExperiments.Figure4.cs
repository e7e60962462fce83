using System.Globalization;
using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;
using static Reproduce.LinearProgramming.IpmRuns;

namespace Reproduce.LinearProgramming;

public static partial class IpmExperiments
{
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
}
