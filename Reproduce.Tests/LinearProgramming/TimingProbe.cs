using System.Diagnostics;
using Reproduce.Compute;
using Reproduce.LinearProgramming;
using Xunit.Abstractions;

namespace Reproduce.Tests.LinearProgramming;

public class TimingProbe(ITestOutputHelper output)
{
    [Fact]
    public void Probe()
    {
        var lp = SvmLpGenerator.Generate(SvmDataset.Arcene, 100, 1000, new Rng(1));
        foreach (var (name, o) in new (string, IpmOptions)[] {
            ("direct", IpmOptions.Paper(1) with { Solver = NormalSolverKind.Cholesky, SketchSize = 0, MaxIterations = 5 }),
            ("sketch", IpmOptions.Paper(200) with { MaxIterations = 5 }),
            ("sketchk", IpmOptions.Paper(200) with { MaxIterations = 5, ConditionNumbers = true }),
            ("cg", IpmOptions.Paper(1) with { Solver = NormalSolverKind.ConjugateGradient, SketchSize = 0, MaxIterations = 5 }) })
        {
            var sw = Stopwatch.StartNew();
            var r = InteriorPointSolver.Solve(lp, o);
            output.WriteLine($"{name}: {sw.Elapsed.TotalSeconds:F2}s for {r.Iterations} its, inner {r.InnerIterations}");
        }
        var a = lp.A; var x = new double[a.Cols]; var sw2 = Stopwatch.StartNew();
        for (int i = 0; i < 20; i++) a.Multiply(x);
        output.WriteLine($"matvec: {sw2.Elapsed.TotalMilliseconds / 20:F2} ms");
    }
}
