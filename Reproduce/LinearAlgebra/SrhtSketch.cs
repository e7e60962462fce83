using Reproduce.Compute;

namespace Reproduce.LinearAlgebra;

/// <summary>The subsampled randomized Hadamard transform (Ailon–Chazelle 2009; Tropp 2011):
/// S = √(n'/k)·R·H·D where A is zero-padded to n' = next power of two ≥ n rows, D is a random
/// ±1 diagonal, H = H_{n'}/√n' the orthonormal Walsh–Hadamard matrix and R picks k of the n' rows
/// uniformly without replacement. Then E[SᵀS] = I, and with k = n' S is an isometry (SᵀS = I).
/// S·A costs O(cols·n'·log n') through the fast transform. On a non-CPU device A is copied to
/// the host, sketched there and the k×cols result copied back.</summary>
public sealed class SrhtSketch : ISketch
{
    private readonly double[] _signs;   // D, length n'
    private readonly int[] _rows;       // R, k distinct rows of 0..n'-1

    /// <summary>Draws D and R from <paramref name="rng"/>; needs k ≤ n' (the padded dimension).</summary>
    public SrhtSketch(int k, int n, Rng rng)
    {
        SketchExtensions.CheckShape(k, n, nameof(SrhtSketch));
        ArgumentNullException.ThrowIfNull(rng);
        int np = WalshHadamard.NextPowerOfTwo(n);
        if (k > np) throw new ArgumentOutOfRangeException(nameof(k), k, $"SrhtSketch: k must be at most the padded dimension n' = {np} (n = {n}).");
        _signs = new double[np];
        for (int i = 0; i < np; i++) _signs[i] = rng.Rademacher();
        _rows = rng.SampleWithoutReplacement(np, k);
        Array.Sort(_rows);
        SketchSize = k; InputDim = n; PaddedDim = np;
    }

    /// <inheritdoc />
    public int SketchSize { get; }
    /// <inheritdoc />
    public int InputDim { get; }
    /// <summary>n', the power of two the input is zero-padded to.</summary>
    public int PaddedDim { get; }

    /// <inheritdoc />
    public Matrix Apply(Matrix a)
    {
        SketchExtensions.CheckInput(this, a, nameof(SrhtSketch));
        if (a.Device.Kind != DeviceKind.Cpu)
        {
            using var host = a.ToCpu();
            using var yh = Apply(host);
            return yh.To(a.Device);
        }
        int k = SketchSize, n = InputDim, np = PaddedDim, cols = a.Cols;
        var y = Matrix.Zeros(k, cols, a.DType);
        // Unnormalized H has H² = n'·I, so √(n'/k)·(1/√n') = 1/√k.
        double scale = 1 / Math.Sqrt(k);
        void Column(int c)
        {
            var buf = new double[np];
            if (a.DType == DType.F64) a.F64.AsSpan(c * n, n).CopyTo(buf);
            else { var src = a.F32.AsSpan(c * n, n); for (int i = 0; i < n; i++) buf[i] = src[i]; }
            for (int i = 0; i < n; i++) buf[i] *= _signs[i];
            WalshHadamard.Transform(buf);
            if (a.DType == DType.F64) { var d = y.F64.AsSpan(c * k, k); for (int i = 0; i < k; i++) d[i] = scale * buf[_rows[i]]; }
            else { var d = y.F32.AsSpan(c * k, k); for (int i = 0; i < k; i++) d[i] = (float)(scale * buf[_rows[i]]); }
        }
        // Columns are independent: the result does not depend on scheduling.
        if (cols >= 4 && (long)np * cols >= 1 << 16) Parallel.For(0, cols, Column);
        else for (int c = 0; c < cols; c++) Column(c);
        return y;
    }
}
