using System.Numerics;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>RMS normalization over the features of each column: y = x·r·γ with r = 1/√(mean(x²) + ε)
/// (Zhang and Sennrich 2019; the Llama convention, no bias). Statistics accumulate in float64.</summary>
public static class RmsNorm
{
    /// <summary>Default ε (Llama uses 1e-5 or 1e-6).</summary>
    public const double DefaultEps = 1e-5;

    /// <summary>Y (C×N) and the per-column r (N×1).</summary>
    public static (Matrix Y, Matrix Rstd) Forward(string layer, Matrix x, Parameter gamma, double eps = DefaultEps)
    {
        int c = gamma.Value.Rows;
        NnHost.SameKind(layer, x, gamma.Value);
        if (x.Rows != c) throw new ArgumentException($"{layer}: input is {x.Rows}×{x.Cols} but the layer normalizes {c} features (needs {c}×N).");
        var y = NnHost.Output(x.Rows, x.Cols, x);
        var rstd = NnHost.Output(x.Cols, 1, x);
        if (NnHost.Cuda(x) is { } cu)
        {
            cu.NnNormForward(true, x, gamma.Value, null, y, null, rstd, eps);
            return (y, rstd);
        }
        NnHost.Run("norm forward", [x, gamma.Value], [y, rstd], (i, o) =>
        {
            if (x.DType == DType.F64) Fwd<double>(i[0], i[1], o[0], o[1], eps); else Fwd<float>(i[0], i[1], o[0], o[1], eps);
        });
        return (y, rstd);
    }

    /// <summary>Accumulates ∂γ; returns dX.</summary>
    public static Matrix Backward(string layer, Matrix dy, Matrix x, Matrix rstd, Parameter gamma)
    {
        NnHost.Expect(layer, "output gradient", dy, x.Rows, x.Cols, "features × tokens");
        var dx = NnHost.Output(x.Rows, x.Cols, x);
        if (NnHost.Cuda(x) is { } cu)
        {
            cu.NnNormBackward(true, dy, x, null, rstd, gamma.Value, dx, gamma.Grad, null);
            return dx;
        }
        NnHost.Run("norm backward", [dy, x, rstd, gamma.Value], [dx, gamma.Grad], (i, o) =>
        {
            if (x.DType == DType.F64) Bwd<double>(i[0], i[1], i[2], i[3], o[0], o[1]); else Bwd<float>(i[0], i[1], i[2], i[3], o[0], o[1]);
        });
        return dx;
    }

    private static void Fwd<T>(Matrix xm, Matrix gm, Matrix ym, Matrix rm, double eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = NnHost.S<T>(xm); var g = NnHost.S<T>(gm); var y = NnHost.S<T>(ym); var rs = NnHost.S<T>(rm);
        int c = xm.Rows;
        for (int n = 0; n < xm.Cols; n++)
        {
            double ss = 0;
            for (int k = 0; k < c; k++) { double v = double.CreateTruncating(x[n * c + k]); ss += v * v; }
            double r = 1 / Math.Sqrt(ss / c + eps);
            for (int k = 0; k < c; k++) y[n * c + k] = T.CreateTruncating(double.CreateTruncating(x[n * c + k]) * r * double.CreateTruncating(g[k]));
            rs[n] = T.CreateTruncating(r);
        }
    }

    private static void Bwd<T>(Matrix dym, Matrix xm, Matrix rm, Matrix gm, Matrix dxm, Matrix dgm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dy = NnHost.S<T>(dym); var x = NnHost.S<T>(xm); var rs = NnHost.S<T>(rm); var g = NnHost.S<T>(gm);
        var dx = NnHost.S<T>(dxm); var dg = NnHost.S<T>(dgm);
        int c = xm.Rows;
        var dgAcc = new double[c];
        for (int n = 0; n < xm.Cols; n++)
        {
            double r = double.CreateTruncating(rs[n]), sumGx = 0;
            for (int k = 0; k < c; k++)
            {
                double xhat = double.CreateTruncating(x[n * c + k]) * r, d = double.CreateTruncating(dy[n * c + k]);
                sumGx += d * double.CreateTruncating(g[k]) * xhat;
                dgAcc[k] += d * xhat;
            }
            sumGx /= c;
            for (int k = 0; k < c; k++)
            {
                double xhat = double.CreateTruncating(x[n * c + k]) * r;
                dx[n * c + k] = T.CreateTruncating(r * (double.CreateTruncating(dy[n * c + k]) * double.CreateTruncating(g[k]) - xhat * sumGx));
            }
        }
        for (int k = 0; k < c; k++) dg[k] += T.CreateTruncating(dgAcc[k]);
    }
}
