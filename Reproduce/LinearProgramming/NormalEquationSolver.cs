using Reproduce.Compute;

namespace Reproduce.LinearProgramming;

/// <summary>Solves the normal equations A D² Aᵀ Δy = p of one outer iteration with the solver chosen in the
/// options, and builds the correction vector v = (XS)^{1/2} W (A D W)^† f of eqn (27) for the sketched solvers.
/// The heavy dense work (A D² Aᵀ, A D W, the SVD behind Q^{−1/2}, Cholesky, the eigenvalues behind κ) goes through
/// <see cref="Ops"/> on <see cref="IpmOptions.Device"/>; on the CPU the CG matrix–vector products keep their fast
/// TensorPrimitives loops. Unpreconditioned CG on a dense A forms K = A D² Aᵀ once per outer iteration and multiplies
/// by the m×m matrix (m² instead of 2mn flops per CG step; the same operator, so the same CG up to rounding): the
/// unpreconditioned baseline needs hundreds to thousands of steps, far more than the m/2 that repay forming K.</summary>
internal sealed class NormalEquationSolver : IDisposable
{
    /// <summary>Largest m for which unpreconditioned CG forms K = A D² Aᵀ explicitly (an m×m matrix; 4096² doubles = 128 MiB).</summary>
    internal const int ExplicitNormalMatrixMaxRows = 4096;

    private readonly ConstraintMatrix _a;
    private readonly IpmOptions _o;
    private readonly Rng _rng;
    private double[] _d2 = [];
    private Matrix? _l;                // Cholesky factor
    private Matrix? _k;                // explicit K = A D² Aᵀ for unpreconditioned CG
    private readonly Device _dev;      // where the heavy dense work runs
    private readonly bool _opsProducts; // matrix-free products through Ops.MatVec (accelerator, or forced for tests)
    private SketchMatrix? _w;
    private SketchPreconditioner? _q;
    private double _lmin, _lmax;       // Chebyshev interval
    private int _draws;

    public NormalEquationSolver(ConstraintMatrix a, IpmOptions o)
    {
        _a = a; _o = o; _rng = new Rng(o.Seed).Fork("sketch");
        _dev = o.Device ?? Device.Cpu;
        _opsProducts = _dev.Kind != DeviceKind.Cpu || o.OpsProducts;
        int w = SketchWidth(a, o);
        if (IsSketched && w < a.Rows)
            throw new ArgumentException($"IpmOptions.SketchSize is {w} but A has m = {a.Rows} rows; the sketch needs w ≥ m (the paper uses w ≈ 2m–3m).", nameof(o));
    }

    public bool IsSketched => _o.Solver is NormalSolverKind.SketchPcg or NormalSolverKind.SketchChebyshev;
    public double KappaUnpreconditioned { get; private set; } = double.NaN;
    public double KappaPreconditioned { get; private set; } = double.NaN;

    public static int SketchWidth(ConstraintMatrix a, IpmOptions o) => o.SketchSize > 0 ? o.SketchSize : Math.Min(a.Cols, 2 * a.Rows);

    /// <summary>Prepares for the scaling D² = diag(d2): factors, or draws W and factors A D W.</summary>
    public void Prepare(double[] d2)
    {
        _d2 = d2;
        KappaUnpreconditioned = KappaPreconditioned = double.NaN;
        Release();
        bool explicitK = _o.Solver == NormalSolverKind.ConjugateGradient && _a.Dense is not null && _a.Rows <= ExplicitNormalMatrixMaxRows;
        Matrix? k = null;
        if (_o.Solver == NormalSolverKind.Cholesky || _o.ConditionNumbers || explicitK) k = _a.NormalMatrixOn(_dev, d2);
        if (_o.Solver == NormalSolverKind.Cholesky) _l = Factor(k!);
        if (explicitK) _k = k;
        if (IsSketched)
        {
            if (_w is null || _o.FreshSketch)
            {
                _w?.Dispose();
                _w = new SketchMatrix(_o.Sketch, _a.Cols, SketchWidth(_a, _o), _rng.Fork(_draws++), _o.SketchNonzeros, _dev);
            }
            var d = new double[d2.Length];
            for (int j = 0; j < d.Length; j++) d[j] = Math.Sqrt(d2[j]);
            using var adw = _w.SketchScaled(_a, d, _dev);
            _q = new SketchPreconditioner(adw);
        }
        bool needPre = IsSketched && (_o.ConditionNumbers || (_o.Solver == NormalSolverKind.SketchChebyshev && !_o.ChebyshevTheoreticalInterval));
        if (_o.ConditionNumbers && k is not null) KappaUnpreconditioned = Kappa(k, out _, out _);
        if (needPre)
        {
            k ??= _a.NormalMatrixOn(_dev, d2);
            using var qis = _q!.InverseSqrtMatrix();
            using var qk = Ops.MatMul(qis, k);
            using var pk = Ops.MatMul(qk, qis);
            using var pkt = Ops.Transpose(pk);
            using var sum = Ops.Add(pk, pkt);
            using var sym = Ops.Scale(sum, 0.5);
            KappaPreconditioned = Kappa(sym, out _lmin, out _lmax);
        }
        if (k is not null && !ReferenceEquals(k, _k)) k.Dispose();
        if (_o.Solver == NormalSolverKind.SketchChebyshev && _o.ChebyshevTheoreticalInterval)
        {
            _lmin = 1 / (1 + _o.Zeta / 2); _lmax = 1 / (1 - _o.Zeta / 2);
        }
    }

