using System.Runtime.CompilerServices;
using System.Diagnostics;

namespace Reproduce.LinearProgramming;

/// <summary>The default method for general LPs (`reproduce lp solve`): presolve (<see cref="LpPresolve"/>), geometric
/// scaling with equilibration, and a primal–dual interior point method on min cᵀx s.t. Ax − s = 0 (inequality
/// rows), Ax = b (equality rows), l ≤ (x, s) ≤ u, where every finite bound has its own slack and dual (Wright 1997,
/// ch. 11; bounds are never turned into rows, so the normal matrix keeps A's sparsity). Directions come from the
/// normal equations A Θ Aᵀ Δy = r with Θ = (Zₗ/Xₗ + Zᵤ/Xᵤ + ρ)⁻¹, factored by <see cref="NormalCholesky"/> (minimum
/// degree, pivot regularization); Mehrotra's predictor–corrector with up to two Gondzio centrality correctors
/// (Gondzio 1996). Stops when the relative primal and dual infeasibility and the relative gap are ≤ tolerance,
/// measured on the unscaled problem. Infeasibility and unboundedness are reported only with a verified certificate:
/// a Farkas vector (y, zₗ, zᵤ) whose residual ‖Aᵀy + zₗ − zᵤ‖₁ times a bound on ‖x‖∞ is below bᵀy + lᵀzₗ − uᵀzᵤ
/// (no feasible x of that size exists), or a ray d in the recession cone with cᵀd &lt; 0 and ‖Ad‖ small, together
/// with a primal feasible iterate (without one, a dual ray proves nothing about the primal; cplex1 was reported
/// Unbounded that way), or, when the main IPM fails, phase 1's dual checked by the weak-duality bound of
/// <see cref="RowViolationBound"/> (rigorous up to its bounded rounding error). Anything else ends as IterationLimit or NumericalTrouble with the best iterate's residuals,
/// never as Optimal.</summary>
public static class BoundedIpm
{
    /// <summary>Solves <paramref name="problem"/>; tolerance and iteration cap from <paramref name="options"/>
    /// (other fields of <see cref="IpmOptions"/> concern the papers' methods and are ignored).</summary>
    public static LpResult Solve(LpProblem problem, IpmOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var o = options ?? new IpmOptions();
        var sw = Stopwatch.StartNew();
        long cpu0 = LpTrace.Now(), faults0 = LpTrace.Faults();
        var jit0 = System.Runtime.JitInfo.GetCompilationTime(); long jitN0 = System.Runtime.JitInfo.GetCompiledMethodCount();
        var pre = new LpPresolve(problem);
        if (LpTrace.Enabled) Console.Error.WriteLine($"presolve {LpTrace.Since(cpu0, faults0)}");
        LpResult Result(LpStatus st, string msg, double[] x, double[] y, int it, double rp, double rd, double gap, double mu)
        {
            var (xo, yo, so) = (x.Length == problem.ColumnCount && y.Length == problem.RowCount) ? (x, y, Reduced(problem, x, y)) : pre.Postsolve(x, y);
            return new LpResult
            {
                Status = st, Message = msg, X = xo, Y = yo, S = so, Objective = st == LpStatus.Infeasible ? double.NaN : problem.UserObjective(xo),
                Iterations = it, InnerIterations = 0, MaxInnerIterations = 0, PrimalResidual = rp, DualResidual = rd, Gap = gap, Mu = mu,
                Seconds = sw.Elapsed.TotalSeconds, History = [], StandardX = [], StandardY = [], StandardS = [],
            };
        }
        if (pre.Infeasible is not null) return Result(LpStatus.Infeasible, "presolve: " + pre.Infeasible, new double[pre.KeptCols.Length], new double[pre.KeptRows.Length], 0, double.NaN, double.NaN, double.NaN, double.NaN);
        if (pre.Reduced is null)
        {
            // Presolve removed everything; the fixed values are the solution (or a dual-infeasible column was found).
            if (pre.DualInfeasible is not null) return Result(LpStatus.Unbounded, "presolve: " + pre.DualInfeasible, [], new double[pre.KeptRows.Length], 0, 0, double.NaN, double.NaN, double.NaN);
            return Result(LpStatus.Optimal, "solved by presolve", [], new double[pre.KeptRows.Length], 0, 0, 0, 0, 0);
        }
        int gc0 = GC.CollectionCount(0), gc1 = GC.CollectionCount(1), gc2 = GC.CollectionCount(2);
        var run = new Run(pre.Reduced, o, pre.TakeColumnsOfUnchangedProblem());
        var r = run.Execute();
        if (LpTrace.Enabled) Console.Error.WriteLine($"GCs during the run: gen0 {GC.CollectionCount(0) - gc0}, gen1 {GC.CollectionCount(1) - gc1}, gen2 {GC.CollectionCount(2) - gc2}; JIT compilation since the solve began {(System.Runtime.JitInfo.GetCompilationTime() - jit0).TotalMilliseconds:F0} ms ({System.Runtime.JitInfo.GetCompiledMethodCount() - jitN0} methods, all threads)");
        string msg = r.Message + $" (presolve removed {pre.Removed.Rows} rows, {pre.Removed.Cols} columns)";
        if (pre.DualInfeasible is not null && r.Status == LpStatus.Optimal)
            return Result(LpStatus.Unbounded, "presolve: " + pre.DualInfeasible + " and the rest is feasible", r.X, r.Y, r.Iterations, r.PrimalResidual, r.DualResidual, r.Gap, r.Mu);
        if (r.Status is LpStatus.NumericalTrouble or LpStatus.IterationLimit && !(r.PrimalResidual <= o.Tolerance))
        {
            // The infeasible-start IPM neither converged nor produced a certificate while the primal residual stayed
            // large: decide feasibility with the phase-1 LP min ‖p‖₁ + ‖q‖₁ s.t. Ax + p − q within the row bounds,
            // which is always feasible and bounded. Its dual y (|y| ≤ 1) is checked, not trusted: the weak-duality
            // bound g(y) on the least total row violation (RowViolationBound) proves infeasibility when it exceeds
            // its own rounding error.
            var (ph, note) = Phase1(pre.Reduced, o);
            if (ph is not null) return Result(LpStatus.Infeasible, ph + $" (after the main IPM ended: {r.Message})", r.X, r.Y, r.Iterations, r.PrimalResidual, r.DualResidual, r.Gap, r.Mu);
            if (note is not null) msg += "; " + note;
        }
        return Result(r.Status, msg, r.X, r.Y, r.Iterations, r.PrimalResidual, r.DualResidual, r.Gap, r.Mu);
    }

