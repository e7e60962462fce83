using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

public class SketchPreconditioningTests
{
    private static (ConstraintMatrix A, double[] D) Scaled(int m, int n, ulong seed, double spread = 6)
    {
        var (lp, _, _, _) = RandomLpGenerator.Feasible(m, n, new Rng(seed));
        var rng = new Rng(seed).Fork("d");
        var d = new double[n];
        for (int j = 0; j < n; j++) d[j] = Math.Pow(10, rng.Uniform(-spread / 2, spread / 2)); // ill-conditioned D as near the optimum
        return (lp.A, d);
    }

    /// <summary>A Gaussian W is Philox normals / √w keyed by one draw of the caller's stream: the same W on every device
    /// (the GPU parity suite checks Ops.RandomNormal bit for bit), and the stream advances by exactly one draw.</summary>
    [Fact]
    public void GaussianSketchIsThePhiloxNormalMatrixScaledByOneOverSqrtW()
    {
        var rng = new Rng(11); var twin = new Rng(11);
        using var w = new SketchMatrix(SketchKind.Gaussian, 50, 16, rng);
        var expected = Ops.Scale(Ops.RandomNormal(50, 16, twin), 1 / Math.Sqrt(16));
        var got = w.ToDense();
        for (int j = 0; j < 16; j++) for (int i = 0; i < 50; i++) Assert.Equal(expected[i, j], got[i, j]);
        Assert.Equal(twin.NextUInt64(), rng.NextUInt64());
    }

    [Theory]
    [InlineData(SketchKind.CountSketch)]
    [InlineData(SketchKind.SparseSign)]
    [InlineData(SketchKind.Gaussian)]
    public void SketchedProductEqualsDenseProduct(SketchKind kind)
    {
        var (a, d) = Scaled(7, 40, 1);
        var w = new SketchMatrix(kind, 40, 15, new Rng(2), 3);
        var fast = w.SketchScaled(a, d);
        var slow = Ops.MatMul(a.ScaledDense(d), w.ToDense());
        for (int i = 0; i < 7; i++) for (int k = 0; k < 15; k++) Assert.Equal(slow[i, k], fast[i, k], 10);
        var sparseA = new ConstraintMatrix(SparseMatrix.FromTriplets(7, 40, a.NonZeros()));
        var fromSparse = w.SketchScaled(sparseA, d);
        for (int i = 0; i < 7; i++) for (int k = 0; k < 15; k++) Assert.Equal(slow[i, k], fromSparse[i, k], 10);
    }

    [Theory]
    [InlineData(SketchKind.Gaussian)]
    [InlineData(SketchKind.SparseSign)]
    public void Lemma2SpectrumWhenEmbeddingHolds(SketchKind kind)
    {
        // Lemma 2: if ‖VᵀWWᵀV − I‖₂ ≤ ζ/2 (AD = UΣVᵀ) then every squared singular value of Q^{−1/2}AD lies in
        // [(1+ζ/2)⁻¹, (1−ζ/2)⁻¹], so κ ≤ 5/3 at ζ = 1/2.
        int m = 6, n = 2000, w = 1500;
        var (a, d) = Scaled(m, n, 3);
        var ad = a.ScaledDense(d);
        var wm = new SketchMatrix(kind, n, w, new Rng(4), 8);
        var (_, _, v) = Ops.Svd(ad);
        var vtw = Ops.MatMul(v, wm.ToDense(), transA: true);
        var e = Ops.Sub(Ops.Gram(vtw, outer: true), Matrix.Identity(m));
        var eig = Ops.SymmetricEigen(e).Values.ToArray();
        double embed = eig.Select(Math.Abs).Max();
        Assert.True(embed <= 0.25, $"embedding error {embed} too large for this check; raise w");
        var q = new SketchPreconditioner(wm.SketchScaled(a, d));
        var qad = Ops.MatMul(q.InverseSqrtMatrix(), ad);
        var sv = Ops.Svd(qad).S.ToArray();
        foreach (var s in sv)
        {
            Assert.InRange(s * s, 1 / (1 + embed) - 1e-9, 1 / (1 - embed) + 1e-9);
            Assert.InRange(s * s, 1 / 1.25 - 1e-9, 1 / 0.75 + 1e-9);
        }
        Assert.True(sv.Max() * sv.Max() / (sv.Min() * sv.Min()) <= 5.0 / 3 + 1e-9);
    }

