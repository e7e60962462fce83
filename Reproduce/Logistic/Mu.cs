using System.Diagnostics;
using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Logistic;

/// <summary>The complexity measure μ_y(X) = sup_{β≠0} ‖(Zβ)⁺‖₁ / ‖(Zβ)⁻‖₁, Z = D_y X (Dexter, Drineas, Khanna,
/// "The Space Complexity of Approximating Logistic Loss", NeurIPS 2024, Definition 1; Munteanu et al. 2018), computed
/// exactly by linear programming (Appendix B and the equivalent forms of brief §2.4) or bracketed by IRLS. Every
/// result carries a β (lower-bound certificate) and, where available, a λ (upper-bound certificate).
/// Special cases: Zᵀ1 = 0 ⇒ μ = 1; data separable through the origin (some β ≠ 0 with Zβ ≥ 0) ⇒ μ = ∞.</summary>
public static class Mu
{
    /// <summary>IPM options used for the exact LP forms on the project's solver.</summary>
    public static IpmOptions ExactLpOptions { get; } = new() { Tolerance = 1e-11, MaxIterations = 300 };

    /// <summary>μ of a data set by the chosen method.</summary>
    public static MuResult Compute(LogisticData data, MuMethod method = MuMethod.Lad)
    {
        ArgumentNullException.ThrowIfNull(data);
        var z = data.Z();
        return method switch
        {
            MuMethod.Lad => Lad(z),
            MuMethod.Irls => Irls(z),
            MuMethod.ProjectorLp => ProjectorLp(z),
            MuMethod.BetaFormLp => BetaFormLp(z),
            MuMethod.LadLp => LadLp(z),
            MuMethod.DualLp => DualLp(z),
            MuMethod.AngularSweep => AngularSweep(z),
            _ => throw new ArgumentException($"Mu.Compute: unknown method {method}.", nameof(method)),
        };
    }

    /// <summary>g = Zᵀ1.</summary>
    public static double[] ColumnSums(Matrix z) => Linalg.MatVec(z, MuLinearPrograms.Ones(z.Rows), trans: true);

    /// <summary>True when Zᵀ1 = 0 up to rounding (relative to Σ|Z|), which forces μ = 1.</summary>
    public static bool HasBalancedSums(Matrix z, out double[] g)
    {
        g = ColumnSums(z);
        var zc = MuLinearPrograms.Cpu(z);
        double scale = 0; foreach (var v in zc.Span) scale += Math.Abs(v);
        return Linalg.Norm(g) <= 1e-13 * Math.Max(scale, 1e-300);
    }

    private static MuResult Balanced(MuMethod m, Matrix z, Stopwatch sw) => new()
    {
        Method = m, Value = 1, Lower = 1, Upper = 1, Beta = Unit(z.Cols, 0), Lambda = MuLinearPrograms.Ones(z.Rows), BalancedSums = true,
        Seconds = sw.Elapsed.TotalSeconds, Message = "Zᵀ1 = 0: every β has equal positive and negative mass, μ = 1",
    };

