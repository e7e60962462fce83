using System.Diagnostics;

namespace Reproduce.LinearProgramming;

/// <summary>Primal–dual interior point methods for min cᵀx s.t. Ax = b, x ≥ 0 (Chowdhury, Dexter, London, Avron,
/// Drineas, JMLR 2022; Dexter et al., ICML 2022; Wright 1997). Every method computes its direction from
/// A D² Aᵀ Δy = p with D² = X S⁻¹ and the chosen <see cref="NormalSolverKind"/>; with a sketched solver and
/// <see cref="IpmOptions.UseCorrection"/> the direction carries the correction vector v, so AΔx = r_p exactly
/// however inexact Δy is (§4 of the paper). Status Infeasible/Unbounded is reported from Farkas-type certificates
/// read off diverging iterates; the iteration cap turns any other failure into IterationLimit, never a hang.</summary>
public static class InteriorPointSolver
{
    /// <summary>Solves a general LP (converted to standard form) and maps the solution back.</summary>
    public static LpResult Solve(LpProblem problem, IpmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var sf = problem.ToStandardForm();
        var r = Solve(sf, options);
        var x = sf.RecoverX(r.StandardX);
        var y = sf.RecoverY(r.StandardY);
        var aty = ConstraintTranspose(problem, y);
        var s = new double[x.Length];
        for (int j = 0; j < s.Length; j++) s[j] = problem.C[j] - aty[j];
        return r with { X = x, Y = y, S = s, Objective = problem.UserObjective(x) };
    }

    /// <summary>Solves a standard-form LP.</summary>
    public static LpResult Solve(StandardFormLp lp, IpmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(lp);
        var o = options ?? new IpmOptions();
        o.Validate();
        using var run = new IpmRun(lp, o);
        return run.Execute();
    }

    private static double[] ConstraintTranspose(LpProblem p, double[] y)
    {
        var r = new double[p.ColumnCount];
        for (int i = 0; i < p.RowCount; i++)
            for (int k = p.A.RowPtr[i]; k < p.A.RowPtr[i + 1]; k++) r[p.A.ColIdx[k]] += p.A.Values[k] * y[i];
        return r;
    }

    /// <summary>State of one solve.</summary>
    private sealed class IpmRun(StandardFormLp lp, IpmOptions o) : IDisposable
    {
        /// <summary>Frees the solver's device memory (sketch, factors).</summary>
        public void Dispose() => _solver.Dispose();


        private readonly ConstraintMatrix _a = lp.A;
        private readonly double[] _b = lp.B, _c = lp.C;
        private readonly int _m = lp.Rows, _n = lp.Cols;
        private double[] _x = [], _y = [], _s = [];
        private readonly NormalEquationSolver _solver = new(lp.A, o);
        private readonly List<IpmIteration> _history = [];
        private long _innerTotal; private int _innerMax;

