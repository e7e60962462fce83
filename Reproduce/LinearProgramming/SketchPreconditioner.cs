using Reproduce.Compute;

namespace Reproduce.LinearProgramming;

/// <summary>The sketch preconditioner of Chowdhury et al. (2022, §3.1): from the thin SVD
/// A D W = U Σ Vᵀ (m×w, w ≥ m), Q = A D W Wᵀ D Aᵀ = U Σ² Uᵀ, Q^{−1/2} = U Σ⁻¹ Uᵀ and
/// (A D W)^† = V Σ⁻¹ Uᵀ, the latter used by the correction vector v (eqn 27).</summary>
public sealed class SketchPreconditioner : IDisposable
{
    private readonly Matrix _u, _v;
    private readonly double[] _sigma;

    /// <summary>Factors the sketched matrix A D W (m×w).</summary>
    public SketchPreconditioner(Matrix adw)
    {
        ArgumentNullException.ThrowIfNull(adw);
        if (adw.Cols < adw.Rows) throw new ArgumentException($"SketchPreconditioner: A D W is {adw.Rows}×{adw.Cols}; the sketch size w = {adw.Cols} must be at least m = {adw.Rows} for Q to be invertible (the paper uses w = O(m log m)).", nameof(adw));
        var (u, s, v) = Ops.Svd(adw);   // on adw's device: the accelerator when A D W was formed there
        _u = u; _v = v;
        _sigma = s.ToArray();
        s.Dispose();
        double floor = (_sigma.Length > 0 ? _sigma[0] : 1) * 1e-14;
        for (int i = 0; i < _sigma.Length; i++) if (!(_sigma[i] > floor)) _sigma[i] = floor;
        Rows = adw.Rows;
    }

    /// <summary>m.</summary>
    public int Rows { get; }
    /// <summary>Singular values of A D W (descending); their squares are the eigenvalues of Q.</summary>
    public IReadOnlyList<double> SingularValues => _sigma;

    /// <summary>Q^{−1/2} r = U Σ⁻¹ Uᵀ r.</summary>
    public double[] ApplyInverseSqrt(double[] r) => Apply(r, 1);

    /// <summary>Q^{−1} r = U Σ⁻² Uᵀ r.</summary>
    public double[] ApplyInverse(double[] r) => Apply(r, 2);

    /// <summary>Q^{1/2} r = U Σ Uᵀ r.</summary>
    public double[] ApplySqrt(double[] r) => Apply(r, -1);

    /// <summary>(A D W)^† f = V Σ⁻¹ Uᵀ f (length w).</summary>
    public double[] PseudoInverse(double[] f)
    {
        var t = MatVec(_u, f, true);
        for (int i = 0; i < t.Length; i++) t[i] /= _sigma[i];
        return MatVec(_v, t, false);
    }

    /// <summary>Frees the factors' device memory (no-op on the CPU).</summary>
    public void Dispose() { _u.Dispose(); _v.Dispose(); }

    private static double[] MatVec(Matrix a, double[] x, bool trans)
    {
        using var v = Matrix.Vector(x).To(a.Device);
        using var r = Ops.MatVec(a, v, trans);
        return r.ToArray();
    }

    /// <summary>Q^{−1/2} as a dense m×m matrix (diagnostics).</summary>
    public Matrix InverseSqrtMatrix()
    {
        var inv = new double[_sigma.Length];
        for (int i = 0; i < inv.Length; i++) inv[i] = 1 / _sigma[i];
        using var iv = Matrix.Vector(inv).To(_u.Device);
        using var us = Ops.ScaleColumns(_u, iv);
        return Ops.MatMul(us, _u, transB: true);
    }

    private double[] Apply(double[] r, int power)
    {
        if (r.Length != Rows) throw new ArgumentException($"SketchPreconditioner: vector has length {r.Length}, expected m = {Rows}.", nameof(r));
        var t = MatVec(_u, r, true);
        for (int i = 0; i < t.Length; i++) t[i] *= Math.Pow(_sigma[i], -power);
        return MatVec(_u, t, false);
    }
}