    /// <summary>The LAD form (brief §2.4.2): s* = min ‖Zβ‖₁ s.t. gᵀβ = 1, μ = (s*+1)/(s*−1), solved by eliminating the
    /// coordinate with the largest |g_k| (an unconstrained LAD regression with d − 1 unknowns) and running a
    /// bounded-variable Mehrotra interior point method on its dual max cᵀw s.t. Aᵀw = 0, |w| ≤ 1 (d−1 rows).
    /// Cost O(n d²) per iteration through <see cref="Ops"/>. s* = 1 means separable (μ = ∞).</summary>
    public static MuResult Lad(Matrix z, double tolerance = 1e-11)
    {
        ArgumentNullException.ThrowIfNull(z);
        var sw = Stopwatch.StartNew();
        if (HasBalancedSums(z, out var g)) return Balanced(MuMethod.Lad, z, sw);
        int n = z.Rows, d = z.Cols, k = 0;
        for (int j = 1; j < d; j++) if (Math.Abs(g[j]) > Math.Abs(g[k])) k = j;
        var zc = MuLinearPrograms.Cpu(z);
        var c = new double[n];
        for (int i = 0; i < n; i++) c[i] = zc[i, k] / g[k];
        double[] beta; int iters = 0; double[]? w = null; string msg = "d = 1: β fixed by gᵀβ = 1";
        if (d == 1) beta = [1 / g[k]];
        else
        {
            var others = Enumerable.Range(0, d).Where(j => j != k).ToArray();
            var a = Matrix.Build(n, d - 1, (i, jj) => -(zc[i, others[jj]] - zc[i, k] * g[others[jj]] / g[k]));
            if (z.Device.Kind != DeviceKind.Cpu) a = a.To(z.Device);
            var half = Linalg.MatVec(a, MuLinearPrograms.Ones(n), trans: true);
            for (int q = 0; q < half.Length; q++) half[q] *= 0.5;
            var r = BoxInteriorPoint.Solve(a, half, c.Select(v => -v).ToArray(), tolerance);
            iters = r.Iterations; msg = r.Message;
            beta = new double[d]; double sumG = 0;
            for (int jj = 0; jj < others.Length; jj++) { beta[others[jj]] = -r.Y[jj]; sumG += g[others[jj]] * beta[others[jj]]; }
            beta[k] = (1 - sumG) / g[k];
            w = r.X.Select(v => 2 * v - 1).ToArray();
        }
        return Finish(MuMethod.Lad, z, beta, w, c, iters, sw, msg);
    }

    /// <summary>Builds a result from a β with gᵀβ = 1 and an optional LAD dual w (|w| ≤ 1, Zᵀw ∝ g with factor cᵀw).</summary>
    private static MuResult Finish(MuMethod method, Matrix z, double[] beta, double[]? w, double[] c, int iters, Stopwatch sw, string msg)
    {
        var zb = Linalg.MatVec(z, beta);
        double s = Linalg.L1(zb);
        double lower = MuCertificates.LowerFromValues(zb);
        double upper = double.PositiveInfinity; double[]? lambda = null;
        if (w is not null)
        {
            double tau = Linalg.Dot(c, w);
            var cand = w.Select(v => tau - v).ToArray();
            (upper, lambda) = MuCertificates.Upper(MuCertificates.OrthonormalBasis(z), cand);
        }
        bool separable = s - 1 <= 1e-9 * s || double.IsPositiveInfinity(lower);
        double value = separable ? double.PositiveInfinity : (s + 1) / (s - 1);
        return new MuResult
        {
            Method = method, Value = value, Lower = lower, Upper = Math.Max(upper, lower), Beta = beta, Lambda = lambda, Separable = separable,
            Iterations = iters, Seconds = sw.Elapsed.TotalSeconds, Message = separable ? msg + "; s* = 1: separable through the origin, μ = ∞" : msg,
        };
    }

