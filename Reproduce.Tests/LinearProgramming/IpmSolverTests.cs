using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

public class IpmSolverTests
{
    private static LpProblem Tiny()
    {
        // min −x1 − x2 s.t. x1 + 2x2 ≤ 4, 3x1 + x2 ≤ 6, x ≥ 0: optimum (1.6, 1.2), value −2.8, duals (−0.4, −0.2).
        var a = SparseMatrix.FromTriplets(2, 2, [(0, 0, 1.0), (0, 1, 2.0), (1, 0, 3.0), (1, 1, 1.0)]);
        return new LpProblem([-1, -1], a, [double.NegativeInfinity, double.NegativeInfinity], [4, 6], [0, 0], [double.PositiveInfinity, double.PositiveInfinity]);
    }

    public static TheoryData<IpmMethod, NormalSolverKind> Combos() => new()
    {
        { IpmMethod.Mehrotra, NormalSolverKind.Cholesky },
        { IpmMethod.Mehrotra, NormalSolverKind.ConjugateGradient },
        { IpmMethod.MizunoToddYe, NormalSolverKind.Cholesky },
        { IpmMethod.LongStepInfeasible, NormalSolverKind.Cholesky },
        { IpmMethod.AuthorsCode, NormalSolverKind.Cholesky },
    };

    [Theory]
    [MemberData(nameof(Combos))]
    public void TinyLpHasClosedFormOptimum(IpmMethod method, NormalSolverKind solver)
    {
        var r = InteriorPointSolver.Solve(Tiny(), new IpmOptions { Method = method, Solver = solver, InnerTolerance = 1e-12, MaxIterations = 300 });
        Assert.Equal(LpStatus.Optimal, r.Status);
        Assert.Equal(-2.8, r.Objective, 6);
        Assert.Equal(1.6, r.X[0], 5); Assert.Equal(1.2, r.X[1], 5);
        Assert.Equal(-0.4, r.Y[0], 5); Assert.Equal(-0.2, r.Y[1], 5);
    }

    [Theory]
    [InlineData(IpmMethod.Mehrotra)]
    [InlineData(IpmMethod.MizunoToddYe)]
    [InlineData(IpmMethod.LongStepInfeasible)]
    [InlineData(IpmMethod.AuthorsCode)]
    public void KktResidualsAndGapAtSolution(IpmMethod method)
    {
        var (lp, _, _, _) = RandomLpGenerator.Feasible(15, 60, new Rng(3));
        var r = InteriorPointSolver.Solve(lp, new IpmOptions { Method = method, MaxIterations = 500 });
        Assert.Equal(LpStatus.Optimal, r.Status);
        var ax = lp.A.Multiply(r.X);
        var aty = lp.A.MultiplyTransposed(r.Y);
        for (int i = 0; i < lp.Rows; i++) Assert.True(Math.Abs(ax[i] - lp.B[i]) <= 1e-6 * (1 + Math.Abs(lp.B[i])), $"row {i}");
        double gap = 0;
        for (int j = 0; j < lp.Cols; j++)
        {
            Assert.True(r.X[j] > 0 && r.S[j] > 0);
            Assert.True(Math.Abs(lp.C[j] - aty[j] - r.S[j]) <= 1e-6 * (1 + Math.Abs(lp.C[j])), $"col {j}");
            gap += r.X[j] * r.S[j];
        }
        Assert.True(gap <= 1e-6 * (1 + Math.Abs(r.Objective)), $"complementarity {gap}");
    }

    [Fact]
    public void InfeasibleLpReportsInfeasible()
    {
        // x1 + x2 = −1, x ≥ 0.
        var a = SparseMatrix.FromTriplets(1, 2, [(0, 0, 1.0), (0, 1, 1.0)]);
        var p = LpProblem.Standard(a, [-1], [1, 1]);
        var r = InteriorPointSolver.Solve(p);
        Assert.True(r.Status == LpStatus.Infeasible, r.Message);
    }

    [Fact]
    public void InfeasibleSystemReportsInfeasible()
    {
        // x1 + x2 ≤ 1 and x1 + x2 ≥ 3.
        var a = SparseMatrix.FromTriplets(2, 2, [(0, 0, 1.0), (0, 1, 1.0), (1, 0, 1.0), (1, 1, 1.0)]);
        var p = new LpProblem([1, 2], a, [double.NegativeInfinity, 3], [1, double.PositiveInfinity], [0, 0], [double.PositiveInfinity, double.PositiveInfinity]);
        Assert.Equal(LpStatus.Infeasible, InteriorPointSolver.Solve(p).Status);
    }

    [Fact]
    public void UnboundedLpReportsUnbounded()
    {
        // min −x1 s.t. x1 − x2 = 1, x ≥ 0.
        var a = SparseMatrix.FromTriplets(1, 2, [(0, 0, 1.0), (0, 1, -1.0)]);
        var p = LpProblem.Standard(a, [1], [-1, 0]);
        Assert.Equal(LpStatus.Unbounded, InteriorPointSolver.Solve(p).Status);
    }

