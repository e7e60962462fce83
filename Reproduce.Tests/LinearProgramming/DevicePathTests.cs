using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>The accelerator code path (products through Ops.MatVec, A D² Aᵀ / A D W / SVD / Cholesky through Ops on the
/// solver's device) exercised on the CPU backend: it must give the same answers as the fast CPU loops.</summary>
public class DevicePathTests
{
    private static StandardFormLp Svm() => SvmLpGenerator.Generate(SvmDataset.Arcene, 20, 150, new Rng(7));

    [Theory]
    [InlineData(NormalSolverKind.SketchPcg)]
    [InlineData(NormalSolverKind.ConjugateGradient)]
    [InlineData(NormalSolverKind.Cholesky)]
    public void OpsProductsMatchCpuLoops(NormalSolverKind solver)
    {
        var lp = Svm();
        var o = IpmOptions.Paper(60) with { Solver = solver, SketchSize = solver == NormalSolverKind.SketchPcg ? 60 : 0, Method = IpmMethod.AuthorsCode, Tolerance = 0.999, Seed = 3 };
        var fast = InteriorPointSolver.Solve(lp, o);
        var ops = InteriorPointSolver.Solve(lp, o with { OpsProducts = true, Device = Device.Cpu });
        Assert.Equal(LpStatus.Optimal, fast.Status);
        Assert.Equal(LpStatus.Optimal, ops.Status);
        // Inexact inner solves (tolCG = 1e-5, no v): rounding differences move the answer within the CG error only.
        Assert.InRange(Math.Abs(fast.Objective - ops.Objective) / Math.Abs(fast.Objective), 0, 1e-5);
        Assert.InRange(Math.Abs(fast.Iterations - ops.Iterations), 0, 1);
    }

    [Fact]
    public void ConstraintMatrixOpsProductsAgreeWithLoops()
    {
        var lp = Svm(); var a = lp.A; var rng = new Rng(11);
        var x = Enumerable.Range(0, a.Cols).Select(_ => rng.Normal()).ToArray();
        var y = Enumerable.Range(0, a.Rows).Select(_ => rng.Normal()).ToArray();
        var d2 = Enumerable.Range(0, a.Cols).Select(_ => rng.Uniform() + 0.1).ToArray();
        Assert.Equal(a.Multiply(x), a.MultiplyOn(Device.Cpu, x), new Tol(1e-10));
        Assert.Equal(a.MultiplyTransposed(y), a.MultiplyOn(Device.Cpu, y, transpose: true), new Tol(1e-10));
        Assert.Equal(a.NormalProduct(d2, y), a.NormalProductOn(Device.Cpu, d2, y), new Tol(1e-9));
        var k = a.NormalMatrixOn(Device.Cpu, d2);
        Assert.Equal(a.NormalProduct(d2, y), Ops.MatVec(k, Matrix.Vector(y)).ToArray(), new Tol(1e-9));
    }

    [Fact]
    public void UnpreconditionedCgInnerCapIsRespected()
    {
        var lp = Svm();
        var o = IpmOptions.Paper(1) with { Method = IpmMethod.AuthorsCode, Solver = NormalSolverKind.ConjugateGradient, SketchSize = 0, Tolerance = 0.999, InnerTolerance = 1e-12, MaxInnerIterations = 7 };
        var r = InteriorPointSolver.Solve(lp, o);
        Assert.Equal(7, r.MaxInnerIterations);
    }

    private sealed class Tol(double rel) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= rel * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));
        public int GetHashCode(double v) => 0;
    }
}