        public LpResult Execute()
        {
            var sw = Stopwatch.StartNew();
            Start();
            double nb = Norm(_b), nc = Norm(_c);
            double mu0 = Mu(), r0 = 0;
            LpStatus status = LpStatus.IterationLimit; string message = $"reached the iteration limit of {o.MaxIterations}";
            var best = new BestIterate();
            int iter = 0, smallSteps = 0;
            double relP = 0, relD = 0, gap = 0, mu = mu0;
            for (; ; iter++)
            {
                var rp = PrimalResidual(); var rd = DualResidual();
                if (iter == 0) r0 = Math.Sqrt(Dot(rp, rp) + Dot(rd, rd));
                mu = Mu();
                double cx = Dot(_c, _x), by = Dot(_b, _y);
                relP = Norm(rp) / (1 + nb); relD = Norm(rd) / (1 + nc); gap = Math.Abs(cx - by) / (1 + Math.Abs(cx));
                if (!double.IsFinite(mu) || !double.IsFinite(relP) || !double.IsFinite(relD)) { status = LpStatus.NumericalTrouble; message = "iterates became non-finite"; break; }
                bool conv = relP <= o.Tolerance && relD <= o.Tolerance && (o.MuTolerance > 0 ? mu <= o.MuTolerance : gap <= o.Tolerance);
                if (conv) { status = LpStatus.Optimal; message = "converged"; break; }
                best.Offer(iter, KktError(relP, relD, gap, mu), _x, _y, _s);
                if (Certificate(out var cert, out var certMsg)) { status = cert; message = certMsg; break; }
                if (iter >= o.MaxIterations) break;
                if (iter - best.Iteration > StallIterations)
                { status = LpStatus.NumericalTrouble; message = $"stalled: no iterate closer to the stopping test in {StallIterations} iterations"; break; }
                if (smallSteps >= 8) { status = LpStatus.NumericalTrouble; message = "step length collapsed (α < 1e-10 for 8 iterations)"; break; }
                var d2 = new double[_n];
                for (int j = 0; j < _n; j++) d2[j] = _x[j] / _s[j];
                // Near a degenerate optimum s_j can underflow and x_j/s_j overflow; report that as
                // numerical trouble here rather than letting the normal matrix reject Infinity.
                int bad = Array.FindIndex(d2, v => !double.IsFinite(v));
                if (bad >= 0) { status = LpStatus.NumericalTrouble; message = $"scaling x/s became non-finite at variable {bad} (x = {_x[bad]:G3}, s = {_s[bad]:G3})"; break; }
                try { _solver.Prepare(d2); }
                catch (Exception ex) when (ex is Compute.NotPositiveDefiniteException or ArithmeticException)
                { status = LpStatus.NumericalTrouble; message = "normal equations broke down: " + ex.Message; break; }
                var step = o.Method switch
                {
                    IpmMethod.Mehrotra => MehrotraStep(rp, rd, mu),
                    IpmMethod.MizunoToddYe => MtyStep(rp, rd, mu),
                    IpmMethod.LongStepInfeasible => LongStep(rp, rd, mu, mu0, r0, infeasible: true),
                    IpmMethod.LongStepFeasible => LongStep(rp, rd, mu, mu0, r0, infeasible: false),
                    IpmMethod.AuthorsCode => CodeStep(rp, rd, mu),
                    _ => throw new InvalidOperationException($"Unknown method {o.Method}."),
                };
                smallSteps = Math.Max(step.Ap, step.Ad) < 1e-10 ? smallSteps + 1 : 0;
                _innerTotal += step.Inner; _innerMax = Math.Max(_innerMax, step.Inner);
                var rpNew = PrimalResidual();
                double ratio = Norm(rp) > 0 ? Norm(rpNew) / Norm(rp) : 0;
                var log = new IpmIteration(iter + 1, Mu(), Norm(rpNew), Norm(DualResidual()), Math.Abs(Dot(_c, _x) - Dot(_b, _y)),
                    step.Ap, step.Ad, step.Inner, step.VNorm, o.Gamma * o.Sigma * mu / 4,
                    _solver.KappaUnpreconditioned, _solver.KappaPreconditioned, ratio)
                { MinComplementarity = MinProduct(_x, _s) };
                _history.Add(log);
                o.Progress?.Invoke(log);
            }
            if (status is LpStatus.IterationLimit or LpStatus.NumericalTrouble && best.Iteration >= 0 && !(KktError(relP, relD, gap, mu) <= best.Error))
            {
                // Near a degenerate optimum rounding in A D² Aᵀ can stall the primal residual a little above the tolerance
                // while μ keeps falling, after which the iterates wander; hand back the best point seen, not the last one.
                (_x, _y, _s) = (best.X, best.Y, best.S);
                var rp = PrimalResidual(); var rd = DualResidual();
                double cx = Dot(_c, _x), by = Dot(_b, _y);
                relP = Norm(rp) / (1 + nb); relD = Norm(rd) / (1 + nc); gap = Math.Abs(cx - by) / (1 + Math.Abs(cx)); mu = Mu();
                message += $"; returning the best iterate (iteration {best.Iteration}: relative primal residual {relP:G3}, dual {relD:G3}, gap {gap:G3}, μ {mu:G3})";
            }
            return new LpResult
            {
                Status = status, X = (double[])_x.Clone(), Y = (double[])_y.Clone(), S = (double[])_s.Clone(),
                Objective = Dot(_c, _x) + lp.ObjectiveOffset, Iterations = iter, InnerIterations = _innerTotal, MaxInnerIterations = _innerMax,
                PrimalResidual = relP, DualResidual = relD, Gap = gap, Mu = mu, Seconds = sw.Elapsed.TotalSeconds,
                History = _history, StandardX = _x, StandardY = _y, StandardS = _s, Message = message,
            };
        }

