using Reproduce.Compute;
using Reproduce.Data;
using Reproduce.Sketching;

namespace Reproduce.Tests.Sketching;

public class SparseCodingTests
{
    /// <summary>Independent oracle: for every support of size ≤ r, least squares via MathNet QR.</summary>
    private static double BestResidual(Matrix a, int i, Matrix v, int r)
    {
        int k = v.Rows, d = v.Cols;
        var x = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(d, j => a[i, j]);
        double best = x * x;
        for (int mask = 1; mask < 1 << k; mask++)
        {
            int m = System.Numerics.BitOperations.PopCount((uint)mask);
            if (m > r) continue;
            var sup = Enumerable.Range(0, k).Where(c => (mask >> c & 1) == 1).ToArray();
            var vs = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(d, m, (j, p) => v[sup[p], j]);
            var coef = vs.QR().Solve(x);
            var res = x - vs * coef;
            best = Math.Min(best, res * res);
        }
        return best;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ExhaustiveEqualsBestOfAllSupports(int r)
    {
        var rng = new Rng(21);
        var v = rng.NormalMatrix(6, 8);
        var a = rng.NormalMatrix(25, 8);
        var u = SparseCoder.Encode(a, v, r, SparseCodingMethod.Exhaustive);
        var recon = Ops.MatMul(u, v);
        for (int i = 0; i < 25; i++)
        {
            int nnz = Enumerable.Range(0, 6).Count(c => u[i, c] != 0);
            Assert.True(nnz <= r);
            double res = Enumerable.Range(0, 8).Sum(j => Math.Pow(a[i, j] - recon[i, j], 2));
            Assert.Equal(BestResidual(a, i, v, r), res, 9);
        }
    }

    [Fact]
    public void OmpRecoversExactSparseCodesAndNeverBeatsExhaustive()
    {
        var data = SparseCodeData.Generate(60, 40, 10, 4, 0, new Rng(3));
        var u = SparseCoder.Encode(data.A, data.Dictionary, 4, SparseCodingMethod.Omp);
        Assert.True(SparseCoder.Cost(data.A, u, data.Dictionary) < 1e-16 * Ops.Dot(data.A, data.A) + 1e-20);
        var rng = new Rng(4);
        var v = rng.NormalMatrix(7, 9);
        var a = rng.NormalMatrix(30, 9);
        double omp = SparseCoder.Cost(a, SparseCoder.Encode(a, v, 2, SparseCodingMethod.Omp), v);
        double exact = SparseCoder.Cost(a, SparseCoder.Encode(a, v, 2, SparseCodingMethod.Exhaustive), v);
        Assert.True(exact <= omp + 1e-9);
    }

    [Fact]
    public void AlternatingMinimisationNeverIncreasesTheObjective()
    {
        var data = SparseCodeData.Generate(300, 20, 8, 2, 0.1, new Rng(8));
        var res = new DictionaryLearning(8, 2, maxIterations: 15, tolerance: 0).Fit(data.A, new Rng(9));
        for (int h = 1; h < res.HalfStepCosts.Count; h++)
            Assert.True(res.HalfStepCosts[h] <= res.HalfStepCosts[h - 1] * (1 + 1e-10), $"half-step {h} rose");
    }

    [Fact]
    public void PositiveToleranceStopsOnASmallDecreaseNotAfterTheFirstPass()
    {
        // Review item: with prev = +∞ the test ∞ − c ≤ tol·∞ stopped every run with tol > 0 after
        // one pass. The oracle is the tol = 0 run: a positive tolerance may only stop where the
        // relative decrease between two full passes fell below it.
        var data = SparseCodeData.Generate(300, 20, 8, 2, 0.1, new Rng(8));
        const double tol = 1e-6;
        var full = new DictionaryLearning(8, 2, maxIterations: 15, tolerance: 0).Fit(data.A, new Rng(9));
        var stopped = new DictionaryLearning(8, 2, maxIterations: 15, tolerance: tol).Fit(data.A, new Rng(9));
        var passEnds = full.HalfStepCosts.Where((_, h) => h % 2 == 1).ToArray();
        int expectedPasses = passEnds.Length;
        for (int p = 1; p < passEnds.Length; p++)
            if (passEnds[p - 1] - passEnds[p] <= tol * passEnds[p - 1]) { expectedPasses = p + 1; break; }
        Assert.True(expectedPasses > 1, "the data must need more than one pass for this test to mean anything");
        Assert.Equal(2 * expectedPasses, stopped.HalfStepCosts.Count);
        Assert.Equal(passEnds[expectedPasses - 1], stopped.Cost, 12);
    }

    [Fact]
    public void RLargerThanDictionaryIsAClearError()
    {
        var v = new Rng(1).NormalMatrix(3, 4);
        var a = new Rng(2).NormalMatrix(5, 4);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SparseCoder.Encode(a, v, 4));
        Assert.Equal("r", e.ParamName);
        Assert.Contains("exceeds the dictionary size", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DictionaryLearning(3, 4));
    }

    [Fact]
    public void SketchAndSolveWithIdentityIsExact()
    {
        var rng = new Rng(5);
        var u = rng.NormalMatrix(30, 4);
        var a = rng.NormalMatrix(30, 7);
        var exact = DictionaryUpdate.LeastSquares(u, a);
        // An orthogonal S (isometry) leaves (SU)^†SA = U^†A.
        var (q, _) = Ops.Qr(rng.NormalMatrix(30, 30));
        var viaSketch = DictionaryUpdate.LeastSquares(Ops.MatMul(q, u, transA: true), Ops.MatMul(q, a, transA: true));
        for (int c = 0; c < 4; c++) for (int j = 0; j < 7; j++) Assert.Equal(exact[c, j], viaSketch[c, j], 9);
    }
}