    [Fact]
    public void PcgResidualRatioObeysBouyouliBoundAndChebyshevObeysZetaPowers()
    {
        int m = 10, n = 400, w = 300;
        var (a, d) = Scaled(m, n, 5);
        var d2 = d.Select(t => t * t).ToArray();
        var wm = new SketchMatrix(SketchKind.Gaussian, n, w, new Rng(6));
        var q = new SketchPreconditioner(wm.SketchScaled(a, d));
        var p = new Rng(7).NormalMatrix(m, 1).ToArray();
        var qad = Ops.MatMul(q.InverseSqrtMatrix(), a.ScaledDense(d));
        var sv = Ops.Svd(qad).S.ToArray();
        double kappa2 = sv.Max() * sv.Max() / (sv.Min() * sv.Min());
        var r = PreconditionedConjugateGradient.Solve(u => a.NormalProduct(d2, u), p, q.ApplyInverse, 1e-12, 100, CgStoppingNorm.Preconditioned);
        Assert.True(r.Converged);
        double bound = (kappa2 - 1) / 2;
        var h = r.PreconditionedResidualHistory;
        for (int j = 1; j < h.Count; j++) Assert.True(h[j] <= bound * h[j - 1] * (1 + 1e-6) + 1e-14, $"step {j}: {h[j] / h[j - 1]} > {bound}");
        // Chebyshev with the measured interval [σmin², σmax²]: residual ≤ ζᵗ‖Q^{−1/2}p‖ with ζ = bound (≥ the Chebyshev rate).
        var g = q.ApplyInverseSqrt(p);
        var ch = ChebyshevIteration.Solve(z => q.ApplyInverseSqrt(a.NormalProduct(d2, q.ApplyInverseSqrt(z))), g, sv.Min() * sv.Min(), sv.Max() * sv.Max(), 1e-12, 200);
        Assert.True(ch.Converged);
        double zeta = Math.Max(bound, 1e-3);
        for (int t = 1; t < ch.PreconditionedResidualHistory.Count; t++)
            Assert.True(ch.PreconditionedResidualHistory[t] <= Math.Pow(zeta, t) * ch.PreconditionedResidualHistory[0] * 2 + 1e-13, $"t = {t}");
        // Both solve the system.
        var y1 = q.ApplyInverseSqrt(ch.X);
        var k = a.NormalMatrix(d2);
        var exact = Ops.CholeskySolve(k, Matrix.Vector(p)).ToArray();
        for (int i = 0; i < m; i++) { Assert.Equal(exact[i], r.X[i], 6); Assert.Equal(exact[i], y1[i], 6); }
    }

    [Theory]
    [InlineData(1e-1)]
    [InlineData(1e-3)]
    public void CorrectionVectorMakesEveryStepExactlyFeasible(double tolCg)
    {
        // With v, AΔx̂ = −r_p exactly, so r_p(new) = (1 − α) r_p(old) to rounding, for any CG tolerance.
        var lp = SvmLpGenerator.Generate(SvmDataset.Arcene, 20, 100, new Rng(8));
        var o = IpmOptions.Paper(50) with { InnerTolerance = tolCg, MaxIterations = 25 };
        var r = InteriorPointSolver.Solve(lp, o);
        Assert.NotEmpty(r.History);
        double nb = Math.Sqrt(lp.B.Sum(t => t * t));
        int checkedSteps = 0;
        for (int k = 1; k < Math.Min(15, r.History.Count); k++)
        {
            var (prev, h) = (r.History[k - 1], r.History[k]);
            Assert.True(Math.Abs(h.PrimalResidual - (1 - h.StepPrimal) * prev.PrimalResidual) <= 1e-10 * nb,
                $"iteration {h.Iteration}: ‖r_p‖ = {h.PrimalResidual}, (1 − α)‖r_p(old)‖ = {(1 - h.StepPrimal) * prev.PrimalResidual}");
            checkedSteps++;
        }
        Assert.True(checkedSteps >= 5);
        // Without v the identity fails at a loose tolerance.
        var r2 = InteriorPointSolver.Solve(lp, o with { UseCorrection = false, InnerTolerance = 1e-1 });
        bool violated = false;
        for (int k = 1; k < Math.Min(15, r2.History.Count); k++)
            violated |= Math.Abs(r2.History[k].PrimalResidual - (1 - r2.History[k].StepPrimal) * r2.History[k - 1].PrimalResidual) > 1e-6 * nb;
        Assert.True(violated);
    }

    [Fact]
    public void TightSketchedSolvesReproduceCholeskyIterates()
    {
        var lp = SvmLpGenerator.Generate(SvmDataset.Arcene, 20, 100, new Rng(9));
        var baseOptions = IpmOptions.Paper(50) with { InnerTolerance = 1e-13, MaxInnerIterations = 500 };
        var chol = InteriorPointSolver.Solve(lp, baseOptions with { Solver = NormalSolverKind.Cholesky });
        var pcg = InteriorPointSolver.Solve(lp, baseOptions);
        Assert.Equal(LpStatus.Optimal, chol.Status); Assert.Equal(LpStatus.Optimal, pcg.Status);
        Assert.Equal(chol.Iterations, pcg.Iterations);
        for (int k = 0; k < chol.History.Count; k++)
            Assert.True(Math.Abs(chol.History[k].Mu - pcg.History[k].Mu) <= 1e-6 * chol.History[k].Mu, $"iteration {k}");
        for (int j = 0; j < lp.Cols; j++) Assert.True(Math.Abs(chol.StandardX[j] - pcg.StandardX[j]) <= 1e-6 * (1 + Math.Abs(chol.StandardX[j])));
    }

    [Fact]
    public void PreconditionedConditionNumberSmallUnpreconditionedLarge()
    {
        var lp = SvmLpGenerator.Generate(SvmDataset.Arcene, 20, 200, new Rng(10));
        var r = InteriorPointSolver.Solve(lp, IpmOptions.Paper(100) with { ConditionNumbers = true });
        Assert.Equal(LpStatus.Optimal, r.Status);
        var last = r.History[^1];
        Assert.True(last.KappaPreconditioned <= 100, $"κ_Sk = {last.KappaPreconditioned}");
        Assert.True(last.KappaUnpreconditioned >= 1e4 * last.KappaPreconditioned, $"κ_Stan = {last.KappaUnpreconditioned}");
    }
}