    [Fact]
    public void UnboundedWithFreeVariable()
    {
        // min x1 s.t. x1 ≤ 5, x1 free.
        var a = SparseMatrix.FromTriplets(1, 1, [(0, 0, 1.0)]);
        var p = new LpProblem([1], a, [double.NegativeInfinity], [5], [double.NegativeInfinity], [double.PositiveInfinity]);
        Assert.Equal(LpStatus.Unbounded, InteriorPointSolver.Solve(p).Status);
    }

    [Fact]
    public void BadOptionsGetClearErrors()
    {
        var ex = Assert.Throws<ArgumentException>(() => InteriorPointSolver.Solve(Tiny(), new IpmOptions { Tolerance = 0 }));
        Assert.Contains("Tolerance", ex.Message);
        var (lp, _, _, _) = RandomLpGenerator.Feasible(10, 40, new Rng(1));
        var ex2 = Assert.Throws<ArgumentException>(() => InteriorPointSolver.Solve(lp, new IpmOptions { Solver = NormalSolverKind.SketchPcg, SketchSize = 5 }));
        Assert.Contains("w ≥ m", ex2.Message);
        var ex3 = Assert.Throws<ArgumentException>(() => InteriorPointSolver.Solve(lp, new IpmOptions { Method = IpmMethod.LongStepFeasible, Start = StartPointKind.Ones }));
        Assert.Contains("strictly feasible", ex3.Message);
    }

    [Fact]
    public void BadProblemsGetClearErrors()
    {
        var a = SparseMatrix.FromTriplets(1, 2, [(0, 0, 1.0)]);
        Assert.Contains("lower bound 2 > upper bound 1", Assert.Throws<ArgumentException>(() => new LpProblem([1, 1], a, [0], [1], [2, 0], [1, 1])).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => new LpProblem([1, 1], a, [double.NaN], [1], [0, 0], [1, 1])).Message);
        Assert.Contains("c[1] is ∞", Assert.Throws<ArgumentException>(() => new LpProblem([1, double.PositiveInfinity], a, [0], [1], [0, 0], [1, 1])).Message.Replace("Infinity", "∞"));
        Assert.Contains("no variables", Assert.Throws<ArgumentException>(() => new LpProblem([], SparseMatrix.FromTriplets(1, 0, []), [0], [1], [], [])).Message);
    }

    [Fact]
    public void FeasibleLongStepFromKnownPointConverges()
    {
        var (lp, x0, y0, s0) = RandomLpGenerator.Feasible(10, 50, new Rng(7), centred: true);
        var r = InteriorPointSolver.Solve(lp, new IpmOptions { Method = IpmMethod.LongStepFeasible, Start = StartPointKind.Given, InitialPoint = (x0, y0, s0), MaxIterations = 500 });
        Assert.Equal(LpStatus.Optimal, r.Status);
        var reference = InteriorPointSolver.Solve(lp);
        Assert.True(Math.Abs(reference.Objective - r.Objective) <= 1e-7 * (1 + Math.Abs(reference.Objective)), $"{r.Objective} vs {reference.Objective}");
        // Feasible method: every iterate keeps Ax = b.
        Assert.All(r.History, h => Assert.True(h.PrimalResidual <= 1e-8 * (1 + InteriorPointSolver_Norm(lp.B))));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LongStepNeverRaisesMu(bool useCorrection)
    {
        // Algorithm 3 takes ᾱ = argmin over [0, α̃] of μ(α), and μ(α) is exactly the quadratic it minimises, so no step may
        // raise μ, with or without v (without v the inexact directions are where a μ-raising full step used to slip in).
        var lp = SvmLpGenerator.Generate(SvmDataset.Arcene, 30, 300, new Rng(5));
        var o = IpmOptions.Paper(90) with { UseCorrection = useCorrection, InnerTolerance = 1e-3, Tolerance = useCorrection ? 1e-6 : 0.999, MaxIterations = 120 };
        var mus = new List<double>();
        var r = InteriorPointSolver.Solve(lp, o with { Progress = h => mus.Add(h.Mu) });
        double mu0 = lp.Cols > 0 ? 1.0 : 0; // all-ones start: xᵀs/n = 1
        var all = new[] { mu0 }.Concat(mus).ToArray();
        for (int k = 1; k < all.Length; k++)
            Assert.True(all[k] <= all[k - 1] * (1 + 1e-12), $"μ rose at iteration {k}: {all[k - 1]:G6} → {all[k]:G6} ({r.Status}: {r.Message})");
    }

    private static double InteriorPointSolver_Norm(double[] v) => Math.Sqrt(v.Sum(t => t * t));
}