    /// <summary>Frees the factors and the sketch (device memory; no-op on the CPU).</summary>
    public void Dispose() { Release(); _w?.Dispose(); _w = null; }

    /// <summary>Frees the previous iteration's factors (device memory; no-op on the CPU).</summary>
    private void Release()
    {
        _l?.Dispose(); _l = null;
        _k?.Dispose(); _k = null;
        _q?.Dispose(); _q = null;
    }

    /// <summary>K·u: with the explicit K (unpreconditioned CG) an m×m product, else the matrix-free A(d²∘(Aᵀu)).</summary>
    private double[] ApplyK(double[] u)
    {
        if (_k is not null)
        {
            if (!_opsProducts && _k.Device.Kind == DeviceKind.Cpu && _k.DType == DType.F64)
            {
                var a = _k.Span; int m = _k.Rows; var r = new double[m];
                for (int j = 0; j < m; j++)
                {
                    double uj = u[j]; if (uj == 0) continue;
                    System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(a.Slice(j * m, m), uj, r, r);
                }
                return r;
            }
            using var v = Matrix.Vector(u).To(_k.Device);
            using var kv = Ops.MatVec(_k, v);
            return kv.ToArray();
        }
        return _opsProducts ? _a.NormalProductOn(_dev, _d2, u) : _a.NormalProduct(_d2, u);
    }

    /// <summary>Solves for Δy; returns the inner iteration count and, for sketched solvers with the correction on, v.</summary>
    public (double[] Dy, int Inner, double[]? V) Solve(double[] p, double[] sqrtXs)
    {
        double[] dy; int inner = 0;
        Func<double[], double[]> applyK = ApplyK;
        switch (_o.Solver)
        {
            case NormalSolverKind.Cholesky:
                {
                    using var pv = Matrix.Vector(p).To(_l!.Device);
                    using var y = Ops.TriangularSolve(_l!, pv, lower: true);
                    using var z = Ops.TriangularSolve(_l!, y, lower: true, transpose: true);
                    dy = z.ToArray();
                    break;
                }
            case NormalSolverKind.ConjugateGradient:
                {
                    var r = PreconditionedConjugateGradient.Solve(applyK, p, null, _o.InnerTolerance, _o.MaxInnerIterations, CgStoppingNorm.Unpreconditioned, _o.FixedInnerIterations);
                    dy = r.X; inner = r.Iterations; break;
                }
            case NormalSolverKind.SketchPcg:
                {
                    var r = PreconditionedConjugateGradient.Solve(applyK, p, _q!.ApplyInverse, _o.InnerTolerance, _o.MaxInnerIterations, _o.StoppingNorm, _o.FixedInnerIterations);
                    dy = r.X; inner = r.Iterations; break;
                }
            case NormalSolverKind.SketchChebyshev:
                {
                    var q = _q!;
                    var g = q.ApplyInverseSqrt(p);
                    Func<double[], double[]> applyB = z => q.ApplyInverseSqrt(applyK(q.ApplyInverseSqrt(z)));
                    Func<double[], double>? measure = _o.StoppingNorm == CgStoppingNorm.Unpreconditioned ? r => Norm(q.ApplySqrt(r)) : null;
                    var res = ChebyshevIteration.Solve(applyB, g, _lmin, _lmax, _o.InnerTolerance, _o.MaxInnerIterations, _o.FixedInnerIterations, measure);
                    dy = q.ApplyInverseSqrt(res.X); inner = res.Iterations; break;
                }
            default: throw new InvalidOperationException($"Unknown solver {_o.Solver}.");
        }
        double[]? v = null;
        if (IsSketched && _o.UseCorrection)
        {
            var f = applyK(dy);
            for (int i = 0; i < f.Length; i++) f[i] -= p[i];
            var wu = _w!.Multiply(_q!.PseudoInverse(f));
            v = new double[wu.Length];
            for (int j = 0; j < v.Length; j++) v[j] = sqrtXs[j] * wu[j];
        }
        return (dy, inner, v);
    }

    /// <summary>Cholesky factor of K on K's device, retried with a growing diagonal shift (from 10⁻¹⁴·max K_ii) when K is
    /// numerically singular near the optimum.</summary>
    internal static Matrix Factor(Matrix k)
    {
        try { return Ops.Cholesky(k); }
        catch (NotPositiveDefiniteException) { }
        using var host = k.ToCpu();
        double maxDiag = 0;
        for (int i = 0; i < host.Rows; i++) maxDiag = Math.Max(maxDiag, Math.Abs(host[i, i]));
        double reg = Math.Max(maxDiag, 1e-300) * 1e-14;
        for (int attempt = 0; ; attempt++)
        {
            using var kr = host.Copy();
            for (int i = 0; i < host.Rows; i++) kr[i, i] += reg;
            try
            {
                if (k.Device.Kind == DeviceKind.Cpu) return Ops.Cholesky(kr);
                using var kd = kr.To(k.Device);
                return Ops.Cholesky(kd);
            }
            catch (NotPositiveDefiniteException) when (attempt < 11)
            {
                reg *= 100;
            }
        }
    }

    private static double Kappa(Matrix k, out double min, out double max)
    {
        var ev = Ops.SymmetricEigen(k).Values.ToArray();
        min = ev.Min(); max = ev.Max();
        return min > 0 ? max / min : double.PositiveInfinity;
    }

    private static double Norm(double[] v) => Math.Sqrt(PreconditionedConjugateGradient.Dot(v, v));
}
