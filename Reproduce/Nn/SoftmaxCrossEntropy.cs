using System.Numerics;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>Mean softmax cross-entropy of logits Z (V×N, one column per token) against target classes:
/// L = −(1/N) Σₙ log softmax(zₙ)[yₙ]; ∂L/∂zₙ = (softmax(zₙ) − e_{yₙ})/N. Log-sum-exp is shifted by
/// the column maximum and accumulated in float64.</summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>The loss and the probabilities (V×N) that backward reuses.</summary>
    public static (double Loss, Matrix Probs) Forward(string layer, Matrix logits, int[] targets)
    {
        if (targets.Length != logits.Cols) throw new ArgumentException($"{layer}: logits have {logits.Cols} token columns but there are {targets.Length} targets.");
        for (int n = 0; n < targets.Length; n++)
            if ((uint)targets[n] >= (uint)logits.Rows) throw new ArgumentOutOfRangeException(nameof(targets), $"{layer}: target {targets[n]} at position {n} is outside the {logits.Rows} classes.");
        var probs = NnHost.Output(logits.Rows, logits.Cols, logits);
        if (NnHost.Cuda(logits) is { } cu) return (cu.NnCrossEntropyForward(logits, targets, probs), probs);
        double loss = 0;
        NnHost.Run("cross-entropy forward", [logits], [probs], (i, o) => loss = logits.DType == DType.F64 ? Fwd<double>(i[0], targets, o[0]) : Fwd<float>(i[0], targets, o[0]));
        return (loss, probs);
    }

    /// <summary>dZ = scale·(P − onehot(y))/N.</summary>
    public static Matrix Backward(Matrix probs, int[] targets, double scale = 1)
    {
        var dz = NnHost.Output(probs.Rows, probs.Cols, probs);
        if (NnHost.Cuda(probs) is { } cu) { cu.NnCrossEntropyBackward(probs, targets, dz, scale / Math.Max(1, probs.Cols)); return dz; }
        NnHost.Run("cross-entropy backward", [probs], [dz], (i, o) => { if (probs.DType == DType.F64) Bwd<double>(i[0], targets, o[0], scale); else Bwd<float>(i[0], targets, o[0], scale); });
        return dz;
    }

    /// <summary>Per-column softmax of a host span column into <paramref name="p"/>; returns log Σ exp.</summary>
    internal static double Softmax<T>(ReadOnlySpan<T> z, Span<double> p, double invTemperature = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double max = double.NegativeInfinity;
        for (int k = 0; k < z.Length; k++) max = Math.Max(max, double.CreateTruncating(z[k]) * invTemperature);
        double s = 0;
        for (int k = 0; k < z.Length; k++) { p[k] = Math.Exp(double.CreateTruncating(z[k]) * invTemperature - max); s += p[k]; }
        for (int k = 0; k < z.Length; k++) p[k] /= s;
        return max + Math.Log(s);
    }

    private static double Fwd<T>(Matrix zm, int[] y, Matrix pm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var z = NnHost.S<T>(zm); var p = NnHost.S<T>(pm);
        int v = zm.Rows;
        var buf = new double[v];
        double loss = 0;
        for (int n = 0; n < zm.Cols; n++)
        {
            var zc = z.Slice(n * v, v);
            double lse = Softmax<T>(zc, buf);
            loss += lse - double.CreateTruncating(zc[y[n]]);
            for (int k = 0; k < v; k++) p[n * v + k] = T.CreateTruncating(buf[k]);
        }
        return zm.Cols == 0 ? 0 : loss / zm.Cols;
    }

    private static void Bwd<T>(Matrix pm, int[] y, Matrix dzm, double scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = NnHost.S<T>(pm); var dz = NnHost.S<T>(dzm);
        int v = pm.Rows, n = pm.Cols;
        double f = scale / Math.Max(1, n);
        for (int j = 0; j < n; j++)
            for (int k = 0; k < v; k++)
                dz[j * v + k] = T.CreateTruncating(f * (double.CreateTruncating(p[j * v + k]) - (k == y[j] ? 1 : 0)));
    }
}
