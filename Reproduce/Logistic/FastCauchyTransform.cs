using Reproduce.Compute;
using Reproduce.LinearAlgebra;

namespace Reproduce.Logistic;

/// <summary>The Fast Cauchy Transform Π = 4·B·C·H̃ (Clarkson, Drineas, Magdon-Ismail, Mahoney, Meng, Woodruff, SODA 2013,
/// §3): H̃ is block-diagonal with normalised s×s Walsh–Hadamard blocks (rows zero-padded to a multiple of s), C a
/// diagonal of i.i.d. standard Cauchy variables, and B ∈ {0,1}^{r×n} sends each coordinate to one random row.
/// It maps ℝⁿ → ℝʳ with O(n log s) work per column and has ℓ1 distortion poly(d) (Munteanu et al.'s FastL1Basis uses it).
/// Choices where the paper is silent: s = the power of two ≥ 2d, r = the caller's sketch size.</summary>
public sealed class FastCauchyTransform
{
    private readonly int[] _bucket;
    private readonly double[] _cauchy;

    /// <summary>Draws Π for inputs of length n with r output rows and block size s (a power of two).</summary>
    public FastCauchyTransform(int n, int r, int blockSize, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (n < 1 || r < 1) throw new ArgumentException($"FastCauchyTransform: n = {n}, r = {r}; both must be positive.", nameof(n));
        if (blockSize < 1 || (blockSize & (blockSize - 1)) != 0) throw new ArgumentException($"FastCauchyTransform: block size {blockSize} must be a power of two.", nameof(blockSize));
        N = n; R = r; BlockSize = blockSize;
        Padded = (n + blockSize - 1) / blockSize * blockSize;
        _bucket = new int[Padded]; _cauchy = new double[Padded];
        var rb = rng.Fork("B"); var rc = rng.Fork("C");
        for (int i = 0; i < Padded; i++) { _bucket[i] = rb.NextInt(r); _cauchy[i] = Math.Tan(Math.PI * (rc.Uniform() - 0.5)); }
    }

    /// <summary>Input length n.</summary>
    public int N { get; }
    /// <summary>Output rows r.</summary>
    public int R { get; }
    /// <summary>Hadamard block size s.</summary>
    public int BlockSize { get; }
    /// <summary>n rounded up to a multiple of s.</summary>
    public int Padded { get; }

    /// <summary>Π·A (r×A.Cols).</summary>
    public Matrix Apply(Matrix a)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.Rows != N) throw new ArgumentException($"FastCauchyTransform.Apply: A has {a.Rows} rows but Π expects {N}.", nameof(a));
        var ac = a.Device.Kind == DeviceKind.Cpu ? a : a.ToCpu();
        var outm = Matrix.Zeros(R, a.Cols);
        var buf = new double[Padded];
        double norm = 1 / Math.Sqrt(BlockSize);
        for (int j = 0; j < a.Cols; j++)
        {
            Array.Clear(buf);
            ac.Column(j).CopyTo(buf);
            for (int b0 = 0; b0 < Padded; b0 += BlockSize) WalshHadamard.Transform(buf.AsSpan(b0, BlockSize));
            var col = outm.Column(j);
            for (int i = 0; i < Padded; i++) col[_bucket[i]] += 4 * norm * _cauchy[i] * buf[i];
        }
        return a.Device.Kind == DeviceKind.Cpu ? outm : outm.To(a.Device);
    }
}