        /// <summary>Iterations without a new best iterate after which the solve is declared stalled.</summary>
        private const int StallIterations = 30;

        /// <summary>How far an iterate is from the stopping test: the largest of its residuals and gap (or μ) each divided
        /// by its tolerance; below 1 means converged.</summary>
        private double KktError(double relP, double relD, double gap, double mu) =>
            Math.Max(Math.Max(relP, relD) / o.Tolerance, o.MuTolerance > 0 ? mu / o.MuTolerance : gap / o.Tolerance);

        /// <summary>The iterate with the smallest <see cref="KktError"/> so far (copies; n-vectors are cheap next to a solve).</summary>
        private sealed class BestIterate
        {
            public int Iteration { get; private set; } = -1;
            public double Error { get; private set; } = double.PositiveInfinity;
            public double[] X { get; private set; } = [];
            public double[] Y { get; private set; } = [];
            public double[] S { get; private set; } = [];

            public void Offer(int iteration, double error, double[] x, double[] y, double[] s)
            {
                if (!(error < Error)) return;
                Iteration = iteration; Error = error;
                X = (double[])x.Clone(); Y = (double[])y.Clone(); S = (double[])s.Clone();
            }
        }

        private readonly record struct Step(double Ap, double Ad, int Inner, double VNorm);

        private readonly record struct Direction(double[] Dx, double[] Dy, double[] Ds, int Inner, double VNorm);

        /// <summary>Solves A dx = rp, Aᵀdy + ds = rd, S dx + X ds = rc − v (v = 0 unless corrected).</summary>
        private Direction Solve(double[] rp, double[] rd, double[] rc)
        {
            var t = new double[_n];
            for (int j = 0; j < _n; j++) t[j] = -rc[j] / _s[j] + _x[j] / _s[j] * rd[j];
            var at = _a.Multiply(t);
            var p = new double[_m];
            for (int i = 0; i < _m; i++) p[i] = rp[i] + at[i];
            var sqrtXs = new double[_n];
            for (int j = 0; j < _n; j++) sqrtXs[j] = Math.Sqrt(_x[j] * _s[j]);
            var (dy, inner, v) = _solver.Solve(p, sqrtXs);
            var atdy = _a.MultiplyTransposed(dy);
            var ds = new double[_n]; var dx = new double[_n];
            for (int j = 0; j < _n; j++)
            {
                ds[j] = rd[j] - atdy[j];
                dx[j] = (rc[j] - (v is null ? 0 : v[j]) - _x[j] * ds[j]) / _s[j];
            }
            return new Direction(dx, dy, ds, inner, v is null ? 0 : Norm(v));
        }

        private Step MehrotraStep(double[] rp, double[] rd, double mu)
        {
            var rc = new double[_n];
            for (int j = 0; j < _n; j++) rc[j] = -_x[j] * _s[j];
            var aff = Solve(rp, rd, rc);
            double ap = Math.Min(1, MaxStep(_x, aff.Dx)), ad = Math.Min(1, MaxStep(_s, aff.Ds));
            double muAff = 0;
            for (int j = 0; j < _n; j++) muAff += (_x[j] + ap * aff.Dx[j]) * (_s[j] + ad * aff.Ds[j]);
            muAff /= _n;
            double sigma = Math.Pow(Math.Max(0, muAff) / mu, 3);
            for (int j = 0; j < _n; j++) rc[j] = sigma * mu - _x[j] * _s[j] - aff.Dx[j] * aff.Ds[j];
            var dir = Solve(rp, rd, rc);
            double eta = Math.Max(0.9, 1 - 10 * mu);
            eta = Math.Min(eta, 0.995);
            double sp = Math.Min(1, eta * MaxStep(_x, dir.Dx)), sd = Math.Min(1, eta * MaxStep(_s, dir.Ds));
            Take(dir, sp, sd);
            return new Step(sp, sd, aff.Inner + dir.Inner, Math.Max(aff.VNorm, dir.VNorm));
        }

