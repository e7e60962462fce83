using System.Globalization;
using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Figures;
using static Reproduce.LinearProgramming.IpmRuns;

namespace Reproduce.LinearProgramming;

public static partial class IpmExperiments
{
    /// <summary>Our IPMs against CLP (dual simplex and barrier) on the same LPs: time and iterations (an addition; the paper reports no times).</summary>
    [Experiment("ipm/bench-clp", "Our interior point methods vs CLP: time and iterations")]
    public static FigureResult BenchmarkClp(RunContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var table = new Table("problem", "m", "n", "nnz", "solver", "status", "objective", "iterations", "seconds", "ratio_to_clp_barrier", "inner_cg_steps", "max_inner_per_outer");
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
            if (cd is not null) table.Add(name, lp.Rows, lp.Cols, lp.A.Nnz, "CLP dual simplex", cd.Status.ToString(), cd.Objective, cd.Iterations, cd.WallSeconds, cd.WallSeconds / tb, double.NaN, double.NaN);
            if (cb is not null) table.Add(name, lp.Rows, lp.Cols, lp.A.Nnz, "CLP barrier", cb.Status.ToString(), cb.Objective, cb.Iterations, cb.WallSeconds, 1.0, double.NaN, double.NaN);
            foreach (var (sn, o) in ours)
            {
                var r = InteriorPointSolver.Solve(lp, o with { Seed = ctx.Seed });
                table.Add(name, lp.Rows, lp.Cols, lp.A.Nnz, sn, r.Status.ToString(), r.Objective, r.Iterations, r.Seconds, r.Seconds / tb, (double)r.InnerIterations, (double)r.MaxInnerIterations);
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
        // Where the sketch-PCG time goes: outer iterations × sequential CG steps, each one product with A D² Aᵀ through the
        // sparse A and the preconditioner. Reported per row so a slow run shows whether it is many steps or slow steps.
        static double D(object? o) => Convert.ToDouble(o, CultureInfo.InvariantCulture);
        string Work(IReadOnlyList<object?> r) => double.IsFinite(D(r[10])) && D(r[10]) > 0
            ? $" ({D(r[7]):F0} outer, {D(r[10]):F0} CG steps, at most {D(r[11]):F0} in one outer iteration, {1e3 * D(r[8]) / D(r[10]):G3} ms of wall time per CG step)"
            : $" ({D(r[7]):F0} outer iterations)";
        var verdict = Verdict.Demonstrate("an addition (the paper reports no times): our IPMs against CLP's dual simplex and barrier on the same LPs, same run.",
            ClpSolver.IsAvailable
                ? string.Join("; ", ourRows.Select(r => $"{r[0]}: {r[4]} {r[5]}, {D(r[8]):F2} s = {D(r[9]):G3}× CLP barrier{Work(r)}")) + "."
                : "CLP not available (" + ClpSolver.MissingReason + "); ours: " + string.Join("; ", ourRows.Select(r => $"{r[0]}: {r[4]} {r[5]}, {D(r[8]):F2} s{Work(r)}")) + ".");
        string note = ClpSolver.IsAvailable ? "CLP times are process wall times (including MPS reading) from the same run; ours exclude problem generation."
            : "CLP was not run: " + ClpSolver.MissingReason + ".";
        return new FigureResult(fig, table, claims, note, verdict);
    }
}
