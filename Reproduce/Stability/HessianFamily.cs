using System.Globalization;
using Reproduce.Compute;

namespace Reproduce.Stability;

/// <summary>The per-sample Hessians Hᵢ = ∇²ℓᵢ(w*) (i = 1..n, each d×d, symmetric PSD) of an
/// interpolating minimum w*, the object of arXiv:2401.12332 §2: H = (1/n)ΣHᵢ and the sharpness
/// λ₁(H). Matrices live on the CPU (the paper's quantities are small and dense).</summary>
public sealed class HessianFamily
{
    private Matrix? _mean;
    private double? _sharpness;
    private double[]? _sampleSharpness;
    private bool? _diagonal;

    private HessianFamily(Matrix[] hessians)
    {
        Hessians = hessians;
    }

    /// <summary>The per-sample Hessians Hᵢ.</summary>
    public IReadOnlyList<Matrix> Hessians { get; }

    /// <summary>Number of samples n.</summary>
    public int N => Hessians.Count;

    /// <summary>Parameter dimension d.</summary>
    public int D => Hessians[0].Rows;

    /// <summary>H = (1/n)ΣHᵢ, the Hessian of the mean loss.</summary>
    public Matrix Mean => _mean ??= ComputeMean();

    /// <summary>The sharpness λ₁(H).</summary>
    public double Sharpness => _sharpness ??= TopEigenvalue(Mean);

    /// <summary>λ₁(Hᵢ) for every sample.</summary>
    public IReadOnlyList<double> SampleSharpness => _sampleSharpness ??= Hessians.Select(TopEigenvalue).ToArray();

    /// <summary>maxᵢ λ₁(Hᵢ), the denominator of the coherence σ.</summary>
    public double MaxSampleSharpness => SampleSharpness.Max();

    /// <summary>True when every Hᵢ is diagonal (axis-aligned; e.g. the Figure-1 family). The
    /// second-moment map then decouples coordinate by coordinate.</summary>
    public bool IsDiagonal => _diagonal ??= Hessians.All(h =>
    {
        for (int j = 0; j < h.Cols; j++)
            for (int i = 0; i < h.Rows; i++)
                if (i != j && h[i, j] != 0) return false;
        return true;
    });

    /// <summary>Wraps given Hessians after checking that they are square, of one size, finite,
    /// symmetric and positive semidefinite (smallest eigenvalue ≥ −1e-10·max(1, ‖Hᵢ‖)).</summary>
    public static HessianFamily FromMatrices(IEnumerable<Matrix> hessians)
    {
        ArgumentNullException.ThrowIfNull(hessians);
        var hs = hessians.Select(h => h.Device.Kind == DeviceKind.Cpu && h.DType == DType.F64 ? h : h.ToCpu().AsType(DType.F64)).ToArray();
        if (hs.Length == 0) throw new ArgumentException("The family needs at least one Hessian (n ≥ 1); got none.", nameof(hessians));
        int d = hs[0].Rows;
        for (int i = 0; i < hs.Length; i++)
        {
            var h = hs[i];
            if (h.Rows != h.Cols || h.Rows != d || d == 0)
                throw new ArgumentException($"Hessian {i} is {h.Rows}×{h.Cols}; every Hessian must be d×d with the same d = {d} ≥ 1.", nameof(hessians));
            double scale = 1;
            for (int c = 0; c < d; c++)
                for (int r = 0; r < d; r++)
                {
                    double v = h[r, c];
                    if (!double.IsFinite(v)) throw new ArgumentException($"Hessian {i} has a non-finite entry {v} at ({r},{c}); Hessians must be finite.", nameof(hessians));
                    scale = Math.Max(scale, Math.Abs(v));
                }
            for (int c = 0; c < d; c++)
                for (int r = c + 1; r < d; r++)
                    if (Math.Abs(h[r, c] - h[c, r]) > 1e-10 * scale)
                        throw new ArgumentException($"Hessian {i} is not symmetric: entry ({r},{c}) = {h[r, c]} but ({c},{r}) = {h[c, r]}. Pass symmetric matrices (e.g. (A + Aᵀ)/2).", nameof(hessians));
            double min = Ops.SymmetricEigen(h).Values[0];
            if (min < -1e-10 * scale * d)
                throw new ArgumentException($"Hessian {i} is not positive semidefinite: its smallest eigenvalue is {min.ToString("G6", CultureInfo.InvariantCulture)}. The linear-stability theory of arXiv:2401.12332 needs PSD per-sample Hessians (a minimum of every ℓᵢ).", nameof(hessians));
        }
        return new HessianFamily(hs);
    }

