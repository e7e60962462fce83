using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Reproduce.LinearProgramming;

namespace Reproduce.Cli.Verbs;

/// <summary>`reproduce lp solve FILE.mps [--method ...] [--solver ...] [--sketch-size w] [--clp] [--json]`:
/// solves an MPS file with our interior point methods and prints status, objective, iterations, residuals, gap
/// and time (optionally beside CLP on the same file).</summary>
public sealed class LpVerb : ICliVerb
{
    /// <inheritdoc />
    public Command Build()
    {
        var file = new Argument<FileInfo>("file") { Description = "MPS file (free or fixed format, plain or gzip-compressed)" };
        var format = new Option<string>("--format") { Description = "auto | free | fixed (auto: free, else fixed by column position)", DefaultValueFactory = _ => "auto" };
        var method = new Option<string>("--method") { Description = "default (presolve, scaling, bounds kept natively, Mehrotra + Gondzio, sparse Cholesky) | mehrotra | mty | long-step | long-step-feasible | code (the papers' methods on the standard form)", DefaultValueFactory = _ => "default" };
        var solver = new Option<string>("--solver") { Description = "cholesky | cg | sketch-pcg | chebyshev", DefaultValueFactory = _ => "cholesky" };
        var sketch = new Option<string>("--sketch") { Description = "gaussian | countsketch | sparse-sign", DefaultValueFactory = _ => "gaussian" };
        var w = new Option<int>("--sketch-size") { Description = "Sketch size w (0: min(n, 2m))", DefaultValueFactory = _ => 0 };
        var tol = new Option<double>("--tolerance") { Description = "Relative residual and gap tolerance", DefaultValueFactory = _ => 1e-8 };
        var maxIt = new Option<int>("--max-iterations") { Description = "Outer iteration cap", DefaultValueFactory = _ => 200 };
        var clp = new Option<bool>("--clp") { Description = "Also solve with CLP (dual simplex and barrier) and print both" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text" };
        var solve = new Command("solve", "Solve an LP in MPS format with an interior point method");
        solve.Add(file); solve.Add(format); solve.Add(method); solve.Add(solver); solve.Add(sketch); solve.Add(w); solve.Add(tol); solve.Add(maxIt); solve.Add(clp); solve.Add(json);
        solve.SetAction(pr =>
        {
            try
            {
                var f = pr.GetValue(file)!;
                var p = MpsReader.ReadFile(f.FullName, ParseFormat(pr.GetValue(format)!));
                string methodName = pr.GetValue(method)!;
                bool general = methodName.Equals("default", StringComparison.OrdinalIgnoreCase);
                var o = new IpmOptions
                {
                    Method = general ? IpmMethod.Mehrotra : ParseMethod(methodName), Solver = ParseSolver(pr.GetValue(solver)!), Sketch = ParseSketch(pr.GetValue(sketch)!),
                    SketchSize = pr.GetValue(w), Tolerance = pr.GetValue(tol), MaxIterations = pr.GetValue(maxIt),
                };
                var r = general ? BoundedIpm.Solve(p, o) : InteriorPointSolver.Solve(p, o);
                ClpResult? dual = null, barrier = null;
                if (pr.GetValue(clp))
                {
                    if (!ClpSolver.IsAvailable) { Console.Error.WriteLine("reproduce lp: " + ClpSolver.MissingReason); return 2; }
                    dual = ClpSolver.Solve(p, "dualsimplex"); barrier = ClpSolver.Solve(p, "barrier");
                    // CLP solves the minimisation we store; a maximisation's value carries the file's sign.
                    if (p.Maximize) { dual = dual with { Objective = -dual.Objective }; barrier = barrier with { Objective = -barrier.Objective }; }
                }
                if (pr.GetValue(json))
                {
                    var obj = new Dictionary<string, object?>
                    {
                        ["file"] = f.FullName, ["rows"] = p.RowCount, ["columns"] = p.ColumnCount,
                        ["method"] = general ? "default" : o.Method.ToString(), ["solver"] = general ? "sparse-cholesky" : o.Solver.ToString(), ["sense"] = p.Maximize ? "max" : "min", ["status"] = r.Status.ToString(),
                        ["objective"] = Finite(r.Objective), ["iterations"] = r.Iterations, ["innerIterations"] = r.InnerIterations,
                        ["primalResidual"] = Finite(r.PrimalResidual), ["dualResidual"] = Finite(r.DualResidual), ["gap"] = Finite(r.Gap),
                        ["seconds"] = r.Seconds, ["message"] = r.Message,
                    };
                    if (dual is not null) obj["clpDualSimplex"] = Clp(dual);
                    if (barrier is not null) obj["clpBarrier"] = Clp(barrier);
                    Console.WriteLine(JsonSerializer.Serialize(obj, new JsonSerializerOptions { WriteIndented = true }));
                }
                else
                {
                    var ci = CultureInfo.InvariantCulture;
                    Console.WriteLine($"problem      {p.ProblemName}: {p.RowCount} rows, {p.ColumnCount} columns, {p.A.Nnz} nonzeros");
                    Console.WriteLine(general ? "method       default (presolve, scaling, bounded Mehrotra + Gondzio, sparse Cholesky)" : $"method       {o.Method} / {o.Solver}");
                    Console.WriteLine($"status       {r.Status} ({r.Message})");
                    Console.WriteLine(string.Format(ci, "objective    {0:G12}", r.Objective));
                    Console.WriteLine($"iterations   {r.Iterations} outer, {r.InnerIterations} inner");
                    Console.WriteLine(string.Format(ci, "residuals    primal {0:E2}, dual {1:E2} (relative)", r.PrimalResidual, r.DualResidual));
                    Console.WriteLine(string.Format(ci, "gap          {0:E2} (relative)", r.Gap));
                    Console.WriteLine(string.Format(ci, "time         {0:F3} s", r.Seconds));
                    if (dual is not null) Console.WriteLine(string.Format(ci, "clp dual     {0} objective {1:G12}, {2} iterations, {3:F3} s wall", dual.Status, dual.Objective, dual.Iterations, dual.WallSeconds));
                    if (barrier is not null) Console.WriteLine(string.Format(ci, "clp barrier  {0} objective {1:G12}, {2} iterations, {3:F3} s wall", barrier.Status, barrier.Objective, barrier.Iterations, barrier.WallSeconds));
                }
                return r.Status == LpStatus.Optimal || r.Status == LpStatus.Infeasible || r.Status == LpStatus.Unbounded ? 0 : 1;
            }
            catch (Exception ex) when (ex is MpsFormatException or ArgumentException or FileNotFoundException or IOException)
            {
                Console.Error.WriteLine("reproduce lp: " + ex.Message);
                return 2;
            }
        });
        var lp = new Command("lp", "Linear programming: interior point methods with sketch preconditioning (Chowdhury et al. 2022)");
        lp.Add(solve);
        return lp;
    }

    private static double? Finite(double v) => double.IsFinite(v) ? v : null;

    private static object Clp(ClpResult r) => new { status = r.Status.ToString(), objective = Finite(r.Objective), iterations = r.Iterations, seconds = r.WallSeconds };

    private static MpsFormat ParseFormat(string s) => s.ToLowerInvariant() switch
    {
        "auto" => MpsFormat.Auto,
        "free" => MpsFormat.Free,
        "fixed" => MpsFormat.Fixed,
        _ => throw new ArgumentException($"--format '{s}' is not known; use auto, free or fixed."),
    };

    private static IpmMethod ParseMethod(string s) => s.ToLowerInvariant() switch
    {
        "mehrotra" => IpmMethod.Mehrotra,
        "mty" or "mizuno-todd-ye" => IpmMethod.MizunoToddYe,
        "long-step" or "infeasible" => IpmMethod.LongStepInfeasible,
        "long-step-feasible" or "feasible" => IpmMethod.LongStepFeasible,
        "code" or "authors-code" => IpmMethod.AuthorsCode,
        _ => throw new ArgumentException($"--method '{s}' is not known; use default, mehrotra, mty, long-step, long-step-feasible or code."),
    };

    private static NormalSolverKind ParseSolver(string s) => s.ToLowerInvariant() switch
    {
        "cholesky" => NormalSolverKind.Cholesky,
        "cg" => NormalSolverKind.ConjugateGradient,
        "sketch-pcg" or "pcg" => NormalSolverKind.SketchPcg,
        "chebyshev" => NormalSolverKind.SketchChebyshev,
        _ => throw new ArgumentException($"--solver '{s}' is not known; use cholesky, cg, sketch-pcg or chebyshev."),
    };

    private static SketchKind ParseSketch(string s) => s.ToLowerInvariant() switch
    {
        "gaussian" => SketchKind.Gaussian,
        "countsketch" or "count-sketch" => SketchKind.CountSketch,
        "sparse-sign" or "sparsesign" => SketchKind.SparseSign,
        _ => throw new ArgumentException($"--sketch '{s}' is not known; use gaussian, countsketch or sparse-sign."),
    };
}