    /// <summary><para>Phase 1: returns a description of the infeasibility proof, or null with a note of what phase 1
    /// found when it proves nothing.</para>
    /// <para>The proof is the weak-duality bound g(y) of <see cref="RowViolationBound"/> evaluated at phase 1's dual
    /// y, whatever phase 1's status: every x within the column bounds violates the rows by at least g(y) in total, so
    /// g(y) above its rounding error is a Farkas certificate. Phase 1's primal value is not evidence either way: it is
    /// Σ(p + q) of an iterate whose own row residual the stopping test lets reach tolerance·(1 + ‖b‖∞), so a least
    /// violation below that is invisible in it (cplex2: Σ(p + q) = 2.8e-11 while the least violation is 1.0e-9, which
    /// a threshold of 100·tolerance·(1 + ‖b‖∞) on Σ(p + q) could never certify). The note brackets the least violation
    /// between g(y) and the violation of phase 1's x clamped into the bounds.</para></summary>
    internal static (string? Proof, string? Note) Phase1(LpProblem p, IpmOptions o)
    {
        int m = p.RowCount, n = p.ColumnCount;
        var trip = new List<(int, int, double)>(p.A.Nnz + 2 * m);
        for (int i = 0; i < m; i++)
            for (int k = p.A.RowPtr[i]; k < p.A.RowPtr[i + 1]; k++) trip.Add((i, p.A.ColIdx[k], p.A.Values[k]));
        var c = new double[n + 2 * m];
        var lo = new double[n + 2 * m]; var up = new double[n + 2 * m];
        Array.Copy(p.ColLower, lo, n); Array.Copy(p.ColUpper, up, n);
        for (int i = 0; i < m; i++)
        {
            trip.Add((i, n + 2 * i, 1)); trip.Add((i, n + 2 * i + 1, -1));
            c[n + 2 * i] = 1; c[n + 2 * i + 1] = 1; up[n + 2 * i] = double.PositiveInfinity; up[n + 2 * i + 1] = double.PositiveInfinity;
        }
        var q = new LpProblem(c, Compute.SparseMatrix.FromTriplets(m, n + 2 * m, trip), p.RowLower, p.RowUpper, lo, up, p.ProblemName + "-phase1");
        var r = new Run(q, o).Execute();
        bool trace = Environment.GetEnvironmentVariable("REPRODUCE_LP_TRACE") == "1";
        if (trace) Console.Error.WriteLine($"phase 1: {r.Status} {r.Message}");
        // An infinite column bound stands in as ±X in the bound, as in the main IPM's Farkas test.
        double bnorm = 0;
        for (int i = 0; i < m; i++)
        {
            if (double.IsFinite(p.RowLower[i])) bnorm = Math.Max(bnorm, Math.Abs(p.RowLower[i]));
            if (double.IsFinite(p.RowUpper[i])) bnorm = Math.Max(bnorm, Math.Abs(p.RowUpper[i]));
        }
        double bounds = 0;
        for (int j = 0; j < n; j++)
        {
            if (double.IsFinite(p.ColLower[j])) bounds = Math.Max(bounds, Math.Abs(p.ColLower[j]));
            if (double.IsFinite(p.ColUpper[j])) bounds = Math.Max(bounds, Math.Abs(p.ColUpper[j]));
        }
        double bigX = 1e6 * Math.Max(1, Math.Max(bnorm, bounds));
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        if (r.Y.Length != m || r.X.Length < n) return (null, $"phase 1 (min total row violation) returned no iterate: {r.Status}");
        var g = RowViolationBound.Evaluate(p, r.Y, bigX);
        double above = RowViolationBound.TotalViolation(p, r.X[..n]);
        if (trace) Console.Error.WriteLine(string.Create(inv, $"phase 1 bound g(y) {g.Bound:E4} rounding {g.Rounding:E2} boxed {g.BoxedColumns}, violation of x {above:E4}"));
        if (g.ProvesInfeasible)
        {
            string box = g.BoxedColumns == 0 ? "" : string.Create(inv, $" and within |xⱼ| ≤ {bigX:E1} on the {g.BoxedColumns} columns where y leaves an infinite bound in play");
            // Per row the stopping test accepts a violation up to tolerance·(1 + ‖b‖∞); a total below that is a
            // contradiction the residuals of an IPM cannot show, only the certificate can.
            string small = above <= o.Tolerance * (1 + bnorm)
                ? string.Create(inv, $"; phase 1's x violates them by {above:E2} in total, below the feasibility tolerance {o.Tolerance * (1 + bnorm):E1} per row: infeasible in exact arithmetic, by less than the stopping test can see")
                : "";
            return (string.Create(inv,
                $"primal infeasible: phase 1's dual y (|y| ≤ 1) proves that every x within the column bounds{box} violates the rows by at least g(y) = {g.Bound:E3} in total (weak duality; rounding error of g ≤ {g.Rounding:E1}){small}"), null);
        }
        return (null, string.Create(inv,
            $"phase 1 ({r.Status}) brackets the least total row violation between {Math.Max(g.Bound, 0):E2} (its dual's bound g(y), rounding error ≤ {g.Rounding:E1}) and {above:E2} (its x): no certificate, so neither feasibility nor infeasibility is claimed"));
    }

    private static double[] Reduced(LpProblem p, double[] x, double[] y)
    {
        var s = (double[])p.C.Clone();
        for (int i = 0; i < p.RowCount; i++)
            for (int k = p.A.RowPtr[i]; k < p.A.RowPtr[i + 1]; k++) s[p.A.ColIdx[k]] -= p.A.Values[k] * y[i];
        return s;
    }

    private sealed record Outcome(LpStatus Status, string Message, double[] X, double[] Y, int Iterations, double PrimalResidual, double DualResidual, double Gap, double Mu);

    /// <summary>The power of 2 nearest to v in the log scale (1 for 0 or non-finite v), from the exponent bits:
    /// the same value as 2^round(log2 v), without the transcendental calls (one per column of a 200,000-column LP).</summary>
    internal static double Pow2(double v)
    {
        if (!double.IsFinite(v) || v <= 0) return 1;
        // v = f·2^e with f in [1, 2): round(log2 v) is e, or e + 1 when f ≥ √2.
        int e = Math.ILogB(v);
        double f = Math.ScaleB(v, -e);
        // Within 1e-12 of √2 the rounding of log2 itself decides: take the reference formula there.
        if (Math.Abs(f - Math.Sqrt(2)) <= 1e-12) return Pow2Reference(v);
        return Math.ScaleB(1.0, f > Math.Sqrt(2) ? e + 1 : e);
    }

    internal static double Pow2Reference(double v) => double.IsFinite(v) && v > 0 ? Math.Pow(2, Math.Round(Math.Log2(v))) : 1;

    /// <summary>One IPM solve of a presolved problem. Internal variables: the n structural columns followed by one
    /// slack per inequality row; all quantities below are in the scaled space unless named otherwise.</summary>
    private sealed class Run
    {
        private readonly IpmOptions _o;
        private readonly int _m, _nStruct, _n;
        private readonly int[] _free;
        private readonly int[] _cp, _ri; private readonly double[] _av; // scaled A (with slack columns), CSC
        private readonly double[] _b, _c, _l, _u;                       // scaled
        private readonly double[] _rowScale, _colScale;                 // A_scaled = R A C
        // Their reciprocals: the factors are powers of 2, so multiplying by these is exactly dividing by the factors,
        // without a division per column in the passes that unscale residuals every iteration.
        private readonly double[] _rowInv, _colInv;
        private readonly bool[] _hasL, _hasU;
        private readonly double _offset, _bNorm, _cNorm, _boundNorm;
        private NormalCholesky _chol = null!;

        private readonly long Created = LpTrace.Now(), CreatedFaults = LpTrace.Faults();

