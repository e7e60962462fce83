using Reproduce.Compute;

namespace Reproduce.LinearProgramming;

/// <summary>The sketching matrix W ∈ R^{n×w} of Chowdhury et al. (2022, §3.1): Gaussian (entries N(0, 1/w)),
/// CountSketch (one ±1 per row) or sparse sign (s entries ±1/√s per row). Computes A D W and W u.
/// Kept beside the shared <see cref="Reproduce.LinearAlgebra.ISketch"/> sketches on purpose: the paper's correction vector
/// v = (XS)^{1/2} W (A D W)^† f needs W·u (the adjoint of the sketching map, which ISketch does not expose), W must be drawn
/// from the IPM's own seeded stream and redrawn each outer iteration, and A D W is applied to a dense or CSR A
/// scaled by D without materialising A D.
/// A Gaussian W is drawn by <see cref="Ops.RandomNormal"/> (counter-based, one key from the stream) directly on the device
/// that multiplies it, so a GPU run never draws or uploads the n×w matrix from the host, and draws the same W as the CPU.</summary>
public sealed class SketchMatrix : IDisposable
{
    private readonly Matrix? _gaussian;   // n×w standard normals, unscaled: the 1/√w is applied to the small products
    private readonly double _scale = 1;   // 1/√w for Gaussian
    private readonly int[]? _cols;        // n·s column indices for the sparse kinds
    private readonly double[]? _vals;     // n·s values
    private readonly int _s;

    /// <summary>Draws W; a Gaussian W is drawn on <paramref name="device"/> (default CPU) and stays there.</summary>
    public SketchMatrix(SketchKind kind, int n, int w, Rng rng, int nonzerosPerRow = 4, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (n < 1) throw new ArgumentException($"SketchMatrix: n is {n}; it must be at least 1.", nameof(n));
        if (w < 1) throw new ArgumentException($"SketchMatrix: sketch size w is {w}; it must be at least 1 (and at least m for a useful preconditioner).", nameof(w));
        Kind = kind; N = n; W = w;
        switch (kind)
        {
            case SketchKind.Gaussian:
                if ((long)n * w > int.MaxValue) throw new ArgumentException($"SketchMatrix: a dense Gaussian W of {n}×{w} is too large; use CountSketch or SparseSign.", nameof(w));
                _gaussian = Ops.RandomNormal(n, w, rng, device ?? Device.Cpu);
                _scale = 1 / Math.Sqrt(w);
                break;
            case SketchKind.CountSketch:
            case SketchKind.SparseSign:
                {
                    _s = kind == SketchKind.CountSketch ? 1 : Math.Min(nonzerosPerRow, w);
                    if (nonzerosPerRow < 1) throw new ArgumentException($"SketchMatrix: nonzerosPerRow is {nonzerosPerRow}; it must be at least 1.", nameof(nonzerosPerRow));
                    _cols = new int[n * _s]; _vals = new double[n * _s];
                    double v = 1 / Math.Sqrt(_s);
                    for (int j = 0; j < n; j++)
                    {
                        var pick = _s == 1 ? [rng.NextInt(w)] : rng.SampleWithoutReplacement(w, _s);
                        for (int t = 0; t < _s; t++) { _cols[j * _s + t] = pick[t]; _vals[j * _s + t] = rng.Rademacher() * v; }
                    }
                    break;
                }
            default: throw new ArgumentException($"SketchMatrix: unknown sketch kind {kind}.", nameof(kind));
        }
    }

    /// <summary>Distribution.</summary>
    public SketchKind Kind { get; }
    /// <summary>n (rows of W).</summary>
    public int N { get; }
    /// <summary>w (columns of W).</summary>
    public int W { get; }