        private Step CodeStep(double[] rp, double[] rd, double mu)
        {
            var rc = new double[_n];
            for (int j = 0; j < _n; j++) rc[j] = o.Sigma * mu - _x[j] * _s[j];
            var dir = Solve(rp, rd, rc);
            double a = Math.Min(1, 0.9 * Math.Min(MaxStep(_x, dir.Dx), MaxStep(_s, dir.Ds)));
            Take(dir, a, a);
            return new Step(a, a, dir.Inner, dir.VNorm);
        }

        /// <summary>Mizuno–Todd–Ye: a corrector (σ = 1, full step) when outside N₂(0.25), then a predictor (σ = 0)
        /// with the largest step keeping N₂(0.5).</summary>
        private Step MtyStep(double[] rp, double[] rd, double mu)
        {
            const double thetaIn = 0.25, thetaOut = 0.5;
            int inner = 0; double vmax = 0;
            var rc = new double[_n];
            if (Proximity(_x, _s) > thetaIn)
            {
                for (int j = 0; j < _n; j++) rc[j] = mu - _x[j] * _s[j];
                var cor = Solve(rp, rd, rc);
                double ac = Math.Min(1, 0.995 * Math.Min(MaxStep(_x, cor.Dx), MaxStep(_s, cor.Ds)));
                Take(cor, ac, ac);
                inner += cor.Inner; vmax = cor.VNorm;
                rp = PrimalResidual(); rd = DualResidual(); mu = Mu();
            }
            for (int j = 0; j < _n; j++) rc[j] = -_x[j] * _s[j];
            var pre = Solve(rp, rd, rc);
            double amax = Math.Min(1, 0.9999 * Math.Min(MaxStep(_x, pre.Dx), MaxStep(_s, pre.Ds)));
            bool Ok(double a) => Proximity(Move(_x, pre.Dx, a), Move(_s, pre.Ds, a)) <= thetaOut;
            double alpha = LargestFeasible(amax, Ok);
            Take(pre, alpha, alpha);
            return new Step(alpha, alpha, inner + pre.Inner, Math.Max(vmax, pre.VNorm));
        }

        /// <summary>Long-step path following (Algorithms 2 and 3): α̃ = largest α keeping N(γ) (and, infeasible, the
        /// residual condition ‖r(α)‖/‖r⁰‖ ≤ μ(α)/μ⁰), then ᾱ = argmin over [0, α̃] of (x + αΔx)ᵀ(s + αΔs).</summary>
        private Step LongStep(double[] rp, double[] rd, double mu, double mu0, double r0, bool infeasible)
        {
            var rc = new double[_n];
            for (int j = 0; j < _n; j++) rc[j] = o.Sigma * mu - _x[j] * _s[j];
            var dir = Solve(rp, rd, rc);
            var adx = _a.Multiply(dir.Dx);
            double nrd = Norm(rd);
            double amax = Math.Min(1, 0.9999 * Math.Min(MaxStep(_x, dir.Dx), MaxStep(_s, dir.Ds)));
            bool Ok(double a)
            {
                double muA = 0;
                for (int j = 0; j < _n; j++) muA += (_x[j] + a * dir.Dx[j]) * (_s[j] + a * dir.Ds[j]);
                muA /= _n;
                double lo = (1 - o.Gamma) * muA;
                for (int j = 0; j < _n; j++) if ((_x[j] + a * dir.Dx[j]) * (_s[j] + a * dir.Ds[j]) < lo) return false;
                if (!infeasible || r0 == 0) return true;
                double pr = 0;
                for (int i = 0; i < _m; i++) { double v = rp[i] - a * adx[i]; pr += v * v; }
                double rnorm = Math.Sqrt(pr + (1 - a) * (1 - a) * nrd * nrd);
                return rnorm / r0 <= muA / mu0 * (1 + 1e-9);
            }
            // A start outside N(γ) (e.g. a constructed feasible point) cannot satisfy the test for any α: take a
            // fraction-to-boundary step instead until the iterate enters the neighbourhood.
            double at = Ok(0) ? LargestFeasible(amax, Ok) : Math.Min(1, 0.9 * amax);
            // μ(α) = (xᵀs + α(xᵀΔs + sᵀΔx) + α²ΔxᵀΔs)/n is quadratic; minimise on [0, α̃].
            double q1 = Dot(_x, dir.Ds) + Dot(_s, dir.Dx), q2 = Dot(dir.Dx, dir.Ds);
            // Convex model: the stationary point clamped to [0, α̃]. Concave or linear model: the minimum lies at an end,
            // so compare μ(α̃) with μ(0). When the minimiser is 0 (an inexact direction along which μ cannot fall) the step
            // is 0, as Algorithm 3 prescribes; a full step there would raise μ. Repeated zero steps end the solve through
            // the step-collapse test (NumericalTrouble), which reports the failure instead of hiding it.
            double ab;
            if (q2 > 0) ab = Math.Clamp(-q1 / (2 * q2), 0, at);
            else ab = at * q1 + at * at * q2 < 0 ? at : 0;
            Take(dir, ab, ab);
            return new Step(ab, ab, dir.Inner, dir.VNorm);
        }

