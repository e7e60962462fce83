using Reproduce.Compute;
using Reproduce.LinearAlgebra;
using static Reproduce.Tests.LinearAlgebra.TestMatrices;

namespace Reproduce.Tests.LinearAlgebra;

public class PowerMethodTests
{
    [Fact]
    public void FindsTheTopEigenvalueOfAKnownSpectrum()
    {
        var rng = new Rng(1);
        var eigs = new double[] { 10, 5, 3, 2, 1, 0.5, 0.25, 0.1 };
        var a = SpdWithEigenvalues(eigs, rng.Fork("a"));
        var r = PowerMethod.TopEigenvalue(x => Ops.MatMul(a, x), 8, rng.Fork("start"), tol: 1e-12);
        Assert.True(r.Converged);
        Assert.Equal(10, r.Value, 8);
        Assert.Equal(r.Iterations, r.History.Length);
        // The vector is an eigenvector: ‖Av − λv‖ small.
        var res = Ops.Sub(Ops.MatMul(a, r.Vector), Ops.Scale(r.Vector, r.Value));
        Assert.True(Ops.Norm(res) < 1e-4);
        // Rate |λ₂/λ₁| = 1/2 → converges in well under 100 products.
        Assert.InRange(r.Iterations, 5, 100);
    }

    [Fact]
    public void AgreesWithDenseEigenOnRandomSpd()
    {
        var rng = new Rng(2);
        var a = RandomSpd(30, rng);
        var (vals, _) = Ops.SymmetricEigen(a);
        var r = PowerMethod.TopEigenvalue(x => Ops.MatMul(a, x), 30, rng, tol: 1e-13, maxIter: 5000);
        Assert.Equal(vals[29], r.Value, 6);
    }

    [Fact]
    public void StopsAtMaxIterWithoutConverging()
    {
        var a = SpdWithEigenvalues([1, 0.9999, 0.5], new Rng(3));
        var r = PowerMethod.TopEigenvalue(x => Ops.MatMul(a, x), 3, new Rng(4), tol: 1e-15, maxIter: 3);
        Assert.False(r.Converged);
        Assert.Equal(3, r.Iterations);
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        Assert.Equal("n", Assert.Throws<ArgumentOutOfRangeException>(() => PowerMethod.TopEigenvalue(x => x, 0, new Rng(1))).ParamName);
        Assert.Equal("tol", Assert.Throws<ArgumentOutOfRangeException>(() => PowerMethod.TopEigenvalue(x => x, 3, new Rng(1), tol: -1)).ParamName);
        var ex = Assert.Throws<ComputeException>(() => PowerMethod.TopEigenvalue(x => Matrix.Zeros(2, 1), 3, new Rng(1)));
        Assert.Contains("2×1", ex.Message);
    }
}

public class LanczosTests
{
    [Fact]
    public void FullStepsReproduceEveryEigenvalue()
    {
        var rng = new Rng(5);
        var g = rng.NormalMatrix(40, 40);
        var a = Ops.Add(g, Ops.Transpose(g)); // symmetric indefinite
        var (vals, _) = Ops.SymmetricEigen(a);
        var r = Lanczos.ExtremeEigenvalues(x => Ops.MatMul(a, x), 40, 40, rng.Fork("l"));
        Assert.Equal(40, r.Steps);
        for (int i = 0; i < 40; i++) Assert.Equal(vals[i], r.RitzValues[i], 8);
        Assert.Equal(vals[39], r.Largest, 8);
        Assert.Equal(vals[0], r.Smallest, 8);
    }

    [Fact]
    public void FewStepsFindWellSeparatedExtremes()
    {
        var rng = new Rng(6);
        var eigs = new double[200];
        for (int i = 0; i < 200; i++) eigs[i] = 1 + i / 200.0;   // bulk in [1, 2)
        eigs[0] = 0.01; eigs[199] = 50;                          // isolated extremes
        var a = SpdWithEigenvalues(eigs, rng.Fork("a"));
        var r = Lanczos.ExtremeEigenvalues(x => Ops.MatMul(a, x), 200, 30, rng.Fork("l"));
        Assert.Equal(30, r.Steps);
        Assert.Equal(50, r.Largest, 6);
        Assert.Equal(0.01, r.Smallest, 6);
        // Ritz values interlace: they lie inside the spectrum.
        Assert.All(r.RitzValues, v => Assert.InRange(v, 0.01 - 1e-9, 50 + 1e-9));
    }

    [Fact]
    public void InvariantSubspaceStopsEarlyWithExactValues()
    {
        // A has only 3 distinct eigenvalues: the Krylov space has dimension ≤ 3.
        var eigs = new double[] { 1, 1, 1, 4, 4, 9, 9, 9, 9, 9 };
        var a = SpdWithEigenvalues(eigs, new Rng(7));
        var r = Lanczos.ExtremeEigenvalues(x => Ops.MatMul(a, x), 10, 10, new Rng(8));
        Assert.Equal(3, r.Steps);
        Assert.Equal(9, r.Largest, 9);
        Assert.Equal(1, r.Smallest, 9);
    }

    [Fact]
    public void SingularValueExtremesMatchDenseSvd()
    {
        var rng = new Rng(9);
        var a = rng.NormalMatrix(60, 25);
        var (_, s, _) = Ops.Svd(a);
        var r = Lanczos.SingularValueExtremes(x => Ops.MatMul(a, x), y => Ops.MatMul(a, y, transA: true), 25, 25, rng.Fork("l"));
        Assert.Equal(s[0], r.Largest, 7);
        Assert.Equal(s[24], r.Smallest, 7);
        Assert.Equal(s[0] / s[24], r.ConditionNumber, 5);
    }