        /// <param name="p">The presolved problem.</param>
        /// <param name="o">Tolerance and iteration cap.</param>
        /// <param name="columns">A by columns when the caller already built it (it becomes the run's, scaled in
        /// place); null to build it here.</param>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public Run(LpProblem p, IpmOptions o, (int[] Ptr, int[] Idx, double[] Val)? columns = null)
        {
            _o = o;
            int m = p.RowCount, n = p.ColumnCount;
            var (cp0, ri0, av0) = columns ?? LpPresolve.Columns(p.A);
            var slackRows = Enumerable.Range(0, m).Where(i => p.RowLower[i] != p.RowUpper[i]).ToArray();
            // Free columns are split x = x⁺ − x⁻ (the mirror column −a_j, cost −c_j): with no bound a free column has
            // no barrier term, and the regularization that stands in for it leaves a dual residual ρ·Δx that stalls
            // (greenbeb).
            _free = Enumerable.Range(0, n).Where(j => double.IsNegativeInfinity(p.ColLower[j]) && double.IsPositiveInfinity(p.ColUpper[j])).ToArray();
            int freeNnz = _free.Sum(j => cp0[j + 1] - cp0[j]);
            _m = m; _nStruct = n; _n = n + slackRows.Length + _free.Length;
            if (_n == n) { _cp = cp0; _ri = ri0; _av = av0; } // nothing to append: the fresh column form is ours to scale
            else
            {
                _cp = new int[_n + 1]; _ri = new int[av0.Length + slackRows.Length + freeNnz]; _av = new double[_ri.Length];
                Array.Copy(cp0, _cp, n + 1); Array.Copy(ri0, _ri, ri0.Length); Array.Copy(av0, _av, av0.Length);
            }
            _b = new double[m]; _c = new double[_n]; _l = new double[_n]; _u = new double[_n];
            for (int j = 0; j < n; j++) { _c[j] = p.C[j]; _l[j] = p.ColLower[j]; _u[j] = p.ColUpper[j]; }
            for (int i = 0; i < m; i++) if (p.RowLower[i] == p.RowUpper[i]) _b[i] = p.RowLower[i];
            for (int t = 0; t < slackRows.Length; t++)
            {
                int i = slackRows[t], j = n + t, q = av0.Length + t;
                _ri[q] = i; _av[q] = -1; _cp[j + 1] = q + 1;
                _l[j] = p.RowLower[i]; _u[j] = p.RowUpper[i];
            }
            int qq = av0.Length + slackRows.Length;
            for (int t = 0; t < _free.Length; t++)
            {
                int j = _free[t], jm = n + slackRows.Length + t;
                for (int k = cp0[j]; k < cp0[j + 1]; k++) { _ri[qq] = ri0[k]; _av[qq] = -av0[k]; qq++; }
                _cp[jm + 1] = qq;
                _c[jm] = -p.C[j]; _l[jm] = 0; _u[jm] = double.PositiveInfinity; _l[j] = 0;
            }
            _offset = p.ObjectiveOffset;
            _bNorm = 0; for (int i = 0; i < m; i++) _bNorm = Math.Max(_bNorm, Math.Abs(_b[i]));
            _cNorm = 0; for (int j = 0; j < _n; j++) _cNorm = Math.Max(_cNorm, Math.Abs(_c[j]));
            _boundNorm = 0;
            for (int j = 0; j < _n; j++)
            {
                if (double.IsFinite(_l[j])) _boundNorm = Math.Max(_boundNorm, Math.Abs(_l[j]));
                if (double.IsFinite(_u[j])) _boundNorm = Math.Max(_boundNorm, Math.Abs(_u[j]));
            }
            if (Trace) Console.Error.WriteLine($"  run setup before scaling {LpTrace.Since(Created, CreatedFaults)}");
            (_rowScale, _colScale) = Scale();
            _rowInv = Array.ConvertAll(_rowScale, v => 1 / v); _colInv = Array.ConvertAll(_colScale, v => 1 / v);
            if (Trace) Console.Error.WriteLine($"  run setup after scaling {LpTrace.Since(Created, CreatedFaults)}");
            _hasL = new bool[_n]; _hasU = new bool[_n];
            for (int j = 0; j < _n; j++) { _hasL[j] = double.IsFinite(_l[j]); _hasU[j] = double.IsFinite(_u[j]); }
            _anyUpper = Array.IndexOf(_hasU, true) >= 0;
        }

        /// <summary>Geometric scaling (rows then columns, √(max·min) of the magnitudes, 6 passes) followed by
        /// equilibration of the columns to max |a| = 1; factors rounded to powers of 2 so scaling is exact.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe (double[] R, double[] C) Scale()
        {
            var rArr = Enumerable.Repeat(1.0, _m).ToArray(); var cArr = Enumerable.Repeat(1.0, _n).ToArray();
            var rmaxArr = new double[_m]; var rminArr = new double[_m];
            int n = _n, m = _m;
            fixed (int* cp = _cp, ri = _ri)
            fixed (double* av = _av, r = rArr, c = cArr, rmax = rmaxArr, rmin = rminArr)
            {
                for (int pass = 0; pass < 6; pass++)
                {
                    for (int i = 0; i < m; i++) { rmax[i] = 0; rmin[i] = double.PositiveInfinity; }
                    for (int j = 0; j < n; j++)
                    {
                        double cj = c[j];
                        for (int k = cp[j], k1 = cp[j + 1]; k < k1; k++)
                        {
                            int i = ri[k];
                            double v = Math.Abs(av[k]) * r[i] * cj; if (v == 0) continue;
                            rmax[i] = Math.Max(rmax[i], v); rmin[i] = Math.Min(rmin[i], v);
                        }
                    }
                    for (int i = 0; i < m; i++) if (rmax[i] > 0) r[i] /= Math.Sqrt(rmax[i] * rmin[i]);
                    for (int j = 0; j < n; j++)
                    {
                        double mx = 0, mn = double.PositiveInfinity, cj = c[j];
                        for (int k = cp[j], k1 = cp[j + 1]; k < k1; k++) { double v = Math.Abs(av[k]) * r[ri[k]] * cj; if (v == 0) continue; mx = Math.Max(mx, v); mn = Math.Min(mn, v); }
                        if (mx > 0) c[j] /= Math.Sqrt(mx * mn);
                    }
                }
                for (int j = 0; j < n; j++)
                {
                    double mx = 0, cj = c[j];
                    for (int k = cp[j], k1 = cp[j + 1]; k < k1; k++) mx = Math.Max(mx, Math.Abs(av[k]) * r[ri[k]] * cj);
                    if (mx > 0) c[j] /= mx;
                }
                for (int i = 0; i < m; i++) r[i] = Pow2(r[i]);
                for (int j = 0; j < n; j++) c[j] = Pow2(c[j]);
                for (int j = 0; j < n; j++)
                {
                    double cj = c[j];
                    for (int k = cp[j], k1 = cp[j + 1]; k < k1; k++) av[k] *= r[ri[k]] * cj;
                    _c[j] *= cj; _l[j] /= cj; _u[j] /= cj;
                }
            }
            for (int i = 0; i < _m; i++) _b[i] *= rArr[i];
            return (rArr, cArr);
        }



        // State.
        private double[] _x = null!, _xl = null!, _xu = null!, _zl = null!, _zu = null!, _y = null!;