    /// <summary>IRLS on the LAD form (brief §2.4.4): repeat H = Zᵀdiag(w)Z, Hx = g, β = x/(gᵀx); wᵢ = 1/max(|(Zβ)ᵢ|, ε_k)
    /// with ε₀ = 10⁻², ε_k = max(10⁻¹⁰, min(ε_{k−1}, ½·(d+1)-th smallest |(Zβ)ᵢ|)). Each iterate's β certifies a lower
    /// bound and its weighted residual w∘(Zx) a dual λ, hence an upper bound; stops when the bracket's relative width is
    /// below <paramref name="relativeGap"/> or after <paramref name="maxIterations"/>. Value = best lower bound.</summary>
    public static MuResult Irls(Matrix z, double relativeGap = 1e-9, int maxIterations = 500)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (maxIterations < 1) throw new ArgumentException($"Mu.Irls: maxIterations = {maxIterations}; it must be at least 1.", nameof(maxIterations));
        var sw = Stopwatch.StartNew();
        if (HasBalancedSums(z, out var g)) return Balanced(MuMethod.Irls, z, sw);
        int n = z.Rows, d = z.Cols;
        var q = MuCertificates.OrthonormalBasis(z);
        var wts = MuLinearPrograms.Ones(n);
        double eps = 1e-2, bestLower = 0, bestUpper = double.PositiveInfinity, bestS = double.PositiveInfinity;
        double[] bestBeta = new double[d]; double[]? bestLambda = null;
        int it = 0, sinceImprove = 0;
        for (; it < maxIterations; it++)
        {
            var h = Linalg.WeightedGram(z, wts);
            var x = Linalg.SolveSpd(h, g);
            double gx = Linalg.Dot(g, x);
            if (!(Math.Abs(gx) > 0) || !double.IsFinite(gx)) break;
            var zx = Linalg.MatVec(z, x);
            var beta = x.Select(v => v / gx).ToArray();
            var zb = zx.Select(v => v / gx).ToArray();
            double s = Linalg.L1(zb);
            double lower = MuCertificates.LowerFromValues(zb);
            // Dual estimate: ω = w∘(Zx) has Zᵀω = g; λ = ω/‖ω‖∞ has Zᵀλ = τg with τ = 1/‖ω‖∞, so τ1 − λ ∈ null(Zᵀ).
            double wmax = 0; var om = new double[n];
            for (int i = 0; i < n; i++) { om[i] = wts[i] * zx[i]; wmax = Math.Max(wmax, Math.Abs(om[i])); }
            double upper = double.PositiveInfinity; double[]? lam = null;
            if (wmax > 0)
            {
                double tau = 1 / wmax;
                var cand = om.Select(v => tau - v / wmax).ToArray();
                (upper, lam) = MuCertificates.Upper(q, cand);
            }
            // Vertex polish: the LAD optimum has d − 1 zero residuals; solve [Z_S; gᵀ]β = e for the d − 1 smallest |zᵢ|.
            if (d > 1 && it % 5 == 4)
            {
                var pb = VertexPolish(z, g, zb, d);
                if (pb is not null)
                {
                    var pzb = Linalg.MatVec(z, pb);
                    double ps = Linalg.L1(pzb);
                    if (ps < bestS) { bestS = ps; bestBeta = pb; bestLower = Math.Max(bestLower, MuCertificates.LowerFromValues(pzb)); }
                }
            }
            bool improved = false;
            if (s < bestS) { bestS = s; bestLower = Math.Max(bestLower, lower); bestBeta = beta; improved = true; }
            else bestLower = Math.Max(bestLower, lower);
            if (upper < bestUpper) { bestUpper = upper; bestLambda = lam; improved = true; }
            sinceImprove = improved ? 0 : sinceImprove + 1;
            if (double.IsPositiveInfinity(bestLower)) { it++; break; }
            if ((bestUpper - bestLower) <= relativeGap * bestLower || sinceImprove >= 200) { it++; break; }
            var abs = zb.Select(Math.Abs).ToArray();
            double kth = Kth(abs, Math.Min(d, n - 1));
            eps = Math.Max(1e-10, Math.Min(eps, 0.5 * kth));
            for (int i = 0; i < n; i++) wts[i] = 1 / Math.Max(abs[i], eps);
        }
        bool separable = double.IsPositiveInfinity(bestLower) || bestS - 1 <= 1e-12 * bestS;
        return new MuResult
        {
            Method = MuMethod.Irls, Value = separable ? double.PositiveInfinity : bestLower, Lower = bestLower, Upper = Math.Max(bestUpper, bestLower),
            Beta = bestBeta, Lambda = bestLambda, Separable = separable, Iterations = it, Seconds = sw.Elapsed.TotalSeconds,
            Message = separable ? "s → 1: separable through the origin, μ = ∞" : $"bracket relative width {(bestUpper - bestLower) / bestLower:E2}",
        };
    }

    /// <summary>P1's projector LP (Appendix B) on the project's IPM; μ = (C − t*)/(C + t*). Dense n×n: n ≲ 1000.</summary>
    public static MuResult ProjectorLp(Matrix z, double c = 1, IpmOptions? options = null)
    {
        var sw = Stopwatch.StartNew();
        var lp = MuLinearPrograms.Projector(z, c);
        var r = SolveLp(lp, options);
        int n = z.Rows;
        double t = r.Objective;
        var zv = new double[n]; for (int i = 0; i < n; i++) zv[i] = r.X[i] - r.X[n + i];
        double value = t <= -c * (1 - 1e-9) ? double.PositiveInfinity : (c - t) / (c + t);
        var beta = LeastSquares(z, zv);
        return LpResult(MuMethod.ProjectorLp, z, value, beta, null, r, sw);
    }

    /// <summary>The β-form LP on the project's IPM; μ = 1/opt.</summary>
    public static MuResult BetaFormLp(Matrix z, IpmOptions? options = null)
    {
        var sw = Stopwatch.StartNew();
        var r = SolveLp(MuLinearPrograms.BetaForm(z), options);
        double opt = r.Objective;
        double value = opt <= 1e-10 ? double.PositiveInfinity : 1 / opt;
        return LpResult(MuMethod.BetaFormLp, z, value, r.X.Take(z.Cols).ToArray(), null, r, sw);
    }

    /// <summary>The LAD form as a general LP on the project's IPM (rows n + 1: small n only; <see cref="Lad"/> scales).</summary>
    public static MuResult LadLp(Matrix z, IpmOptions? options = null)
    {
        var sw = Stopwatch.StartNew();
        if (HasBalancedSums(z, out _)) return Balanced(MuMethod.LadLp, z, sw);
        var r = SolveLp(MuLinearPrograms.Lad(z), options);
        double s = r.Objective;
        double value = s - 1 <= 1e-9 * s ? double.PositiveInfinity : (s + 1) / (s - 1);
        return LpResult(MuMethod.LadLp, z, value, r.X.Take(z.Cols).ToArray(), null, r, sw);
    }

    /// <summary>The dual (certificate) form on the project's IPM: 1/μ = max{τ : Zᵀλ = 0, τ ≤ λ ≤ 1}.</summary>
    public static MuResult DualLp(Matrix z, IpmOptions? options = null)
    {
        var sw = Stopwatch.StartNew();
        var r = SolveLp(MuLinearPrograms.Dual(z), options);
        double tau = -r.Objective;
        double value = tau <= 1e-10 ? double.PositiveInfinity : 1 / tau;
        var lam = r.X.Take(z.Rows).ToArray();
        return LpResult(MuMethod.DualLp, z, value, null, lam, r, sw);
    }

    /// <summary>LP feasibility test for separability through the origin: is there β with Zβ ≥ 0, Zβ ≠ 0 (μ = ∞)?
    /// Runs the phase-1 LP min Σv s.t. Zβ − u + v = 0, 1ᵀu = 1 (u, v ≥ 0) on the project's IPM (n + 1 rows: small and
    /// moderate n); the system is feasible iff the optimum is 0. (<see cref="MuLinearPrograms.Separability"/> states the same
    /// test as a bounded LP for external solvers; the project's IPM diverges on it when the data are separable.)</summary>
    public static bool IsSeparable(Matrix z, IpmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (HasBalancedSums(z, out _)) return false;
        // Phase-1 LP of the system Zβ = u, u ≥ 0, 1ᵀu = 1 (the β-form): its optimum Σv is 0 exactly when feasible.
        var r = SolveLp(MuLinearPrograms.BetaForm(z), options);
        return r.Objective <= 1e-9;
    }

    /// <summary>Brute force for d = 2: the best ratio over β = (cos θ, sin θ), θ on a grid of <paramref name="steps"/>
    /// angles in [0, π) refined by golden-section search around the best grid point. A lower bound that converges to μ.</summary>
    public static MuResult AngularSweep(Matrix z, int steps = 20000)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.Cols != 2) throw new ArgumentException($"Mu.AngularSweep: Z has {z.Cols} columns; the angular sweep is for d = 2 only.", nameof(z));
        var sw = Stopwatch.StartNew();
        var zc = MuLinearPrograms.Cpu(z);
        double F(double th)
        {
            double c = Math.Cos(th), s = Math.Sin(th), p = 0, q = 0;
            for (int i = 0; i < zc.Rows; i++) { double v = zc[i, 0] * c + zc[i, 1] * s; if (v > 0) p += v; else q -= v; }
            if (p == 0 && q == 0) return 1;
            return p == 0 || q == 0 ? double.PositiveInfinity : Math.Max(p / q, q / p);
        }
        double best = 0, bt = 0;
        for (int k = 0; k < steps; k++) { double th = Math.PI * k / steps; double f = F(th); if (f > best) { best = f; bt = th; } }
        double h = Math.PI / steps, lo = bt - h, hi = bt + h;
        for (int k = 0; k < 200; k++)
        {
            double m1 = lo + (hi - lo) * 0.381966, m2 = lo + (hi - lo) * 0.618034;
            if (F(m1) >= F(m2)) hi = m2; else lo = m1;
        }
        double tb = 0.5 * (lo + hi), fb = F(tb);
        if (fb > best) { best = fb; bt = tb; }
        return new MuResult
        {
            Method = MuMethod.AngularSweep, Value = best, Lower = best, Upper = double.PositiveInfinity, Beta = [Math.Cos(bt), Math.Sin(bt)],
            Separable = double.IsPositiveInfinity(best), Iterations = steps, Seconds = sw.Elapsed.TotalSeconds, Message = "angular sweep (d = 2)",
        };
    }

    private static LpResult SolveLp(LpProblem lp, IpmOptions? options)
    {
        var r = InteriorPointSolver.Solve(lp, options ?? ExactLpOptions);
        // The project's IPM can stall at 1e-11 on split free variables; relax step by step (reported to the IPM owner).
        foreach (var tol in new[] { 1e-10, 1e-9 })
            if (r.Status != LpStatus.Optimal && options is null) r = InteriorPointSolver.Solve(lp, ExactLpOptions with { Tolerance = tol });
        if (r.Status != LpStatus.Optimal)
            throw new InvalidOperationException($"Mu: the {lp.ProblemName} LP did not solve to optimality ({r.Status}: {r.Message}); try Mu.Lad or Mu.Irls.");
        return r;
    }

    private static MuResult LpResult(MuMethod m, Matrix z, double value, double[]? beta, double[]? lambda, LpResult r, Stopwatch sw)
    {
        double lower = beta is null ? 1 : MuCertificates.Lower(z, beta);
        double upper = double.PositiveInfinity; double[]? lam = null;
        if (lambda is not null) (upper, lam) = MuCertificates.Upper(MuCertificates.OrthonormalBasis(z), lambda);
        return new MuResult
        {
            Method = m, Value = value, Lower = lower, Upper = Math.Max(upper, lower), Beta = beta, Lambda = lam, Separable = double.IsPositiveInfinity(value),
            Iterations = r.Iterations, Seconds = sw.Elapsed.TotalSeconds, Message = r.Message,
        };
    }

    /// <summary>β solving Zβ = v in the least-squares sense (exact when v ∈ range(Z)).</summary>
    internal static double[] LeastSquares(Matrix z, double[] v)
    {
        var h = Ops.Gram(MuLinearPrograms.Cpu(z));
        return Linalg.SolveSpd(h, Linalg.MatVec(z, v, trans: true));
    }

    private static double[]? VertexPolish(Matrix z, double[] g, double[] zb, int d)
    {
        var idx = Enumerable.Range(0, zb.Length).OrderBy(i => Math.Abs(zb[i])).Take(d - 1).ToArray();
        var rows = Ops.GatherRows(MuLinearPrograms.Cpu(z), idx);
        var m = Matrix.Build(d, d, (i, j) => i < d - 1 ? rows[i, j] : g[j]);
        try
        {
            var (qm, r) = Ops.Qr(m);
            double rmax = 0, rmin = double.PositiveInfinity;
            for (int i = 0; i < d; i++) { rmax = Math.Max(rmax, Math.Abs(r[i, i])); rmin = Math.Min(rmin, Math.Abs(r[i, i])); }
            if (!(rmin > 1e-12 * rmax)) return null;
            var rhs = new double[d]; rhs[d - 1] = 1;
            var qtb = Ops.MatVec(qm, Matrix.Vector(rhs), trans: true);
            var x = Ops.TriangularSolve(r, qtb, lower: false).ToArray();
            return x.All(double.IsFinite) ? x : null;
        }
        catch (ArithmeticException) { return null; }
    }

    private static double[] Unit(int d, int k) { var e = new double[d]; e[k] = 1; return e; }

    private static double Kth(double[] v, int k)
    {
        var c = (double[])v.Clone();
        Array.Sort(c);
        return c[Math.Clamp(k, 0, c.Length - 1)];
    }
}