        /// <summary>Largest α in (0, amax] with ok(α): geometric back-off from amax, then bisection refinement.</summary>
        private static double LargestFeasible(double amax, Func<double, bool> ok)
        {
            if (amax <= 0) return 0;
            if (ok(amax)) return amax;
            double hi = amax, lo = 0;
            double a = amax;
            for (int k = 0; k < 200; k++)
            {
                a *= 0.9;
                if (ok(a)) { lo = a; break; }
                hi = a;
                if (a < 1e-12) return 0;
            }
            if (lo == 0) return 0;
            for (int k = 0; k < 30; k++) { double mid = 0.5 * (lo + hi); if (ok(mid)) lo = mid; else hi = mid; }
            return lo;
        }

        private double Proximity(double[] x, double[] s)
        {
            double mu = Dot(x, s) / _n, acc = 0;
            for (int j = 0; j < _n; j++) { if (!(x[j] > 0 && s[j] > 0)) return double.PositiveInfinity; double t = x[j] * s[j] - mu; acc += t * t; }
            return Math.Sqrt(acc) / mu;
        }

        private static double[] Move(double[] v, double[] d, double a)
        {
            var r = new double[v.Length];
            for (int i = 0; i < r.Length; i++) r[i] = v[i] + a * d[i];
            return r;
        }

        private void Take(Direction d, double ap, double ad)
        {
            for (int j = 0; j < _n; j++) { _x[j] += ap * d.Dx[j]; _s[j] += ad * d.Ds[j]; }
            for (int i = 0; i < _m; i++) _y[i] += ad * d.Dy[i];
        }

        private static double MaxStep(double[] v, double[] d)
        {
            double a = double.PositiveInfinity;
            for (int i = 0; i < v.Length; i++) if (d[i] < 0) a = Math.Min(a, -v[i] / d[i]);
            return a;
        }

        /// <summary>Farkas-type certificates from diverging iterates: primal infeasible when bᵀy → +∞ with
        /// Aᵀy ≤ 0 (relative to bᵀy); unbounded when cᵀx → −∞ with Ax ≈ 0 relative to |cᵀx|.</summary>
        private bool Certificate(out LpStatus status, out string message)
        {
            status = LpStatus.Optimal; message = "";
            double scale = 1 + MaxAbs(_c) + MaxAbs(_b);
            double by = Dot(_b, _y);
            if (by > 1e8 * scale)
            {
                var aty = _a.MultiplyTransposed(_y);
                double viol = 0;
                foreach (var v in aty) viol = Math.Max(viol, v);
                if (viol <= 1e-6 * by)
                {
                    status = LpStatus.Infeasible;
                    message = $"primal infeasible: Farkas certificate y with bᵀy = {by:G3} and max(Aᵀy) = {viol:G3}";
                    return true;
                }
            }
            double cx = Dot(_c, _x);
            if (cx < -1e8 * scale)
            {
                var ax = _a.Multiply(_x);
                double viol = 0;
                for (int i = 0; i < _m; i++) viol = Math.Max(viol, Math.Abs(ax[i]));
                if (viol <= 1e-6 * -cx)
                {
                    status = LpStatus.Unbounded;
                    message = $"dual infeasible (primal unbounded): ray x ≥ 0 with cᵀx = {cx:G3} and ‖Ax‖∞ = {viol:G3}";
                    return true;
                }
            }
            return false;
        }

