using System.Numerics;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>Rotary position embedding (Su et al. 2021, RoFormer) in the rotate-half arrangement of
/// GPT-NeoX and Llama as Hugging Face writes it: in each head of dimension D the query and key entries
/// (i, i + D/2), i &lt; D/2, of position t are rotated by the angle t·θ^(−2i/D), θ = 10000; values are
/// left as they are. A rotation preserves norms, and q_t·k_u then depends on t − u only (the
/// property the tests check). Operates on the packed QKV (3C×N, N = B·T, position t = n mod T) between
/// the c_attn projection and <see cref="CausalSelfAttention"/>. Backward applies the transposed
/// rotation (the angle negated), since the map is linear and orthogonal.</summary>
public static class Rotary
{
    /// <summary>The base θ of the angles (RoFormer, Llama).</summary>
    public const double DefaultBase = 10000;

    /// <summary>QKV with queries and keys rotated (a new 3C×N matrix).</summary>
    public static Matrix Forward(string layer, Matrix qkv, int seqLen, int heads, double theta = DefaultBase) => Rotate(layer, qkv, seqLen, heads, +1, theta);

    /// <summary>dQKV from the gradient with respect to the rotated QKV.</summary>
    public static Matrix Backward(string layer, Matrix dRotated, int seqLen, int heads, double theta = DefaultBase) => Rotate(layer, dRotated, seqLen, heads, -1, theta);

    private static Matrix Rotate(string layer, Matrix x, int seqLen, int heads, double sign, double theta)
    {
        if (x.Rows % 3 != 0) throw new ArgumentException($"{layer}: packed QKV has {x.Rows} rows, not a multiple of 3 (needs 3C×N).");
        int c = x.Rows / 3;
        if (heads <= 0 || c % heads != 0 || c / heads % 2 != 0)
            throw new ArgumentException($"{layer}: rotary positions need an even head dimension; model dim {c} over {heads} heads gives {(heads > 0 ? c / (double)heads : double.NaN)}.");
        if (seqLen <= 0 || x.Cols % seqLen != 0) throw new ArgumentException($"{layer}: {x.Cols} token columns are not a whole number of sequences of {seqLen}.");
        var y = NnHost.Output(x.Rows, x.Cols, x);
        if (NnHost.CudaNew(x) is { } cu) { cu.NnRotary(x, y, seqLen, heads, sign, theta); return y; }
        NnHost.Run("rotary", [x], [y], (i, o) =>
        {
            if (x.DType == DType.F64) Kernel<double>(i[0], o[0], seqLen, heads, sign, theta); else Kernel<float>(i[0], o[0], seqLen, heads, sign, theta);
        });
        return y;
    }

    private static void Kernel<T>(Matrix xm, Matrix ym, int seqLen, int heads, double sign, double theta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = NnHost.S<T>(xm); var y = NnHost.S<T>(ym);
        x.CopyTo(y); // values (rows [2C, 3C)) pass through
        int rows = xm.Rows, c = rows / 3, d = c / heads, half = d / 2;
        for (int n = 0; n < xm.Cols; n++)
        {
            double t = n % seqLen;
            for (int part = 0; part < 2; part++)
                for (int h = 0; h < heads; h++)
                {
                    int b = n * rows + part * c + h * d;
                    for (int i = 0; i < half; i++)
                    {
                        double a = sign * t * Math.Pow(theta, -2.0 * i / d), cs = Math.Cos(a), sn = Math.Sin(a);
                        double x1 = double.CreateTruncating(x[b + i]), x2 = double.CreateTruncating(x[b + i + half]);
                        y[b + i] = T.CreateTruncating(x1 * cs - x2 * sn);
                        y[b + i + half] = T.CreateTruncating(x2 * cs + x1 * sn);
                    }
                }
        }
    }
}
