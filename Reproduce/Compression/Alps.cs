using System.Diagnostics;
using System.Globalization;
using Reproduce.Compute;

namespace Reproduce.Compression;

/// <summary>ALPS (Meng, Behdin, Wang, Mazumder, NeurIPS 2024; brief §2.4): ℓ0-constrained least squares
/// min tr((Ŵ − W)H(Ŵ − W)ᵀ) s.t. ‖W‖₀ ≤ k or N:M, by ADMM on the unit-diagonal scaling G̃ = D⁻¹GD⁻¹
/// (G = H + λ·mean(diag H)·I, D = diag(√G_jj)) with the released ρ schedule, then a PCG refit on the
/// final support. Held in the layer's layout: Y = W·D (d_out × d_in), so the W-update is
/// Y = (ŶG̃ − U + ρZ)(G̃ + ρI)⁻¹. The released code applies (G̃ + ρI)⁻¹ as Q·diag(1/(λ_i + ρ))·Qᵀ from one
/// eigendecomposition (two GEMMs per iteration); here it is a Cholesky factor of G̃ + ρI, refactored whenever ρ
/// changes, and two triangular solves per iteration: the same update, half the flops per iteration, and no
/// eigendecomposition (which alone took longer than the whole ADMM on a 1024 × 4096 layer on 2 cores).</summary>
public sealed class Alps
{
    /// <summary>Damping fraction of mean(diag H) (0.01 as released).</summary>
    public double Percdamp { get; init; } = 0.01;

    /// <summary>Initial penalty ρ (0.1 as released; HASSLE-free uses 0.1·(5t + 1) at iteration t).</summary>
    public double InitialRho { get; init; } = 0.1;

    /// <summary>ADMM iteration cap (300 as released, 200 inside HASSLE-free).</summary>
    public int MaxIterations { get; init; } = 300;

    /// <summary>The ADMM W-update's factorization and triangular solves in float32 (the default) or float64. ADMM only chooses the support: the
    /// iterates, the projection and ρ stay float64 and the PCG refit on the final support is float64, so the
    /// weights returned are the float64 least-squares fit on that support whichever is used. float32 halves the
    /// solves' time on a CPU (a 1024 × 4096 layer: 34 GFLOP per iteration). A float32 factorization that fails
    /// (G̃ + ρI too ill-conditioned for float32) is redone in float64.</summary>
    public bool AdmmFloat32 { get; init; } = true;

    /// <summary>PCG iterations of the post-processing refit (10 as released).</summary>
    public int PcgIterations { get; init; } = 10;

    /// <summary>PCG relative residual tolerance (1e-4 as released).</summary>
    public double PcgTolerance { get; init; } = 1e-4;

    /// <summary>Prunes Ŵ to the target.</summary>
    public CompressionResult Prune(LayerProblem p, SparsityTarget target) => Prune(p, target, p.W);