        public Outcome Execute()
        {
            long t0 = LpTrace.Now(), f0 = LpTrace.Faults();
            var r = ExecuteCore();
            if (Trace) Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"run {LpTrace.Since(t0, f0)}: factor {LpTrace.Ms(FactorTicks):F1} ms,  solves {LpTrace.Ms(SolveTicks):F1} ms, directions {LpTrace.Ms(DirectionTicks):F1} ms ({DirectionCount}), checks {LpTrace.Ms(CheckTicks):F1} ms, {r.Iterations} iterations, {r.Status}"));
            return r;
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private Outcome ExecuteCore()
        {
            int m = _m, n = _n;
            long t0 = LpTrace.Now();
            _chol = new NormalCholesky(m, n, _cp, _ri, _av);
            // Refinement residuals through the stored A Θ Aᵀ when it has fewer entries than A (see NormalProduct).
            _chol.KeepAssembled = _chol.FactorNonzeros <= _cp[n];
            if (Trace) Console.Error.WriteLine($"analyse at {LpTrace.Since(Created, CreatedFaults)} after the run was created");
            if (Trace) Console.Error.WriteLine($"analyse {LpTrace.MsSince(t0):F1} ms, m {m} n {n} nnz(A) {_cp[n]} nnz(L) {_chol.FactorNonzeros}");
            var theta = new double[n]; var rd = new double[n];
            Start(theta, rd);
            _ixl = new double[n]; _ixu = new double[n];
            var rp = new double[m];
            var dx = new double[n]; var dy = new double[m]; var dzl = new double[n]; var dzu = new double[n];
            var cx = new double[n]; var cy = new double[m]; var czl = new double[n]; var czu = new double[n];
            var rl = new double[n]; var ru = new double[n];
            double bestKkt = double.PositiveInfinity; (double P, double D, double G, int It)? best = null;
            _bestX = new double[n]; _bestY = new double[m];
            bool primalFeasibleSeen = false;
            int nb = 0; for (int j = 0; j < n; j++) nb += (_hasL[j] ? 1 : 0) + (_hasU[j] ? 1 : 0);
            int stall = 0;
            // Regularization grows when a step collapses (the factor of an ill-conditioned A Θ Aᵀ lost its accuracy:
            // cancelled pivots, a direction that is no descent direction) and decays back after a normal step. The
            // primal one decays to a floor (PrimalFloor) that is also bounded by the dual residual it leaves: ρ caps Θ
            // at 1/ρ and leaves ρ·Δx in the dual equation. Near the optimum of a degenerate LP the basic columns have
            // z/x far below any fixed ρ (pilot87: x ≈ 2.5e4, z ≈ 1e-20 in the scaled space), so ρ, not z/x, sets their
            // Θ, the dual residual stalls at ρ·|Δx| while x drifts along the optimal face, and refinement cannot remove
            // it (its contraction on those columns is ρ/(ρ + z/x) ≈ 1). A floor of min(1e-12, μ) stalled pilot87 at a
            // relative gap of 3.5e-8 = xᵀr_d; the regularization is driven to 0 with the residuals, as in regularized
            // IPMs (Friedlander and Orban, "A primal–dual regularized interior-point method for convex quadratic
            // programs", 2012), and the accuracy lost without it is recovered by refinement on the Newton system.
            double reg = PrimalRegularization > 0 ? PrimalRegularization : RescueRegularization, dualReg = DualRegularization;
            double relP = double.NaN, relD = double.NaN, gap = double.NaN, mu = double.NaN;
            var e1 = new double[m]; var e2 = new double[n]; // Newton-system residuals of the direction
            for (int it = 0; it <= _o.MaxIterations; it++)
            {
                long tc = LpTrace.Now();
                (relP, relD, gap, mu) = Check(rp, rd, nb);
                if (!double.IsFinite(relP + relD + gap + mu)) return Fail(LpStatus.NumericalTrouble, "iterates became non-finite", best, it);
                if (relP <= _o.Tolerance) primalFeasibleSeen = true;
                if (relP <= _o.Tolerance && relD <= _o.Tolerance && gap <= _o.Tolerance)
                    return new Outcome(LpStatus.Optimal, $"converged in {it} iterations", Unscaled(_x), UnscaledY(), it, relP, relD, gap, mu);
                double kkt = Math.Max(relP, Math.Max(relD, gap));
                if (kkt < bestKkt * 0.999) { bestKkt = kkt; best = (relP, relD, gap, it); Array.Copy(_x, _bestX, n); Array.Copy(_y, _bestY, m); stall = 0; }
                else if (++stall > 40) return Fail(LpStatus.NumericalTrouble, "no progress towards the stopping test in 40 iterations", best, it);
                if (FarkasCertificate() is string far) return new Outcome(LpStatus.Infeasible, far, Unscaled(_x), UnscaledY(), it, relP, relD, gap, mu);
                if (primalFeasibleSeen && RayCertificate() is string ray) return new Outcome(LpStatus.Unbounded, ray, Unscaled(_x), UnscaledY(), it, relP, relD, gap, mu);
                if (it == _o.MaxIterations) break;
                CheckTicks += LpTrace.Now() - tc;

                // The primal regularization must not leave more dual residual than refinement is asked to (a tenth of
                // the current one): ρ·dx is the one part of the residual refinement cannot remove (its contraction on
                // a column with z/x ≪ ρ is ρ/(ρ + z/x) ≈ 1), and a direction computed with too large a ρ is also too
                // long there, dx = (aᵀdy − r̂)/ρ, so its step collapses (a degenerate LP with x* over ten orders of
                // magnitude: ρ = 1e-14 gave |dx| ≈ 1e12 on a column with x ≈ 1e9 and a step of 3e-4). When the direction
                // solves the regularized system (KktRelative's second measure ≤ RefineAbove) but not the true one, and ρ
                // exceeds what this direction allows, ρ is cut to a hundredth of that and the iteration is redone, at
                // most twice. A direction that does not even solve its own system is left to the rescue below: its
                // length says nothing about ρ (klein3's phase 1, with the cut applied regardless, drove ρ to 1e-78).
                double ap, ad, sigma, kktRes, kktReg, allowed; int refined, cuts = 0;
                for (; ; cuts++)
                {
                    // Normal matrix.
                    Prepare(theta, rl, ru, reg);
                    long tf = LpTrace.Now();
                    _chol.Factor(theta, dualReg);
                    FactorTicks += LpTrace.Now() - tf;

                    // Predictor (affine scaling).
                    (ap, ad) = Direction(theta, rp, rd, rl, ru, dx, dy, dzl, dzu);
                    double muAff = Complementarity(ap, ad, dx, dzl, dzu) / Math.Max(1, nb);
                    sigma = nb == 0 ? 0 : Math.Clamp(Math.Pow(muAff / mu, 3), 0, 1);
                    double target = sigma * mu;
                    // Corrector: centring plus Mehrotra's second-order term.
                    CorrectorRhs(target, dx, dzl, dzu, rl, ru);
                    (ap, ad) = Direction(theta, rp, rd, rl, ru, dx, dy, dzl, dzu);
                    // Gondzio's centrality correctors: push the products at an enlarged trial step back into [0.1, 10]·σμ.
                    for (int g = 0; g < MaxCorrectors && nb > 0 && Math.Min(ap, ad) < 1; g++)
                    {
                        double tp = Math.Min(1, 1.5 * ap + 0.1), td = Math.Min(1, 1.5 * ad + 0.1);
                        double lo = 0.1 * target, hi = 10 * target;
                        GondzioRhs(tp, td, lo, hi, dx, dzl, dzu, rl, ru);
                        rp0 ??= new double[m]; // zero primal right-hand side (Direction never writes it); the dual one is null
                        var (ap2, ad2) = Direction(theta, rp0, null, rl, ru, cx, cy, czl, czu, onto: (dx, dzl, dzu));
                        for (int i = 0; i < m; i++) cy[i] += dy[i];
                        if (ap2 + ad2 < 1.01 * (ap + ad)) break;
                        (dx, cx) = (cx, dx); (dy, cy) = (cy, dy); (dzl, czl) = (czl, dzl); (dzu, czu) = (czu, dzu);
                        (ap, ad) = (ap2, ad2);
                    }
                    // Iterative refinement on the Newton system. A step of length α leaves the residuals (1 − α)·r + α·e,
                    // where e is the residual of the direction in A dx = rp and Aᵀdy + dzl − dzu = rd (the complementarity
                    // rows hold by construction of dzl, dzu); an inexact Newton direction keeps the IPM converging only
                    // while ‖e‖ stays a fraction of ‖r‖. Near the optimum it does not: with Θ over 40 orders of magnitude
                    // the right-hand side A Θ r̂ + rp of the normal equations loses rp to cancellation, and a primal step of 1
                    // no longer reduces the primal residual (klein1's phase 1 without primal regularization). Each
                    // direction whose relative residual exceeds RefineAbove is corrected with the same factor, while the
                    // correction at least halves it.
                    refined = 0;
                    (kktRes, kktReg) = KktRelative(rp, rd, dx, dy, dzl, dzu, e1, e2, reg);
                    for (; refined < MaxRefinements && kktRes > RefineAbove; refined++)
                    {
                        Array.Clear(rl); if (_anyUpper) Array.Clear(ru);
                        var (ap2, ad2) = Direction(theta, e1, e2, rl, ru, cx, cy, czl, czu, onto: (dx, dzl, dzu));
                        for (int i = 0; i < m; i++) cy[i] += dy[i];
                        var (res2, reg2) = KktRelative(rp, rd, cx, cy, czl, czu, e1, e2, reg);
                        if (!(res2 < 0.5 * kktRes)) break;
                        (dx, cx) = (cx, dx); (dy, cy) = (cy, dy); (dzl, czl) = (czl, dzl); (dzu, czu) = (czu, dzu);
                        (ap, ad, kktRes, kktReg) = (ap2, ad2, res2, reg2);
                    }
                    allowed = RegularizationAllowance(relD, dx);
                    if (!(reg > allowed) || !(kktRes > RefineAbove && kktReg <= RefineAbove) || cuts == MaxRegularizationCuts) break;
                    reg = 0.01 * allowed;
                }
                if (Trace) { int jm = 0; for (int j = 1; j < n; j++) if (Math.Abs(rd[j]) * _colInv[j] > Math.Abs(rd[jm]) * _colInv[jm]) jm = j; Console.Error.Write($"[maxrd j={jm} L={_hasL[jm]} U={_hasU[jm]} x={_x[jm]:E2} zl={_zl[jm]:E2} zu={_zu[jm]:E2} slack={jm >= _nStruct}] "); }
                if (Trace) Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"it {it,3} P {relP:E2} D {relD:E2} G {gap:E2} mu {mu:E2} sigma {sigma:F3} ap {ap:F4} ad {ad:F4} replaced {_chol.ReplacedPivots} reg {reg:E1} dreg {dualReg:E1} kkt {kktRes:E1} kktreg {kktReg:E1} refined {refined} cuts {cuts}"));
                if (Math.Min(ap, ad) < 1e-3) { reg = Math.Min(100 * Math.Max(reg, RescueRegularization), MaxRegularization); dualReg = Math.Min(100 * dualReg, MaxRegularization); }
                else { reg = Math.Max(reg / 10, PrimalFloor(mu, allowed)); dualReg = Math.Max(dualReg / 10, DualRegularization); }
                double eta = 0.9995;
                ap = Math.Min(1, eta * ap); ad = Math.Min(1, eta * ad);
                Update(ap, ad, dx, dzl, dzu);
                for (int i = 0; i < m; i++) _y[i] += ad * dy[i];
                // Split free columns drift: x⁺ and x⁻ grow together while their duals vanish, and Θ = x/z blows up.
                // Shifting both down by the same amount keeps x⁺ − x⁻, Ax and the residuals unchanged.
                int firstFree = n - _free.Length;
                for (int t = 0; t < _free.Length; t++)
                {
                    int jp = _free[t], jn = firstFree + t;
                    double lo = Math.Min(_x[jp], _x[jn]), diff = Math.Abs(_x[jp] - _x[jn]);
                    double keep = Math.Max(1, 0.1 * diff);
                    if (lo > 10 * keep)
                    {
                        double shift = lo - keep;
                        _x[jp] -= shift; _xl[jp] -= shift; _x[jn] -= shift; _xl[jn] -= shift;
                    }
                }
            }
            return Fail(LpStatus.IterationLimit, $"reached the iteration limit of {_o.MaxIterations}", best, _o.MaxIterations);
        }

        private double[]? rp0;
        private int DirectionCount;
        /// <summary>Gondzio correctors per iteration (2; REPRODUCE_LP_GONDZIO overrides, for diagnostics only). On the wide
        /// LP two took the fewest iterations for about the same number of directions (REPRODUCE_LP_TRACE=1 prints both).</summary>
        private static readonly int MaxCorrectors = int.TryParse(Environment.GetEnvironmentVariable("REPRODUCE_LP_GONDZIO"), out var g) ? g : 2;
        private long FactorTicks, SolveTicks, CheckTicks, DirectionTicks;
        /// <summary>REPRODUCE_LP_TRACE=1 prints one line per iteration to stderr (diagnostics only).</summary>
        private static readonly double PrimalRegularization = double.TryParse(Environment.GetEnvironmentVariable("REPRODUCE_LP_REG"), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0;
        /// <summary>Where the primal regularization starts when a collapsed step asks for it.</summary>
        private const double RescueRegularization = 1e-12;
        /// <summary>The primal regularization's floor after a step along dx from an iterate with relative
        /// dual infeasibility relD and complementarity μ: min(1e-12, μ, ρ̄), where ρ̄ is the largest ρ
        /// whose dual residual ρ·dx (unscaled, relative as in the stopping test) is at most a tenth of the current one,
        /// or of 1 % of the tolerance once the current one is below that: the inexact-Newton bound of the refinement
        /// (<see cref="RefineAbove"/>) applied to the one part of the residual refinement cannot remove.
        /// REPRODUCE_LP_REG sets a fixed floor, for diagnostics only.
        /// <paramref name="allowed"/> is <see cref="RegularizationAllowance"/> of the direction taken (computed once, by the
        /// loop that chose it).</summary>
        private static double PrimalFloor(double mu, double allowed) =>
            PrimalRegularization > 0 ? PrimalRegularization : Math.Min(Math.Min(RescueRegularization, mu), allowed);

        /// <summary>The largest ρ whose dual residual ρ·dx (unscaled, relative as in the stopping test) is at most
        /// <see cref="RefineAbove"/> times the current relative dual infeasibility <paramref name="relD"/>, or times 1 % of
        /// the tolerance once that is smaller (∞ for dx = 0; REPRODUCE_LP_REG fixes ρ and disables the bound).</summary>
        private double RegularizationAllowance(double relD, double[] dx)
        {
            if (PrimalRegularization > 0) return double.PositiveInfinity;
            double dxMax = 0;
            for (int j = 0; j < _n; j++) if (_hasL[j] || _hasU[j]) dxMax = Math.Max(dxMax, Math.Abs(dx[j]) * _colInv[j]);
            double allowed = RefineAbove * Math.Max(relD, 0.01 * _o.Tolerance) * (1 + _cNorm);
            return dxMax > 0 ? allowed / dxMax : double.PositiveInfinity;
        }

        /// <summary>Times an iteration is redone with a smaller primal regularization (see the loop in ExecuteCore).</summary>
        private const int MaxRegularizationCuts = 2;
        /// <summary>A direction is refined while its Newton-system residual exceeds this fraction of the right-hand side
        /// (<see cref="KktRelative"/>), at most <see cref="MaxRefinements"/> times.</summary>
        private const double RefineAbove = 0.1;
        private const int MaxRefinements = 3;
        private const double DualRegularization = 1e-10, MaxRegularization = 1e-6;
        /// <summary>Θ⁻¹ of a column without finite bounds (none after free columns are split; kept finite regardless).</summary>
        private const double UnboundedRegularization = 1e-8;
        private static readonly bool Trace = Environment.GetEnvironmentVariable("REPRODUCE_LP_TRACE") == "1";

        private static double Push(double v, double lo, double hi) => v < lo ? lo - v : v > hi ? Math.Max(hi - v, -hi) : 0;

        /// <summary>Θ = (zl/xl + zu/xu + ρ)⁻¹, the reciprocals 1/xl, 1/xu, and the predictor's right-hand sides
        /// rl = −Xl zl, ru = −Xu zu (all 0 where a bound is absent).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe void Prepare(double[] theta, double[] rl, double[] ru, double reg)
        {
            bool anyUpper = _anyUpper;
            fixed (double* th = theta, rlp = rl, rup = ru, ixl = _ixl, ixu = _ixu, xl = _xl, xu = _xu, zl = _zl, zu = _zu)
            fixed (bool* hasL = _hasL, hasU = _hasU)
            {
                for (int j = 0; j < _n; j++)
                {
                    double d = 0, il = 0, iu = 0, a = 0, b = 0;
                    if (hasL[j]) { il = 1 / xl[j]; d += zl[j] * il; a = -xl[j] * zl[j]; }
                    if (hasU[j]) { iu = 1 / xu[j]; d += zu[j] * iu; b = -xu[j] * zu[j]; }
                    // Floored so that Θ stays finite when a dual underflows (no regularization in normal steps).
                    th[j] = 1 / Math.Max(d + (hasL[j] || hasU[j] ? reg : UnboundedRegularization), 1e-200);
                    ixl[j] = il; rlp[j] = a;
                    if (anyUpper) { ixu[j] = iu; rup[j] = b; } // else never touched (see _anyUpper)
                }
            }
        }

        /// <summary>Σ (xl + αp dx)(zl + αd dzl) + Σ (xu − αp dx)(zu + αd dzu): the complementarity after a trial step.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe double Complementarity(double ap, double ad, double[] dx, double[] dzl, double[] dzu)
        {
            double s = 0;
            fixed (double* d = dx, dl = dzl, du = dzu, xl = _xl, xu = _xu, zl = _zl, zu = _zu)
            fixed (bool* hasL = _hasL, hasU = _hasU)
            {
                for (int j = 0; j < _n; j++)
                {
                    if (hasL[j]) s += (xl[j] + ap * d[j]) * (zl[j] + ad * dl[j]);
                    if (hasU[j]) s += (xu[j] - ap * d[j]) * (zu[j] + ad * du[j]);
                }
            }
            return s;
        }

        /// <summary>Mehrotra's corrector right-hand sides: centring towards <paramref name="target"/> plus the second-order term.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe void CorrectorRhs(double target, double[] dx, double[] dzl, double[] dzu, double[] rl, double[] ru)
        {
            bool anyUpper = _anyUpper;
            fixed (double* d = dx, dl = dzl, du = dzu, xl = _xl, xu = _xu, zl = _zl, zu = _zu, rlp = rl, rup = ru)
            fixed (bool* hasL = _hasL, hasU = _hasU)
            {
                for (int j = 0; j < _n; j++)
                {
                    rlp[j] = hasL[j] ? target - xl[j] * zl[j] - d[j] * dl[j] : 0;
                    if (anyUpper) rup[j] = hasU[j] ? target - xu[j] * zu[j] + d[j] * du[j] : 0;
                }
            }
        }

        /// <summary>Gondzio's right-hand sides: the products at the trial step (tp, td) pushed back into [lo, hi].</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe void GondzioRhs(double tp, double td, double lo, double hi, double[] dx, double[] dzl, double[] dzu, double[] rl, double[] ru)
        {
            bool anyUpper = _anyUpper;
            fixed (double* d = dx, dl = dzl, du = dzu, xl = _xl, xu = _xu, zl = _zl, zu = _zu, rlp = rl, rup = ru)
            fixed (bool* hasL = _hasL, hasU = _hasU)
            {
                for (int j = 0; j < _n; j++)
                {
                    rlp[j] = hasL[j] ? Push((xl[j] + tp * d[j]) * (zl[j] + td * dl[j]), lo, hi) : 0;
                    if (anyUpper) rup[j] = hasU[j] ? Push((xu[j] - tp * d[j]) * (zu[j] + td * du[j]), lo, hi) : 0;
                }
            }
        }

        /// <summary><para>The Newton-system residuals e1, e2 of a direction and their size relative to
        /// the right-hand side: max(‖e1‖ / ‖rp‖, ‖e2‖ / ‖rd‖) in the unscaled ∞-norms of the stopping test, each
        /// denominator floored at 1 % of what the stopping test accepts (tolerance·(1 + ‖b‖∞), tolerance·(1 + ‖c‖∞)),
        /// so that residuals the test cannot see (rounding in a primal feasible iterate) are neither refined nor
        /// cut the regularization.</para>
        /// <para>Also returns the same measure for the regularized system that was factored, whose dual rows read
        /// Aᵀdy + dzl − dzu − ρ dx = rd: its residual is e2 + ρ·dx, which is rounding when the factor is accurate.</para>
        /// <para>e1 = rp − A dx and e2 = rd − Aᵀdy − dzl + dzu and all the norms come from one pass over A.</para></summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe (double True, double Regularized) KktRelative(double[] rp, double[] rd, double[] dx, double[] dy, double[] dzl, double[] dzu, double[] e1, double[] e2, double reg)
        {
            // e1 = rp − A dx and e2 = rd − Aᵀdy − dzl + dzu in one pass over A, the column norms in the same pass.
            Array.Copy(rp, e1, _m);
            bool anyUpper = _anyUpper;
            double n1 = 0, n2 = 0, n2r = 0, p = 0, dmax = 0;
            fixed (int* cp = _cp, ri = _ri)
            fixed (double* av = _av, d = dx, y = dy, dl = dzl, du = dzu, r = rd, e1p = e1, e2p = e2, ci = _colInv)
            fixed (bool* hasL = _hasL, hasU = _hasU)
            {
                for (int j = 0; j < _n; j++)
                {
                    double xj = d[j], s = 0;
                    for (int k = cp[j], k1 = cp[j + 1]; k < k1; k++) { int i = ri[k]; s += av[k] * y[i]; e1p[i] -= av[k] * xj; }
                    double e = anyUpper ? r[j] - s - dl[j] + du[j] : r[j] - s - dl[j]; // dzu is 0 without upper bounds
                    e2p[j] = e;
                    double c = ci[j], rho = hasL[j] || hasU[j] ? reg : UnboundedRegularization;
                    n2 = Math.Max(n2, Math.Abs(e) * c); n2r = Math.Max(n2r, Math.Abs(e + rho * xj) * c); dmax = Math.Max(dmax, Math.Abs(r[j]) * c);
                }
            }
            for (int i = 0; i < _m; i++) { double w = _rowInv[i]; n1 = Math.Max(n1, Math.Abs(e1[i]) * w); p = Math.Max(p, Math.Abs(rp[i]) * w); }
            double tol = 0.01 * _o.Tolerance, pn = Math.Max(p, tol * (1 + _bNorm)), dn = Math.Max(dmax, tol * (1 + _cNorm));
            return (Math.Max(n1 / pn, n2 / dn), Math.Max(n1 / pn, n2r / dn));
        }

        /// <summary>The step: x, the bound slacks by αp, the bound duals by αd.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe void Update(double ap, double ad, double[] dx, double[] dzl, double[] dzu)
        {
            fixed (double* d = dx, dl = dzl, du = dzu, x = _x, xl = _xl, xu = _xu, zl = _zl, zu = _zu)
            fixed (bool* hasL = _hasL, hasU = _hasU)
            {
                for (int j = 0; j < _n; j++)
                {
                    double s = ap * d[j];
                    x[j] += s;
                    if (hasL[j]) { xl[j] += s; zl[j] += ad * dl[j]; }
                    if (hasU[j]) { xu[j] -= s; zu[j] += ad * du[j]; }
                }
            }
        }

        // The best iterate so far (scaled), kept in place: a fresh unscaled copy per iteration cost more page faults than
        // arithmetic on the 200,000-column LP.
        private double[] _bestX = [], _bestY = [];

        private Outcome Fail(LpStatus st, string why, (double P, double D, double G, int It)? best, int it)
        {
            if (best is { } b)
                return new Outcome(st, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{why}; best iterate (iteration {b.It}): relative primal infeasibility {b.P:E2}, dual infeasibility {b.D:E2}, gap {b.G:E2}"),
                    Unscaled(_bestX), UnscaledY(_bestY), it, b.P, b.D, b.G, double.NaN);
            return new Outcome(st, why, Unscaled(_x), UnscaledY(), it, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        /// <summary>Start point: x = least-norm solution of Ax = b pushed at least 1 (or half the box) inside its
        /// bounds, y = least-squares dual, bound duals from the reduced costs, floored at 1 (Mehrotra 1992, adapted).
        /// <paramref name="ones"/> and <paramref name="s"/> are scratch arrays of n entries (the run's Θ and rd, not yet
        /// in use): fresh arrays cost their page faults.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Start(double[] ones, double[] s)
        {
            int m = _m, n = _n;
            Array.Fill(ones, 1.0);
            _chol.Factor(ones, 1e-8);
            var t = (double[])_b.Clone(); _chol.Solve(t);
            _x = AT(t);
            var ac = A(_c); _chol.Solve(ac); _y = ac;
            AT(_y, s);
            _xl = new double[n]; _xu = new double[n]; _zl = new double[n]; _zu = new double[n];
            for (int j = 0; j < n; j++)
            {
                double l = _l[j], u = _u[j], x = _x[j];
                if (_hasL[j] && _hasU[j])
                {
                    double margin = Math.Min(1, 0.5 * (u - l));
                    x = Math.Min(Math.Max(x, l + margin), u - margin);
                }
                else if (_hasL[j]) x = Math.Max(x, l + 1);
                else if (_hasU[j]) x = Math.Min(x, u - 1);
                _x[j] = x;
                if (_hasL[j]) _xl[j] = x - l;
                if (_hasU[j]) _xu[j] = u - x;
                double d = _c[j] - s[j];
                if (_hasL[j] && _hasU[j]) { _zl[j] = Math.Max(d, 0) + 1; _zu[j] = Math.Max(-d, 0) + 1; }
                else if (_hasL[j]) _zl[j] = Math.Max(d, 1);
                else if (_hasU[j]) _zu[j] = Math.Max(-d, 1);
            }
        }

        /// <summary>Solves for the direction with right-hand sides (rp, rd, rl, ru) of
        /// A dx = rp, Aᵀdy + dzl − dzu = rd, Zl dx + Xl dzl = rl, −Zu dx + Xu dzu = ru; returns the largest primal and
        /// dual steps in [0, 1] that keep the bound slacks and duals nonnegative. <paramref name="rd"/> null means 0.
        /// With <paramref name="onto"/> (a direction already computed), the primal and bound-dual parts written are the
        /// sums dx + onto.dx etc. and the steps are those of the sum (the correctors and refinement steps add their
        /// correction to the current direction in the same pass; dy gets no sum, it is m entries for the caller).</summary>
        private (double P, double D) Direction(double[] theta, double[] rp, double[]? rd, double[] rl, double[] ru, double[] dx, double[] dy, double[] dzl, double[] dzu,
            (double[] Dx, double[] Dzl, double[] Dzu)? onto = null)
        {
            long td = LpTrace.Now();
            var (bx, bzl, bzu) = onto ?? (dx, dzl, dzu);
            var steps = (_anyUpper, onto is null) switch
            {
                (true, true) => DirectionCore<WithUpper, Fresh>(theta, rp, rd, rl, ru, dx, dy, dzl, dzu, bx, bzl, bzu),
                (true, false) => DirectionCore<WithUpper, OntoBase>(theta, rp, rd, rl, ru, dx, dy, dzl, dzu, bx, bzl, bzu),
                (false, true) => DirectionCore<NoUpper, Fresh>(theta, rp, rd, rl, ru, dx, dy, dzl, dzu, bx, bzl, bzu),
                (false, false) => DirectionCore<NoUpper, OntoBase>(theta, rp, rd, rl, ru, dx, dy, dzl, dzu, bx, bzl, bzu),
            };
            DirectionTicks += LpTrace.Now() - td; DirectionCount++;
            return steps;
        }


        /// <summary>Whether any column has a finite upper bound: without one the upper-bound arrays (xu, zu, 1/xu, ru,
        /// dzu and their corrector copies) stay all zero and are never written or read by the passes over the columns
        /// (a third less memory traffic on the standard-form wide LP, and six fewer arrays of n entries to touch: the
        /// first touch of a fresh page costs ~10 µs on a virtual machine, ~20 ms for these six at n = 200,000).</summary>
        private readonly bool _anyUpper;
        private interface IUpper { static abstract bool Present { get; } }
        private struct WithUpper : IUpper { public static bool Present => true; }
        private struct NoUpper : IUpper { public static bool Present => false; }
        private interface ISum { static abstract bool Added { get; } }
        private struct Fresh : ISum { public static bool Added => false; }
        private struct OntoBase : ISum { public static bool Added => true; }

        // Two passes over A per direction: r̂, Θr̂ and the right-hand side A Θ r̂ + rp in one; Aᵀdy, dx, dzl, dzu, the
        // sums with the direction added onto (TS) and the step lengths in the other. On a wide A (the 500 × 200,000 LP
        // of the IPM benchmark) these passes, not the factorization, are the cost of an iteration, and they are limited
        // by memory traffic: pointer loops, and no pass of its own for what can ride along.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe (double P, double D) DirectionCore<TU, TS>(double[] theta, double[] rp, double[]? rd, double[] rl, double[] ru, double[] dx, double[] dy, double[] dzl, double[] dzu,
            double[] bx, double[] bzl, double[] bzu)
            where TU : struct, IUpper where TS : struct, ISum
        {
            int n = _n, m = _m;
            var rhsArr = _rhsBuf ??= new double[m];
            Array.Copy(rp, rhsArr, m);
            // rhat reuses dx: r̂ = rd − rl/xl + ru/xu (rl, ru and the reciprocals are 0 where a bound is absent).
            bool rdZero = rd is null;
            fixed (int* cp = _cp, ri = _ri)
            fixed (double* av = _av, th = theta, rdp = rd, rlp = rl, rup = ru, ixl = _ixl, ixu = _ixu, rhat = dx, rhs = rhsArr)
            {
                for (int j = 0; j < n; j++)
                {
                    // 0 − v is exactly −v: the zero right-hand side needs no array of zeros read.
                    double rh = rdZero ? -(rlp[j] * ixl[j]) : rdp[j] - rlp[j] * ixl[j];
                    if (TU.Present) rh += rup[j] * ixu[j];
                    rhat[j] = rh;
                    double t = th[j] * rh;
                    if (t == 0) continue;
                    for (int k = cp[j], k1 = cp[j + 1]; k < k1; k++) rhs[ri[k]] += av[k] * t;
                }
            }
            Array.Copy(rhsArr, dy, m);
            long ts = LpTrace.Now();
            _chol.Solve(dy);
            SolveTicks += LpTrace.Now() - ts;
            // Iterative refinement against the unregularized A Θ Aᵀ (the factor carries δI and replaced pivots): up to
            // three steps, stopped when the residual no longer shrinks.
            double last = double.PositiveInfinity;
            var mw = _mwBuf ??= new double[m];
            for (int step = 0; step < 3; step++)
            {
                NormalProduct(theta, dy, mw);
                double norm = 0;
                for (int i = 0; i < m; i++) { mw[i] = rhsArr[i] - mw[i]; norm = Math.Max(norm, Math.Abs(mw[i])); }
                if (!(norm < 0.5 * last)) break;
                last = norm;
                ts = LpTrace.Now();
                _chol.Solve(mw);
                SolveTicks += LpTrace.Now() - ts;
                for (int i = 0; i < m; i++) dy[i] += mw[i];
            }
            double ap = 1, ad = 1;
            fixed (int* cp = _cp, ri = _ri)
            fixed (double* av = _av, th = theta, dyp = dy, rlp = rl, rup = ru, ixl = _ixl, ixu = _ixu, dxp = dx, dzlp = dzl, dzup = dzu,
                   xl = _xl, xu = _xu, zlp = _zl, zup = _zu, bxp = bx, bzlp = bzl, bzup = bzu)
            fixed (bool* hasL = _hasL, hasU = _hasU)
            {
                for (int j = 0; j < n; j++)
                {
                    double aty = 0;
                    for (int k = cp[j], k1 = cp[j + 1]; k < k1; k++) aty += av[k] * dyp[ri[k]];
                    double d = th[j] * (aty - dxp[j]); // dxp[j] holds r̂ until overwritten here
                    double zl = (rlp[j] - zlp[j] * d) * ixl[j];
                    double zu = TU.Present ? (rup[j] + zup[j] * d) * ixu[j] : 0;
                    if (TS.Added)
                    {
                        // Both parts are 0 where a bound is absent, so the sums need no test of the bound.
                        d += bxp[j]; zl += bzlp[j];
                        if (TU.Present) zu += bzup[j];
                    }
                    dxp[j] = d;
                    dzlp[j] = zl;
                    // Ratio tests that divide only when the bound blocks the current step.
                    if (hasL[j])
                    {
                        if (xl[j] + ap * d < 0) ap = -xl[j] / d;
                        if (zlp[j] + ad * zl < 0) ad = -zlp[j] / zl;
                    }
                    if (TU.Present)
                    {
                        dzup[j] = zu;
                        if (hasU[j])
                        {
                            if (xu[j] - ap * d < 0) ap = xu[j] / d;
                            if (zup[j] + ad * zu < 0) ad = -zup[j] / zu;
                        }
                    }
                }
            }
            return (ap, ad);
        }

        private double[]? _rhsBuf, _mwBuf;
        private double[] _ixl = [], _ixu = [];  // 1/xl, 1/xu of this iteration (0 where the bound is absent)

        /// <summary>r = A Θ Aᵀ y: from the factor's stored copy of A Θ Aᵀ when that has fewer entries than A, else in one
        /// pass over the columns of A (each column read once, from cache, for both products).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void NormalProduct(double[] theta, double[] y, double[] r)
        {
            if (_chol.KeepAssembled) { _chol.MultiplyAssembled(y, r); return; }
            Array.Clear(r);
            for (int j = 0; j < _n; j++)
            {
                int k0 = _cp[j], k1 = _cp[j + 1];
                double s = 0;
                for (int k = k0; k < k1; k++) s += _av[k] * y[_ri[k]];
                s *= theta[j];
                if (s == 0) continue;
                for (int k = k0; k < k1; k++) r[_ri[k]] += _av[k] * s;
            }
        }

        /// <summary>Residuals rp = b − Ax and rd = c − Aᵀy − zl + zu (and the sums the Farkas and ray tests read)
        /// in one pass over A, with the relative primal and dual infeasibility (∞-norms, unscaled), the relative gap and
        /// the complementarity μ over the <paramref name="nb"/> finite bounds.</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private unsafe (double P, double D, double G, double Mu) Check(double[] rp, double[] rd, int nb)
        {
            var ax = _axBuf ??= new double[_m];
            Array.Clear(ax);
            double d = 0, pobj = 0, dobj = 0, comp = 0;
            // The certificate tests' sums ride along, in the order those tests used to add them (same values).
            double fdobj = 0, fe1 = 0, rdmax = 0, rcd = 0;
            for (int i = 0; i < _m; i++) fdobj += _b[i] * _y[i];
            fixed (int* cp = _cp, ri = _ri)
            fixed (double* av = _av, axp = ax, x = _x, y = _y, c = _c, l = _l, u = _u, xl = _xl, xu = _xu, zl = _zl, zu = _zu, rdp = rd, ci = _colInv, cs = _colScale)
            fixed (bool* hasL = _hasL, hasU = _hasU)
            {
                for (int j = 0; j < _n; j++)
                {
                    double xj = x[j], s = 0;
                    for (int k = cp[j], k1 = cp[j + 1]; k < k1; k++) { int i = ri[k]; s += av[k] * y[i]; axp[i] += av[k] * xj; }
                    double r = c[j] - s;
                    pobj += c[j] * xj;
                    if (hasL[j]) { r -= zl[j]; dobj += l[j] * zl[j]; comp += xl[j] * zl[j]; fdobj += l[j] * zl[j]; }
                    if (hasU[j]) { r += zu[j]; dobj -= u[j] * zu[j]; comp += xu[j] * zu[j]; fdobj -= u[j] * zu[j]; }
                    rdp[j] = r;
                    d = Math.Max(d, Math.Abs(r) * ci[j]);
                    fe1 += Math.Abs(s + (hasL[j] ? zl[j] : 0) - (hasU[j] ? zu[j] : 0)) * ci[j];
                    double v = hasL[j] && hasU[j] ? 0 : hasL[j] ? Math.Max(xj - l[j], 0) : hasU[j] ? Math.Min(xj - u[j], 0) : xj; // RayComponent
                    rdmax = Math.Max(rdmax, Math.Abs(v * cs[j])); rcd += c[j] * v;
                }
            }
            (_farkasDobj, _farkasE1, _rayDmax, _rayCd) = (fdobj, fe1, rdmax, rcd);
            double p = 0;
            for (int i = 0; i < _m; i++)
            {
                rp[i] = _b[i] - ax[i];
                p = Math.Max(p, Math.Abs(rp[i]) * _rowInv[i]);
                dobj += _b[i] * _y[i];
            }
            return (p / (1 + _bNorm), d / (1 + _cNorm), Math.Abs(pobj - dobj) / (1 + Math.Abs(pobj)), nb == 0 ? 0 : comp / nb);
        }

        private double PrimalObjective() { double s = 0; for (int j = 0; j < _n; j++) s += _c[j] * _x[j]; return s; }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private double DualObjective()
        {
            double s = 0;
            for (int i = 0; i < _m; i++) s += _b[i] * _y[i];
            for (int j = 0; j < _n; j++) { if (_hasL[j]) s += _l[j] * _zl[j]; if (_hasU[j]) s -= _u[j] * _zu[j]; }
            return s;
        }

        /// <summary>Farkas test: with e = Aᵀy + zₗ − zᵤ (unscaled), every x within the bounds satisfies
        /// yᵀAx ≤ −lᵀzₗ + uᵀzᵤ + ‖e‖₁‖x‖∞, so bᵀy + lᵀzₗ − uᵀzᵤ &gt; ‖e‖₁·X rules out every feasible x with
        /// ‖x‖∞ ≤ X. X = 1e6·max(1, ‖b‖∞, finite bounds).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private string? FarkasCertificate()
        {
            // Both sums come from this iteration's Check (one pass over A for everything).
            double dobj = _farkasDobj;
            if (!(dobj > 0)) return null;
            double e1 = _farkasE1;
            double bigX = 1e6 * Math.Max(1, Math.Max(_bNorm, _boundNorm));
            if (e1 * bigX >= dobj) return null;
            return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"primal infeasible: Farkas certificate bᵀy + lᵀzₗ − uᵀzᵤ = {dobj:E3} > ‖Aᵀy + zₗ − zᵤ‖₁ = {e1:E3} × {bigX:E1} (no feasible x with ‖x‖∞ ≤ {bigX:E1})");
        }

        /// <summary>Unboundedness test on d = x (unscaled, projected onto the recession cone of the bounds):
        /// cᵀd &lt; 0 and ‖Ad‖₁·Y &lt; −cᵀd rule out every dual feasible y with ‖y‖∞ ≤ Y = 1e6·max(1, ‖c‖∞).</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private string? RayCertificate()
        {
            // The two cheap tests first (no allocation: this runs every iteration once x is primal feasible).
            double dmax = _rayDmax, cd = _rayCd; // from this iteration's Check
            if (dmax < 1e6 * Math.Max(1, _boundNorm)) return null;
            if (!(cd < 0)) return null;
            var d = new double[_n];
            for (int j = 0; j < _n; j++) d[j] = RayComponent(j);
            var ad = A(d);
            double a1 = 0; for (int i = 0; i < _m; i++) a1 += Math.Abs(ad[i]) * _rowInv[i];
            double bigY = 1e6 * Math.Max(1, _cNorm);
            if (a1 * bigY >= -cd) return null;
            return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"unbounded: primal feasible iterate and a ray d with cᵀd = {cd:E3}, ‖Ad‖₁ = {a1:E3} (no dual feasible y with ‖y‖∞ ≤ {bigY:E1})");
        }

        private double _farkasDobj, _farkasE1, _rayDmax, _rayCd;

        private double RayComponent(int j)
        {
            double v = _x[j];
            if (_hasL[j] && _hasU[j]) return 0;
            if (_hasL[j]) return Math.Max(v - _l[j], 0);
            if (_hasU[j]) return Math.Min(v - _u[j], 0);
            return v;
        }

        private double[] A(double[] x) => A(x, new double[_m]);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private double[] A(double[] x, double[] r)
        {
            Array.Clear(r);
            for (int j = 0; j < _n; j++)
            {
                double v = x[j]; if (v == 0) continue;
                for (int k = _cp[j]; k < _cp[j + 1]; k++) r[_ri[k]] += _av[k] * v;
            }
            return r;
        }

        private double[]? _axBuf;

        private double[] AT(double[] y) => AT(y, new double[_n]);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private double[] AT(double[] y, double[] r)
        {
            for (int j = 0; j < _n; j++)
            {
                double s = 0;
                for (int k = _cp[j]; k < _cp[j + 1]; k++) s += _av[k] * y[_ri[k]];
                r[j] = s;
            }
            return r;
        }

        private double[] Unscaled(double[] x)
        {
            var r = new double[_nStruct];
            for (int j = 0; j < _nStruct; j++) r[j] = x[j] * _colScale[j];
            int first = _n - _free.Length;
            for (int t = 0; t < _free.Length; t++) r[_free[t]] -= x[first + t] * _colScale[first + t];
            return r;
        }

        private double[] UnscaledY() => UnscaledY(_y);

        private double[] UnscaledY(double[] y)
        {
            var r = new double[_m];
            for (int i = 0; i < _m; i++) r[i] = y[i] * _rowScale[i];
            return r;
        }
    }
}
