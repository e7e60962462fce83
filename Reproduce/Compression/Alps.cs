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
public sealed partial class Alps
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

    /// <summary>Where ALPS runs: null or the CPU, or a CUDA device (Alps.Cuda.cs: the same ADMM, ρ schedule, float32 or
    /// float64 solves and float64 PCG refit, on the device).</summary>
    public Device? Device { get; init; }

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
        if (CompressionCuda.Backend(Device) is { } cuda) return PruneCuda(cuda, p, target, start, sw, notes);
        var g = Damping.Damp(p, Percdamp, notes, "alps");
        var dScale = new double[n];
        for (int j = 0; j < n; j++) dScale[j] = Math.Sqrt(g[j, j]);
        var gt = ScaleColumns(ScaleRows(g, dScale, invert: true), dScale, invert: true);   // D⁻¹GD⁻¹
        var yHat = ScaleColumns(start, dScale, invert: false);                             // ŶD
        double tSetup = sw.Elapsed.TotalSeconds;
        var c = Ops.MatMul(yHat, gt);  // ŶG̃
        double tC = sw.Elapsed.TotalSeconds;
        var solver = new ShiftedSolver(gt, AdmmFloat32, Percdamp);
        string result;
        Matrix z;
        // ADMM holds its iterates transposed (d_in × d_out): the W-update (G̃ + ρI)Yᵀ = Mᵀ is then two triangular
        // solves on the iterate as it lies, with no transposes per iteration (G̃ is symmetric, so Cᵀ = G̃Ŷᵀ).
        using (var yHatT = Ops.Transpose(yHat))
        using (var cT = Ops.Transpose(c))
        {
            Matrix zT;
            try { result = Admm(rows, n, target, yHatT, cT, solver, out zT); }
            finally { solver.Dispose(); }
            using (zT) z = Ops.Transpose(zT);
        }
        double tAdmm = sw.Elapsed.TotalSeconds;
        var mask = Support(z);
        var y = Pcg(gt, c, z, mask, PcgIterations, PcgTolerance);
        var w = ScaleColumns(y, dScale, invert: true);                                     // W = YD⁻¹
        notes.Add(result);
        notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"alps time: damping and scaling {tSetup:F2} s, ŶG̃ {tC - tSetup:F2} s, ADMM {tAdmm - tC:F2} s ({solver.Factorizations} factorizations of G̃ + ρI, {solver.FactorSeconds:F2} s), PCG refit {sw.Elapsed.TotalSeconds - tAdmm:F2} s."));
        return CompressionResult.Of("alps", p, w, sw.Elapsed, notes);
    }

    /// <summary>ADMM on the transposed iterates (d_in × d_out, see <see cref="Prune(LayerProblem, SparsityTarget, Matrix)"/>),
    /// with the released ρ schedule: every third iteration the support change s (changed entries / k) sets ρ.</summary>
    private string Admm(int rows, int n, SparsityTarget target, Matrix yHatT, Matrix cT, ShiftedSolver solver, out Matrix zT)
    {
        var z0 = ProjectTransposed(yHatT, target, rows);
        var z = z0.Copy();
        var u = Matrix.Zeros(n, rows);
        var m = Matrix.Zeros(n, rows);   // reused: a fresh 32 MB array per iteration (a 1024 × 4096 layer) costs page faults
        var lastSupport = Support(z);
        string result = RhoSchedule(KeptCount(rows, n, target),
            rho =>
            {
                // Yᵀ = (G̃ + ρI)⁻¹(Cᵀ − Uᵀ + ρZᵀ)
                var ms = m.Span; var cs = cT.Span; var us = u.Span; var zs = z.Span;
                for (int i = 0; i < ms.Length; i++) ms[i] = cs[i] - us[i] + rho * zs[i];
                using var y = solver.LeftSolve(m, rho);
                var ys = y.Span;
                for (int i = 0; i < ms.Length; i++) ms[i] = ys[i] + us[i] / rho;   // V = Y + U/ρ, in m's storage
                z.Dispose();
                z = ProjectTransposed(m, target, rows);
                zs = z.Span;
                for (int i = 0; i < us.Length; i++) us[i] += rho * (ys[i] - zs[i]);
            },
            () =>
            {
                var support = Support(z);
                long changed = 0;
                for (int i = 0; i < support.Length; i++) if (support[i] != lastSupport[i]) changed++;
                lastSupport = support;
                return changed;
            },
            () => { z.Dispose(); z = z0.Copy(); u.Span.Clear(); lastSupport = Support(z); });
        m.Dispose(); u.Dispose(); z0.Dispose();
        zT = z;
        return result;
    }

    /// <summary>k, the weights kept: the ADMM's support change is counted relative to it.</summary>
    private static long KeptCount(int rows, int n, SparsityTarget target) =>
        target.IsPattern ? (long)rows * (n / target.M) * target.N : target.Kept((long)rows * n);

    /// <summary>The released ρ schedule and stopping rule, shared by the CPU and CUDA ADMM: <paramref name="step"/> runs one
    /// ADMM iteration at ρ; every third iteration the support change s = <paramref name="supportChanges"/>() / k sets ρ;
    /// <paramref name="reset"/> restarts from Z₀ with U = 0 (when ρ was too large from the start).</summary>
    private string RhoSchedule(long k, Action<double> step, Func<long> supportChanges, Action reset)
    {
        double rho = InitialRho;
        bool increased = false;
        int iter = 0;
        string stop = "iteration cap";
        for (; iter < MaxIterations; iter++)
        {
            step(rho);
            if ((iter + 1) % 3 != 0) continue;
            long changed = supportChanges();
            double s = k > 0 ? (double)changed / k : 0;
            if (iter >= 30 && s < 3e-4) { stop = "support settled"; iter++; break; }
            if (s > 0.1) { rho *= 1.3; increased = true; }
            else if (s > 0.005) { rho *= 1.2; increased = true; }
            else if (changed >= 1)
            {
                if (increased) rho *= 1.1;
                else { rho /= 5; reset(); }
            }
            else if (increased) { stop = "support unchanged"; iter++; break; }
            else rho /= 5;
            rho = Math.Min(rho, 1e6);
        }
        return string.Create(CultureInfo.InvariantCulture, $"ADMM stopped after {iter} iterations ({stop}), final ρ = {rho:G3}.");
    }

    /// <summary>A copy of <paramref name="a"/> with column j multiplied (or divided) by d_j.</summary>
    private static Matrix ScaleColumns(Matrix a, double[] d, bool invert)
    {
        var r = a.Copy();
        var s = r.Span;
        for (int j = 0, rows = a.Rows; j < a.Cols; j++)
        {
            double f = invert ? 1 / d[j] : d[j];
            foreach (ref double v in s.Slice(j * rows, rows)) v *= f;
        }
        return r;
    }

    /// <summary>A copy of <paramref name="a"/> with row i multiplied (or divided) by d_i.</summary>
    private static Matrix ScaleRows(Matrix a, double[] d, bool invert)
    {
        var r = a.Copy();
        var s = r.Span;
        var f = d.Select(x => invert ? 1 / x : x).ToArray();
        for (int j = 0, rows = a.Rows; j < a.Cols; j++)
        {
            var col = s.Slice(j * rows, rows);
            for (int i = 0; i < rows; i++) col[i] *= f[i];
        }
        return r;
    }

    /// <summary><see cref="Project"/> of a transposed iterate (d_in × d_out): the global top-k does not depend on the
    /// layout; N:M groups run along a row of the layer, so that case goes through the layer's layout.</summary>
    private static Matrix ProjectTransposed(Matrix vT, SparsityTarget target, int rows)
    {
        if (!target.IsPattern) return Project(vT, target);
        using var v = Ops.Transpose(vT);
        using var z = Project(v, target);
        return Ops.Transpose(z);
    }

    /// <summary>Y = M (G̃ + ρI)⁻¹ for the ADMM W-update: a Cholesky factor of G̃ + ρI, kept until ρ changes.</summary>
    internal sealed class ShiftedSolver(Matrix gt, bool float32, double percdamp) : IDisposable
    {
        private Matrix? _factor;
        private double _rho = double.NaN;
        private bool _float32 = float32;
        public int Factorizations { get; private set; }
        public double FactorSeconds { get; private set; }

        /// <summary>Yᵀ = (G̃ + ρI)⁻¹ Mᵀ for <paramref name="mt"/> = Mᵀ (d_in × d_out), float64 in and out.</summary>
        public Matrix LeftSolve(Matrix mt, double rho)
        {
            if (rho != _rho) Factor(rho);
            using var mtLow = _float32 ? mt.AsType(DType.F32) : null;
            using var half = Ops.TriangularSolve(_factor!, mtLow ?? mt, lower: true);
            var yt = Ops.TriangularSolve(_factor!, half, lower: true, transpose: true);
            if (!_float32) return yt;
            using (yt) return yt.AsType(DType.F64);
        }

        /// <summary>Y = M (G̃ + ρI)⁻¹ for M in the layer's layout (d_out × d_in).</summary>
        public Matrix RightSolve(Matrix m, double rho)
        {
            using var mt = Ops.Transpose(m);
            using var yt = LeftSolve(mt, rho);
            return Ops.Transpose(yt);
        }

        private void Factor(double rho)
        {
            var sw = Stopwatch.StartNew();
            _factor?.Dispose();
            _factor = null;
            if (_float32)
            {
                using var low = gt.AsType(DType.F32);   // ρ added in float32: one conversion, no float64 copy
                AddToDiagonal(low, rho);
                try { _factor = Ops.Cholesky(low); }
                catch (NotPositiveDefiniteException) { _float32 = false; }   // float32 too coarse for this G̃ + ρI: float64 from here on
            }
            using var shifted = _float32 ? null : gt.Copy();
            if (shifted is not null) AddToDiagonal(shifted, rho);
            if (_factor is null)
            {
                try { _factor = Ops.Cholesky(shifted!); }
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

        /// <summary>a += ρI in place, on the host or the device (float32: ρ rounded to float32 first).</summary>
        private static void AddToDiagonal(Matrix a, double rho)
        {
            if (CompressionCuda.Backend(a.Device) is { } cb) { cb.AddDiagonal(a, rho); return; }
            int n = a.Rows;
            if (a.DType == DType.F32) { var lp = a.SpanF32; for (int j = 0; j < n; j++) lp[j + j * n] += (float)rho; }
            else { var sp = a.Span; for (int j = 0; j < n; j++) sp[j + j * n] += rho; }
        }
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