    /// <summary>A·diag(d)·W (m×w) on <paramref name="device"/> (default CPU). A Gaussian W is multiplied where it was drawn
    /// (one <see cref="Ops.MatMul"/> with a dense A, one <see cref="Ops.SpMM"/> with a CSR A) and the m×w result moved to
    /// <paramref name="device"/> if that differs; the sparse sketches are applied by a CPU scatter loop (O(nnz(A)·s), not the
    /// heavy part) and the m×w result is uploaded.</summary>
    public Matrix SketchScaled(ConstraintMatrix a, double[] d, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(a); ArgumentNullException.ThrowIfNull(d);
        if (a.Cols != N || d.Length != N) throw new ArgumentException($"SketchMatrix.SketchScaled: A has {a.Cols} columns and d {d.Length} entries but W has {N} rows.", nameof(a));
        device ??= Device.Cpu;
        if (_gaussian is not null)
        {
            var at = _gaussian.Device;
            using var dv = Matrix.Vector(d).To(at);
            Matrix adw;
            if (a.Dense is not null)
            {
                var ak = at.Kind == DeviceKind.Cpu ? a.Dense : a.DenseOn(at)!;
                using var ad = Ops.ScaleColumns(ak, dv);
                adw = Ops.MatMul(ad, _gaussian);
            }
            else
            {
                using var dw = Ops.ScaleRows(dv, _gaussian);
                adw = Ops.SpMM(a.Sparse!, dw);
            }
            using (adw)
            {
                var scaled = Ops.Scale(adw, _scale);
                if (ReferenceEquals(scaled.Device, device) || (scaled.Device.Kind == DeviceKind.Cpu && device.Kind == DeviceKind.Cpu)) return scaled;
                using (scaled) return scaled.To(device);
            }
        }
        if (device.Kind != DeviceKind.Cpu)
        {
            using var host = SketchScaled(a, d);
            return host.To(device);
        }
        int m = a.Rows;
        var r = new double[m * W];
        if (a.Dense is not null)
        {
            var span = a.Dense.Span;
            for (int j = 0; j < N; j++)
            {
                var col = span.Slice(j * m, m);
                for (int t = 0; t < _s; t++)
                {
                    double f = _vals![j * _s + t] * d[j]; int off = _cols![j * _s + t] * m;
                    for (int i = 0; i < m; i++) r[off + i] += f * col[i];
                }
            }
        }
        else
        {
            var sp = a.Sparse!;
            for (int i = 0; i < m; i++)
                for (int k = sp.RowPtr[i]; k < sp.RowPtr[i + 1]; k++)
                {
                    int j = sp.ColIdx[k]; double av = sp.Values[k] * d[j];
                    for (int t = 0; t < _s; t++) r[_cols![j * _s + t] * m + i] += _vals![j * _s + t] * av;
                }
        }
        return Matrix.FromColumnMajor(m, W, r);
    }

    /// <summary>W·u (length n) for u of length w.</summary>
    public double[] Multiply(double[] u)
    {
        if (u.Length != W) throw new ArgumentException($"SketchMatrix.Multiply: u has length {u.Length}, expected w = {W}.", nameof(u));
        if (_gaussian is not null)
        {
            using var uv = Matrix.Vector(u).To(_gaussian.Device);
            using var wu = Ops.MatVec(_gaussian, uv);
            var r0 = wu.ToArray();
            for (int j = 0; j < r0.Length; j++) r0[j] *= _scale;
            return r0;
        }
        var r = new double[N];
        for (int j = 0; j < N; j++)
        {
            double acc = 0;
            for (int t = 0; t < _s; t++) acc += _vals![j * _s + t] * u[_cols![j * _s + t]];
            r[j] = acc;
        }
        return r;
    }

    /// <summary>W as a dense n×w CPU matrix (tests).</summary>
    public Matrix ToDense()
    {
        if (_gaussian is not null) { using var host = _gaussian.ToCpu(); return Ops.Scale(host, _scale); }
        var r = Matrix.Zeros(N, W);
        for (int j = 0; j < N; j++) for (int t = 0; t < _s; t++) r[j, _cols![j * _s + t]] += _vals![j * _s + t];
        return r;
    }

    /// <summary>Frees a Gaussian W's device memory (no-op on the CPU).</summary>
    public void Dispose() => _gaussian?.Dispose();
}
