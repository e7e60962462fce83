using Reproduce.Compute;

namespace Reproduce.LinearProgramming;

/// <summary>Solves the normal equations A D² Aᵀ Δy = p of one outer iteration with the solver chosen in the
/// options, and builds the correction vector v = (XS)^{1/2} W (A D W)^† f of eqn (27) for the sketched solvers.</summary>
internal sealed class NormalEquationSolver
{
    private readonly ConstraintMatrix _a;
    private readonly IpmOptions _o;
    private readonly Rng _rng;
    private double[] _d2 = [];
    private Matrix? _l;                // Cholesky factor
    private SketchMatrix? _w;
    private SketchPreconditioner? _q;
    private double _lmin, _lmax;       // Chebyshev interval
    private int _draws;

    public NormalEquationSolver(ConstraintMatrix a, IpmOptions o)
    {
        _a = a; _o = o; _rng = new Rng(o.Seed).Fork("sketch");
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
        Matrix? k = null;
        if (_o.Solver == NormalSolverKind.Cholesky || _o.ConditionNumbers) k = _a.NormalMatrix(d2);
        if (_o.Solver == NormalSolverKind.Cholesky) _l = Factor(k!);
        if (IsSketched)
        {
            if (_w is null || _o.FreshSketch) { _w = new SketchMatrix(_o.Sketch, _a.Cols, SketchWidth(_a, _o), _rng.Fork(_draws++), _o.SketchNonzeros); }
            var d = new double[d2.Length];
            for (int j = 0; j < d.Length; j++) d[j] = Math.Sqrt(d2[j]);
            _q = new SketchPreconditioner(_w.SketchScaled(_a, d));
        }
        bool needPre = IsSketched && (_o.ConditionNumbers || (_o.Solver == NormalSolverKind.SketchChebyshev && !_o.ChebyshevTheoreticalInterval));
        if (_o.ConditionNumbers && k is not null) KappaUnpreconditioned = Kappa(k, out _, out _);
        if (needPre)
        {
            k ??= _a.NormalMatrix(d2);
            var qis = _q!.InverseSqrtMatrix();
            var pk = Ops.MatMul(Ops.MatMul(qis, k), qis);
            Symmetrize(pk);
            KappaPreconditioned = Kappa(pk, out _lmin, out _lmax);
        }
        if (_o.Solver == NormalSolverKind.SketchChebyshev && _o.ChebyshevTheoreticalInterval)
        {
            _lmin = 1 / (1 + _o.Zeta / 2); _lmax = 1 / (1 - _o.Zeta / 2);
        }
    }

    /// <summary>Solves for Δy; returns the inner iteration count and, for sketched solvers with the correction on, v.</summary>
    public (double[] Dy, int Inner, double[]? V) Solve(double[] p, double[] sqrtXs)
    {
        double[] dy; int inner = 0;
        Func<double[], double[]> applyK = u => _a.NormalProduct(_d2, u);
        switch (_o.Solver)
        {
            case NormalSolverKind.Cholesky:
                {
                    var y = Ops.TriangularSolve(_l!, Matrix.Vector(p), lower: true);
                    dy = Ops.TriangularSolve(_l!, y, lower: true, transpose: true).ToArray();
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

    internal static Matrix Factor(Matrix k)
    {
        double maxDiag = 0;
        for (int i = 0; i < k.Rows; i++) maxDiag = Math.Max(maxDiag, Math.Abs(k[i, i]));
        double reg = 0;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                if (reg == 0) return Ops.Cholesky(k);
                var kr = k.Copy();
                for (int i = 0; i < k.Rows; i++) kr[i, i] += reg;
                return Ops.Cholesky(kr);
            }
            catch (NotPositiveDefiniteException) when (attempt < 12)
            {
                reg = reg == 0 ? Math.Max(maxDiag, 1e-300) * 1e-14 : reg * 100;
            }
        }
    }

    private static double Kappa(Matrix k, out double min, out double max)
    {
        var ev = Ops.SymmetricEigen(k).Values.ToArray();
        min = ev.Min(); max = ev.Max();
        return min > 0 ? max / min : double.PositiveInfinity;
    }

    private static void Symmetrize(Matrix a)
    {
        for (int j = 0; j < a.Cols; j++)
            for (int i = j + 1; i < a.Rows; i++) { double v = 0.5 * (a[i, j] + a[j, i]); a[i, j] = v; a[j, i] = v; }
    }

    private static double Norm(double[] v) => Math.Sqrt(PreconditionedConjugateGradient.Dot(v, v));
}