        private void Start()
        {
            switch (o.Start)
            {
                case StartPointKind.Ones: _x = Fill(_n, 1); _s = Fill(_n, 1); _y = new double[_m]; break;
                case StartPointKind.Scaled: _x = Fill(_n, 1e4); _s = Fill(_n, 1e4); _y = new double[_m]; break;
                case StartPointKind.Given:
                    {
                        var (x, y, s) = o.InitialPoint!.Value;
                        if (x.Length != _n || s.Length != _n || y.Length != _m) throw new ArgumentException($"IpmOptions.InitialPoint has lengths x {x.Length}, y {y.Length}, s {s.Length}; expected x, s of length n = {_n} and y of length m = {_m}.", nameof(o));
                        for (int j = 0; j < _n; j++) if (!(x[j] > 0 && s[j] > 0)) throw new ArgumentException($"IpmOptions.InitialPoint: x[{j}] = {x[j]}, s[{j}] = {s[j]}; the start must be strictly positive.", nameof(o));
                        _x = (double[])x.Clone(); _y = (double[])y.Clone(); _s = (double[])s.Clone();
                        break;
                    }
                default: MehrotraStart(); break;
            }
            if (o.Method == IpmMethod.LongStepFeasible)
            {
                double relP = Norm(PrimalResidual()) / (1 + Norm(_b)), relD = Norm(DualResidual()) / (1 + Norm(_c));
                if (relP > 1e-6 || relD > 1e-6)
                    throw new ArgumentException($"IpmMethod.LongStepFeasible needs a strictly feasible start but the start has relative residuals primal {relP:G3}, dual {relD:G3}; pass a feasible IpmOptions.InitialPoint (Start = Given) or use LongStepInfeasible.", nameof(o));
            }
        }

        /// <summary>Mehrotra's starting point (Wright 1997, §11): least-squares x̃, y, s̃ shifted into the interior.</summary>
        private void MehrotraStart()
        {
            var l = NormalEquationSolver.Factor(_a.NormalMatrix(Fill(_n, 1)));
            double[] SolveAat(double[] r)
            {
                var t = Compute.Ops.TriangularSolve(l, Compute.Matrix.Vector(r), lower: true);
                return Compute.Ops.TriangularSolve(l, t, lower: true, transpose: true).ToArray();
            }
            var x = _a.MultiplyTransposed(SolveAat(_b));
            _y = SolveAat(_a.Multiply(_c));
            var aty = _a.MultiplyTransposed(_y);
            var s = new double[_n];
            for (int j = 0; j < _n; j++) s[j] = _c[j] - aty[j];
            double dx = Math.Max(-1.5 * x.Min(), 0), ds = Math.Max(-1.5 * s.Min(), 0);
            for (int j = 0; j < _n; j++) { x[j] += dx; s[j] += ds; }
            double xs = Dot(x, s), sx = x.Sum(), ss = s.Sum();
            double hx = ss > 0 ? 0.5 * xs / ss : 0, hs = sx > 0 ? 0.5 * xs / sx : 0;
            for (int j = 0; j < _n; j++) { x[j] += hx; s[j] += hs; }
            for (int j = 0; j < _n; j++) { if (!(x[j] > 1e-8)) x[j] = Math.Max(x[j], 1e-2 + 0 * x[j]); if (!(s[j] > 1e-8)) s[j] = Math.Max(s[j], 1e-2); }
            _x = x; _s = s;
        }

        private double[] PrimalResidual()
        {
            var ax = _a.Multiply(_x);
            for (int i = 0; i < _m; i++) ax[i] = _b[i] - ax[i];
            return ax;
        }

        private double[] DualResidual()
        {
            var aty = _a.MultiplyTransposed(_y);
            var r = new double[_n];
            for (int j = 0; j < _n; j++) r[j] = _c[j] - aty[j] - _s[j];
            return r;
        }

        private double Mu() => Dot(_x, _s) / _n;
    }

    private static double[] Fill(int n, double v) { var r = new double[n]; Array.Fill(r, v); return r; }
    internal static double MinProduct(double[] a, double[] b) { double m = double.PositiveInfinity; for (int i = 0; i < a.Length; i++) m = Math.Min(m, a[i] * b[i]); return m; }
    internal static double Dot(double[] a, double[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s += a[i] * b[i]; return s; }
    internal static double Norm(double[] a) => Math.Sqrt(Dot(a, a));
    private static double MaxAbs(double[] a) { double m = 0; foreach (var v in a) m = Math.Max(m, Math.Abs(v)); return m; }
}