    /// <summary>Prunes <paramref name="start"/> (a matrix of the layer's shape, e.g. the residual Ŵ − L
    /// inside HASSLE-free) on the layer's H. The result's objective is always measured against Ŵ.</summary>
    public CompressionResult Prune(LayerProblem p, SparsityTarget target, Matrix start)
    {
        ArgumentNullException.ThrowIfNull(p); ArgumentNullException.ThrowIfNull(target);
        if (MaxIterations < 1) throw new ArgumentOutOfRangeException(nameof(MaxIterations), MaxIterations, "ALPS needs at least one ADMM iteration (300 as released).");
        if (PcgIterations < 0) throw new ArgumentOutOfRangeException(nameof(PcgIterations), PcgIterations, "PCG iterations must be ≥ 0 (10 as released).");
        if (!(InitialRho > 0)) throw new ArgumentOutOfRangeException(nameof(InitialRho), InitialRho, "ρ must be > 0 (0.1 as released).");
        target.CheckFits(p.Cols);
        var sw = Stopwatch.StartNew();
        var notes = new List<string>();
        int rows = p.Rows, n = p.Cols;
        if (!target.IsPattern && target.Kept((long)rows * n) == (long)rows * n)   // nothing to prune: the start is the answer
            return CompressionResult.Of("alps", p, start.Copy(), sw.Elapsed, ["alps: the target keeps every weight; no ADMM run."]);
        var g = Damping.Damp(p, Percdamp, notes, "alps");
        var dScale = new double[n];
        for (int j = 0; j < n; j++) dScale[j] = Math.Sqrt(g[j, j]);
        var gt = Matrix.Build(n, n, (i, j) => g[i, j] / (dScale[i] * dScale[j]));
        var yHat = Matrix.Build(rows, n, (r, j) => start[r, j] * dScale[j]);
        double tSetup = sw.Elapsed.TotalSeconds;
        var c = Ops.MatMul(yHat, gt);  // ŶG̃
        double tC = sw.Elapsed.TotalSeconds;
        var solver = new ShiftedSolver(gt, AdmmFloat32, Percdamp);
        string result;
        Matrix z;
        try { result = Admm(p, target, yHat, c, solver, out z); }
        finally { solver.Dispose(); }
        double tAdmm = sw.Elapsed.TotalSeconds;
        var mask = Support(z);
        var y = Pcg(gt, c, z, mask, PcgIterations, PcgTolerance);
        var w = Matrix.Build(rows, n, (r, j) => y[r, j] / dScale[j]);
        notes.Add(result);
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"alps time: damping and scaling {tSetup:F2} s, ŶG̃ {tC - tSetup:F2} s, ADMM {tAdmm - tC:F2} s ({solver.Factorizations} factorizations of G̃ + ρI, {solver.FactorSeconds:F2} s), PCG refit {sw.Elapsed.TotalSeconds - tAdmm:F2} s."));
        return CompressionResult.Of("alps", p, w, sw.Elapsed, notes);
    }

    private string Admm(LayerProblem p, SparsityTarget target, Matrix yHat, Matrix c, ShiftedSolver solver, out Matrix z)
    {
        int rows = p.Rows, n = p.Cols;
        long k = target.IsPattern ? (long)rows * (n / target.M) * target.N : target.Kept((long)rows * n);
        double rho = InitialRho;
        var z0 = Project(yHat, target);
        z = z0.Copy();
        var u = Matrix.Zeros(rows, n);
        bool increased = false;
        var lastSupport = Support(z);
        int iter = 0;
        string stop = "iteration cap";
        for (; iter < MaxIterations; iter++)
        {
            // Y = (C − U + ρZ)(G̃ + ρI)⁻¹
            var m = c.Copy();
            var ms = m.Span; var us = u.Span; var zs = z.Span;
            for (int i = 0; i < ms.Length; i++) ms[i] += -us[i] + rho * zs[i];
            var y = solver.RightSolve(m, rho);
            var ys = y.Span;
            var v = y.Copy();
            var vs = v.Span;
            for (int i = 0; i < vs.Length; i++) vs[i] += us[i] / rho;
            z = Project(v, target);
            zs = z.Span;
            for (int i = 0; i < us.Length; i++) us[i] += rho * (ys[i] - zs[i]);
            if ((iter + 1) % 3 != 0) continue;
            var support = Support(z);
            long changed = 0;
            for (int i = 0; i < support.Length; i++) if (support[i] != lastSupport[i]) changed++;
            lastSupport = support;
            double s = k > 0 ? (double)changed / k : 0;
            if (iter >= 30 && s < 3e-4) { stop = "support settled"; iter++; break; }
            if (s > 0.1) { rho *= 1.3; increased = true; }
            else if (s > 0.005) { rho *= 1.2; increased = true; }
            else if (changed >= 1)
            {
                if (increased) rho *= 1.1;
                else { rho /= 5; z = z0.Copy(); u = Matrix.Zeros(rows, n); lastSupport = Support(z); }
            }
            else if (increased) { stop = "support unchanged"; iter++; break; }
            else rho /= 5;
            rho = Math.Min(rho, 1e6);
        }
        return string.Create(CultureInfo.InvariantCulture, $"ADMM stopped after {iter} iterations ({stop}), final ρ = {rho:G3}.");
    }

    /// <summary>Y = M (G̃ + ρI)⁻¹ for the ADMM W-update: a Cholesky factor of G̃ + ρI, kept until ρ changes.</summary>
    internal sealed class ShiftedSolver(Matrix gt, bool float32, double percdamp) : IDisposable
    {
        private Matrix? _factor;
        private double _rho = double.NaN;
        private bool _float32 = float32;
        public int Factorizations { get; private set; }
        public double FactorSeconds { get; private set; }

        public Matrix RightSolve(Matrix m, double rho)
        {
            if (rho != _rho) Factor(rho);
            // (G̃ + ρI) Yᵀ = Mᵀ (G̃ symmetric): L Lᵀ Yᵀ = Mᵀ, two triangular solves on the transposed right-hand side.
            using var mt = Ops.Transpose(m);
            using var mtLow = _float32 ? mt.AsType(DType.F32) : null;
            using var half = Ops.TriangularSolve(_factor!, mtLow ?? mt, lower: true);
            using var yt = Ops.TriangularSolve(_factor!, half, lower: true, transpose: true);
            using var yt64 = _float32 ? yt.AsType(DType.F64) : null;
            return Ops.Transpose(yt64 ?? yt);
        }

        private void Factor(double rho)
        {
            var sw = Stopwatch.StartNew();
            _factor?.Dispose();
            _factor = null;
            using var shifted = gt.Copy();
            var sp = shifted.Span;
            for (int j = 0, n = gt.Rows; j < n; j++) sp[j + j * n] += rho;
            if (_float32)
            {
                using var low = shifted.AsType(DType.F32);
                try { _factor = Ops.Cholesky(low); }
                catch (NotPositiveDefiniteException) { _float32 = false; }   // float32 too coarse for this G̃ + ρI: float64 from here on
            }
            if (_factor is null)
            {
                try { _factor = Ops.Cholesky(shifted); }
                catch (NotPositiveDefiniteException e)
                {
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"alps: the scaled Gram plus ρ = {rho:G3} is not positive definite after damping {percdamp} ({e.Message}): raise the damping."), e);
                }
            }
            _rho = rho;
            Factorizations++;
            FactorSeconds += sw.Elapsed.TotalSeconds;
        }

        public void Dispose() => _factor?.Dispose();
    }

    /// <summary>Projection onto the sparsity set: global top-k by |value|, or N:M per output row.</summary>
    internal static Matrix Project(Matrix y, SparsityTarget target)
    {
        var s = y.Span;
        var score = new double[s.Length];
        for (int i = 0; i < s.Length; i++) score[i] = Math.Abs(s[i]);
        return MagnitudePruner.Apply(y, PruningMask.Select(score, y.Rows, target));
    }

    private static bool[] Support(Matrix z)
    {
        var s = z.Span;
        var m = new bool[s.Length];
        for (int i = 0; i < s.Length; i++) m[i] = s[i] != 0;
        return m;
    }

    /// <summary>Conjugate gradients batched over output rows for min ½tr((Y − Ŷ)G̃(Y − Ŷ)ᵀ) with Y fixed
    /// to zero off <paramref name="mask"/>: residual R = mask∘(ŶG̃ − YG̃), warm start Y₀. G̃ has unit
    /// diagonal, so this is Jacobi-preconditioned CG on the unscaled problem.</summary>
    internal static Matrix Pcg(Matrix gt, Matrix c, Matrix y0, bool[] mask, int iterations, double rtol)
    {
        int rows = y0.Rows;
        var y = y0.Copy();
        var r = Ops.Sub(c, Ops.MatMul(y, gt));
        Mask(r, mask);
        var pDir = r.Copy();
        var rr = RowDots(r, r);
        double r0 = Math.Sqrt(rr.Sum());
        for (int it = 0; it < iterations && r0 > 0; it++)
        {
            var ap = Ops.MatMul(pDir, gt);
            Mask(ap, mask);
            var pap = RowDots(pDir, ap);
            var alpha = new double[rows];
            for (int i = 0; i < rows; i++) alpha[i] = pap[i] > 0 ? rr[i] / pap[i] : 0;
            var ys = y.Span; var rs = r.Span; var ps = pDir.Span; var aps = ap.Span;
            for (int i = 0; i < ys.Length; i++) { int row = i % rows; ys[i] += alpha[row] * ps[i]; rs[i] -= alpha[row] * aps[i]; }
            var rrNew = RowDots(r, r);
            if (Math.Sqrt(rrNew.Sum()) <= rtol * r0) break;
            for (int i = 0; i < ps.Length; i++) { int row = i % rows; ps[i] = rs[i] + (rr[row] > 0 ? rrNew[row] / rr[row] : 0) * ps[i]; }
            rr = rrNew;
        }
        return y;
    }

    private static void Mask(Matrix a, bool[] mask)
    {
        var s = a.Span;
        for (int i = 0; i < s.Length; i++) if (!mask[i]) s[i] = 0;
    }

    private static double[] RowDots(Matrix a, Matrix b)
    {
        int rows = a.Rows;
        var d = new double[rows];
        var x = a.Span; var y = b.Span;
        for (int i = 0; i < x.Length; i++) d[i % rows] += x[i] * y[i];
        return d;
    }
}
