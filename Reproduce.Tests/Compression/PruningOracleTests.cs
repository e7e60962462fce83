using Reproduce.Compression;
using Reproduce.Compute;

namespace Reproduce.Tests.Compression;

public class PruningOracleTests
{
    public static TheoryData<string> Targets => new() { "0.5", "0.7", "2:4", "1:4" };

    private static SparsityTarget Parse(string t) => t.Contains(':') ? SparsityTarget.ParsePattern(t) : SparsityTarget.Unstructured(double.Parse(t, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryExactHessianPrunerIsAtLeastAsGoodAsMagnitudeOnTheObjective(string t)
    {
        // The oracle: SparseGPT and ALPS minimise the exact objective, magnitude ignores H.
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var p = Layers.Random(seed);
            var target = Parse(t);
            double mag = MagnitudePruner.Prune(p, target).Objective;
            Assert.True(new SparseGpt().Prune(p, target).Objective <= mag, $"SparseGPT worse than magnitude, seed {seed}, {t}");
            Assert.True(new Alps().Prune(p, target).Objective <= mag, $"ALPS worse than magnitude, seed {seed}, {t}");
            Assert.True(new HassleFree { Iterations = 3 }.Compress(p, target, 2).Objective <= mag, $"HASSLE-free worse than magnitude, seed {seed}, {t}");
        }
    }

    [Theory]
    [InlineData(2, 4)]
    [InlineData(1, 4)]
    [InlineData(3, 8)]
    public void NmMasksKeepExactlyNOfEveryMConsecutiveInputs(int n, int m)
    {
        var p = Layers.Random(4);
        var target = SparsityTarget.Pattern(n, m);
        foreach (var w in new[]
        {
            MagnitudePruner.Prune(p, target).Weights, WandaPruner.Prune(p, target).Weights,
            new SparseGpt().Prune(p, target).Weights, new Alps().Prune(p, target).Weights,
            new HassleFree { Iterations = 2 }.Compress(p, target, 2).Sparse!, new OatsBaseline { Iterations = 2 }.Compress(p, target, 2).Sparse!,
        })
        {
            Assert.True(PruningMask.SatisfiesNM(w.Span, w.Rows, n, m));
            // Random continuous weights: no kept weight is exactly zero, so "at most N" is "exactly N".
            Assert.Equal(p.Rows * p.Cols / m * n, Layers.Nonzeros(w));
        }
    }

    [Fact]
    public void UnstructuredPrunersKeepTheRequestedCount()
    {
        var p = Layers.Random(5);
        var target = SparsityTarget.Unstructured(0.6);
        long kept = p.Rows * p.Cols - (long)Math.Round(0.6 * p.Rows * p.Cols);
        Assert.Equal(kept, Layers.Nonzeros(MagnitudePruner.Prune(p, target).Weights));
        Assert.Equal(kept, Layers.Nonzeros(new Alps().Prune(p, target).Weights));
        // Wanda keeps the same count in every row.
        var wanda = WandaPruner.Prune(p, target).Weights;
        for (int r = 0; r < p.Rows; r++)
            Assert.Equal(p.Cols - (int)Math.Round(0.6 * p.Cols), Enumerable.Range(0, p.Cols).Count(c => wanda[r, c] != 0));
    }

    [Fact]
    public void SparseGptWithIdentityHessianEqualsMagnitudePruning()
    {
        // H = I: the OBS update has no off-diagonal terms and the saliency w²/U_qq² is w² up to a constant.
        var w = Layers.Random(6).W;
        var p = new LayerProblem(w, Matrix.Identity(w.Cols));
        var nm = SparsityTarget.Pattern(2, 4);
        Assert.Equal(Layers.Arr(MagnitudePruner.Prune(p, nm).Weights), Layers.Arr(new SparseGpt().Prune(p, nm).Weights));
        // Unstructured: SparseGPT selects per block, so one block spanning d_in is global magnitude.
        var u = SparsityTarget.Unstructured(0.5);
        Assert.Equal(Layers.Arr(MagnitudePruner.Prune(p, u).Weights), Layers.Arr(new SparseGpt { BlockSize = w.Cols }.Prune(p, u).Weights));
    }

    [Fact]
    public void SparseGptSingleWeightErrorIsTheObsFormula()
    {
        // Pruning the first column of a row costs w_0²/[H⁻¹]_00 after optimal compensation of the others
        // (OBS); brute force: refit the kept weights exactly. The first weight is the smallest, so 1:2 prunes it.
        var h = Matrix.FromArray(new double[,] { { 2, 0.7 }, { 0.7, 1 } });
        var w = Matrix.FromArray(new double[,] { { 0.1, 1 }, { -0.2, 3 } });
        var p = new LayerProblem(w, h);
        var sgpt = new SparseGpt { Percdamp = 0 }.Prune(p, SparsityTarget.Pattern(1, 2));
        Assert.Equal(0, sgpt.Weights[0, 0]);
        Assert.Equal(0, sgpt.Weights[1, 0]);
        var brute = p.Objective(LeastSquaresRefit.PerRow(p, [false, false, true, true]));
        double hinv00 = 1 / (2 - 0.7 * 0.7 / 1);  // Schur complement
        Assert.Equal((0.1 * 0.1 + 0.2 * 0.2) / hinv00, brute, 1e-12);
        Assert.Equal(brute, sgpt.Objective, 1e-12);
    }

    [Fact]
    public void ZeroSparsityReturnsTheDenseLayer()
    {
        var p = Layers.Random(8);
        var zero = SparsityTarget.Unstructured(0);
        Assert.Equal(0, new SparseGpt().Prune(p, zero).RelativeError, 1e-20);
        Assert.Equal(0, new Alps().Prune(p, zero).RelativeError, 1e-20);
        Assert.Equal(0, MagnitudePruner.Prune(p, zero).RelativeError, 1e-20);
    }

    [Fact]
    public void RefittingAFixedSupportNeverIncreasesTheObjective()
    {
        foreach (int seed in new[] { 1, 2, 3 })
        {
            var p = Layers.Random(seed);
            foreach (var r in new[] { MagnitudePruner.Prune(p, SparsityTarget.Unstructured(0.7)), WandaPruner.Prune(p, SparsityTarget.Pattern(2, 4)) })
            {
                var mask = r.Weights.ToArray().Select(v => v != 0).ToArray();
                Assert.True(p.Objective(LeastSquaresRefit.PerRow(p, mask)) <= r.Objective);
            }
        }
    }

    [Fact]
    public void AlpsPcgConvergesToTheLeastSquaresSolutionOnItsSupport()
    {
        var p = Layers.Random(9);
        var target = SparsityTarget.Unstructured(0.6);
        var alps = new Alps { Percdamp = 0, PcgIterations = 2000, PcgTolerance = 1e-13 }.Prune(p, target);
        var mask = alps.Weights.ToArray().Select(v => v != 0).ToArray();
        double exact = p.Objective(LeastSquaresRefit.PerRow(p, mask));
        Assert.Equal(exact, alps.Objective, 1e-6 * exact);
    }

    [Fact]
    public void AlpsProjectionKeepsTheTopKExactly()
    {
        var y = Matrix.Build(4, 8, (r, c) => (r * 8 + c) * (c % 2 == 0 ? 1 : -1.0));
        var z = Alps.Project(y, SparsityTarget.Unstructured(0.75));
        var kept = Enumerable.Range(0, 32).Where(i => z.Span[i] != 0).Select(i => Math.Abs(y.Span[i])).Order().ToArray();
        Assert.Equal(new double[] { 24, 25, 26, 27, 28, 29, 30, 31 }, kept);
    }

    [Theory]
    [InlineData(1, 1000, 0)]      // distinct continuous scores
    [InlineData(2, 1000, 5)]      // five values only: ties everywhere, the threshold inside a run of equal scores
    [InlineData(3, 37, 0)]
    public void TopKEqualsASortWithTiesToTheLowerIndex(int seed, int n, int distinct)
    {
        // Brute force: a stable sort by descending score (ties keep index order) and its first k.
        var rng = new Random(seed);
        var score = Enumerable.Range(0, n).Select(_ => distinct > 0 ? rng.Next(distinct) - 2.0 : rng.NextDouble() * 2 - 1).ToArray();
        score[0] = -0.0; if (n > 1) score[1] = 0.0;   // −0 and +0 are one value
        foreach (long k in new long[] { 0, 1, n / 3, n / 2, n - 1, n })
        {
            var expected = new bool[n];
            foreach (int i in Enumerable.Range(0, n).OrderByDescending(i => score[i]).Take((int)k)) expected[i] = true;
            Assert.Equal(expected, PruningMask.TopK(score, k));
        }
    }

    [Fact]
    public void TopKRejectsNaNScoresWithTheReason()
    {
        var e = Assert.Throws<ArgumentException>(() => PruningMask.TopK(new[] { 1.0, double.NaN }, 1));
        Assert.Contains("NaN", e.Message);
    }

    [Theory]
    [InlineData("0.6")]
    [InlineData("2:4")]
    public void AlpsFloat32AdmmMatchesFloat64OnTheObjective(string t)
    {
        // float32 GEMMs only steer ADMM's support; the refit is float64. Same layers, both precisions: the
        // objectives agree to 1 % (float32's 1e-7 relative rounding moves at most a few entries across the threshold).
        foreach (int seed in new[] { 4, 5, 6 })
        {
            var p = Layers.Random(seed);
            double f64 = new Alps { AdmmFloat32 = false }.Prune(p, Parse(t)).Objective;
            double f32 = new Alps().Prune(p, Parse(t)).Objective;
            Assert.True(Math.Abs(f32 - f64) <= 0.01 * f64, $"seed {seed}, {t}: float32 ADMM objective {f32:G6} vs float64 {f64:G6}");
        }
    }

    [Theory]
    [InlineData(false, 1e-10)]
    [InlineData(true, 1e-4)]   // float32 solves: ~1e-7 relative rounding times the condition number of G̃ + ρI (≤ ~1e3 here)
    public void AlpsShiftedSolveInvertsTheShiftedGramAtEveryRho(bool float32, double tolerance)
    {
        // The ADMM W-update Y = M (G̃ + ρI)⁻¹, checked by multiplying back, across ρ changes (each refactors).
        var rng = new Random(7);
        int n = 24, rows = 5;
        var x = Matrix.Build(40, n, (_, _) => rng.NextDouble() - 0.5);
        var g = Ops.MatMul(x, x, transA: true);
        var d = Enumerable.Range(0, n).Select(j => Math.Sqrt(g[j, j])).ToArray();
        var gt = Matrix.Build(n, n, (i, j) => g[i, j] / (d[i] * d[j]));
        var m = Matrix.Build(rows, n, (_, _) => rng.NextDouble() - 0.5);
        using var solver = new Alps.ShiftedSolver(gt, float32, 0.01);
        foreach (double rho in new[] { 0.1, 0.1, 0.37, 5.0, 0.02 })
        {
            var y = solver.RightSolve(m, rho);
            var back = Ops.MatMul(y, gt);
            double worst = 0;
            for (int i = 0; i < rows; i++) for (int j = 0; j < n; j++) worst = Math.Max(worst, Math.Abs(back[i, j] + rho * y[i, j] - m[i, j]));
            Assert.True(worst <= tolerance, $"ρ = {rho}: |Y(G̃ + ρI) − M| up to {worst:E2}");
        }
        Assert.Equal(4, solver.Factorizations);   // the repeated ρ reuses its factor
    }
}