    [Fact]
    public void WithoutReorthogonalizationExtremesStillConverge()
    {
        var rng = new Rng(10);
        var a = RandomSpd(50, rng);
        var (vals, _) = Ops.SymmetricEigen(a);
        var r = Lanczos.ExtremeEigenvalues(x => Ops.MatMul(a, x), 50, 50, rng.Fork("l"), reorthogonalize: false);
        Assert.Equal(vals[49], r.Largest, 6);
    }
}

public class ConjugateGradientTests
{
    [Fact]
    public void AgreesWithCholeskySolve()
    {
        var rng = new Rng(11);
        var a = RandomSpd(40, rng);
        var b = rng.NormalMatrix(40, 1);
        var expected = Ops.CholeskySolve(a, b);
        var r = ConjugateGradient.Solve(x => Ops.MatMul(a, x), b, tol: 1e-12);
        Assert.True(r.Converged);
        Assert.True(MaxAbsDiff(expected, r.X) < 1e-10);
        Assert.Equal(r.Iterations + 1, r.ResidualHistory.Length);
        Assert.Equal(1.0, r.ResidualHistory[0], 12);
        Assert.True(r.ResidualHistory[^1] <= 1e-12);
        // CG is exact in at most n steps in exact arithmetic; with κ small it is much faster.
        Assert.InRange(r.Iterations, 1, 40);
    }

    [Fact]
    public void MultipleRightHandSidesAgreeWithCholesky()
    {
        var rng = new Rng(12);
        var a = RandomSpd(20, rng);
        var b = rng.NormalMatrix(20, 3);
        var r = ConjugateGradient.Solve(x => Ops.MatMul(a, x), b, tol: 1e-12);
        Assert.True(MaxAbsDiff(Ops.CholeskySolve(a, b), r.X) < 1e-9);
    }

    [Fact]
    public void ExactPreconditionerConvergesInOneIteration()
    {
        var rng = new Rng(13);
        var a = SpdWithEigenvalues(Enumerable.Range(0, 30).Select(i => Math.Pow(10, i / 6.0)).ToArray(), rng);
        var b = rng.NormalMatrix(30, 1);
        var plain = ConjugateGradient.Solve(x => Ops.MatMul(a, x), b, tol: 1e-8, maxIter: 500);
        var pcg = ConjugateGradient.Solve(x => Ops.MatMul(a, x), b, r => Ops.CholeskySolve(a, r), tol: 1e-8);
        Assert.True(pcg.Converged);
        Assert.InRange(pcg.Iterations, 1, 2);
        Assert.True(plain.Iterations > 10, $"plain CG took {plain.Iterations}");
        Assert.True(MaxAbsDiff(Ops.CholeskySolve(a, b), pcg.X) < 1e-6 * Ops.Norm(pcg.X));
    }

    [Fact]
    public void StartingFromTheSolutionTakesNoIterations()
    {
        var rng = new Rng(14);
        var a = RandomSpd(10, rng);
        var b = rng.NormalMatrix(10, 1);
        var x = Ops.CholeskySolve(a, b);
        var r = ConjugateGradient.Solve(v => Ops.MatMul(a, v), b, x0: x, tol: 1e-8);
        Assert.Equal(0, r.Iterations);
        Assert.True(r.Converged);
    }

    [Fact]
    public void ZeroRightHandSideGivesZero()
    {
        var r = ConjugateGradient.Solve(v => v, Matrix.Zeros(5, 1));
        Assert.True(r.Converged);
        Assert.Equal(0, Ops.Norm(r.X));
    }

    [Fact]
    public void IndefiniteOperatorIsReported()
    {
        var a = Matrix.FromArray(new double[,] { { 1, 0 }, { 0, -1 } });
        var b = Matrix.Vector([0, 1]);
        var ex = Assert.Throws<ComputeException>(() => ConjugateGradient.Solve(v => Ops.MatMul(a, v), b));
        Assert.Contains("positive definite", ex.Message);
    }

    [Fact]
    public void BadInputsAreNamed()
    {
        var b = Matrix.Vector([1, double.NaN]);
        Assert.Throws<ArgumentException>(() => ConjugateGradient.Solve(v => v, b));
        var ex = Assert.Throws<ArgumentException>(() => ConjugateGradient.Solve(v => v, Matrix.Zeros(3, 1), x0: Matrix.Zeros(2, 1)));
        Assert.Contains("2×1", ex.Message); Assert.Contains("3×1", ex.Message);
        Assert.Throws<ComputeException>(() => ConjugateGradient.Solve(v => Matrix.Zeros(4, 1), Matrix.Vector([1, 2, 3])));
    }

    [Fact]
    public void NotConvergedWithinMaxIter()
    {
        var rng = new Rng(15);
        var a = SpdWithEigenvalues(Enumerable.Range(1, 50).Select(i => (double)i * i).ToArray(), rng);
        var r = ConjugateGradient.Solve(x => Ops.MatMul(a, x), rng.NormalMatrix(50, 1), tol: 1e-14, maxIter: 3);
        Assert.False(r.Converged);
        Assert.Equal(3, r.Iterations);
        Assert.Equal(4, r.ResidualHistory.Length);
    }
}