    /// <summary>Least squares ℓᵢ(w) = ½(xᵢᵀw − yᵢ)² at an interpolating w*: Hᵢ = xᵢxᵢᵀ, where xᵢ is
    /// row i of <paramref name="x"/> (n×d). Brief §2.4.</summary>
    public static HessianFamily LeastSquares(Matrix x)
    {
        ArgumentNullException.ThrowIfNull(x);
        x = x.ToCpu().AsType(DType.F64);
        if (x.Rows == 0 || x.Cols == 0) throw new ArgumentException($"The data matrix is {x.Rows}×{x.Cols}; it needs n ≥ 1 rows and d ≥ 1 columns.", nameof(x));
        Ops.CheckFinite("HessianFamily.LeastSquares", x);
        var hs = new Matrix[x.Rows];
        for (int i = 0; i < x.Rows; i++)
        {
            int row = i;
            hs[i] = Matrix.Build(x.Cols, x.Cols, (a, b) => x[row, a] * x[row, b]);
        }
        return new HessianFamily(hs);
    }

    /// <summary>The construction behind Theorem 2 (brief §2.6): Hᵢ = m·e₁e₁ᵀ for the first σ samples
    /// and Hᵢ = 0 for the rest, m = λn/σ, so λ₁(H) = λ and the coherence is exactly σ.</summary>
    public static HessianFamily Theorem2Construction(int n, double lambda, int sigma, int d = 1)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "n must be at least 1.");
        if (!(lambda > 0) || !double.IsFinite(lambda)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "The sharpness λ must be positive and finite.");
        if (sigma < 1 || sigma > n) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, $"The coherence σ must be an integer in 1..n = 1..{n} (Theorem 2 takes σ ∈ [n]).");
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, "d must be at least 1.");
        double m = lambda * n / sigma;
        var hs = new Matrix[n];
        for (int i = 0; i < n; i++)
        {
            hs[i] = Matrix.Zeros(d, d);
            if (i < sigma) hs[i][0, 0] = m;
        }
        return new HessianFamily(hs);
    }

    /// <summary>The Figure-1 family (brief §2.7): n samples; the first σ share the axis e₁ with
    /// Hᵢ = m·e₁e₁ᵀ, every other sample i &gt; σ has its own axis e_{i−σ+1}; d = n − σ + 1,
    /// m = λn/σ, so λ₁(H) = λ (2 in the paper) and the coherence is exactly σ.</summary>
    public static HessianFamily Figure1(int n, int sigma, double lambda = 2)
    {
        var spec = new AxisAlignedFamily(n, sigma, lambda);
        var hs = new Matrix[n];
        for (int i = 0; i < n; i++)
        {
            hs[i] = Matrix.Zeros(spec.D, spec.D);
            int axis = spec.Axis(i);
            hs[i][axis, axis] = spec.M;
        }
        return new HessianFamily(hs);
    }

    internal static double TopEigenvalue(Matrix a)
    {
        var vals = Ops.SymmetricEigen(a).Values;
        return vals[vals.Rows - 1];
    }

    private Matrix ComputeMean()
    {
        var mean = Matrix.Zeros(D, D);
        foreach (var h in Hessians) Ops.Axpy(1.0 / N, h, mean);
        return mean;
    }
}
