using System.Numerics;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>Layer normalization over the features of each column (token): y = (x − μ)·r·γ + β with
/// μ the mean and r = 1/√(σ² + ε) (biased variance, as PyTorch). Statistics accumulate in float64.</summary>
public static class LayerNorm
{
    /// <summary>What backward needs: per-column mean and reciprocal standard deviation (N×1 each).</summary>
    public sealed record Cache(Matrix Mean, Matrix Rstd);

    /// <summary>PyTorch's default ε.</summary>
    public const double DefaultEps = 1e-5;

    /// <summary>Y (C×N) and the cache.</summary>
    public static (Matrix Y, Cache Cache) Forward(string layer, Matrix x, Parameter gamma, Parameter beta, double eps = DefaultEps)
    {
        int c = gamma.Value.Rows;
        NnHost.SameKind(layer, x, gamma.Value);
        if (x.Rows != c) throw new ArgumentException($"{layer}: input is {x.Rows}×{x.Cols} but the layer normalizes {c} features (needs {c}×N).");
        var y = NnHost.Output(x.Rows, x.Cols, x);
        var mean = NnHost.Output(x.Cols, 1, x);
        var rstd = NnHost.Output(x.Cols, 1, x);
        if (NnHost.Cuda(x) is { } cu)
        {
            cu.NnNormForward(false, x, gamma.Value, beta.Value, y, mean, rstd, eps);
            return (y, new Cache(mean, rstd));
        }
        NnHost.Run("norm forward", [x, gamma.Value, beta.Value], [y, mean, rstd], (i, o) =>
        {
            if (x.DType == DType.F64) Fwd<double>(i[0], i[1], i[2], o[0], o[1], o[2], eps); else Fwd<float>(i[0], i[1], i[2], o[0], o[1], o[2], eps);
        });
        return (y, new Cache(mean, rstd));
    }

    /// <summary>Accumulates ∂γ, ∂β; returns dX.</summary>
    public static Matrix Backward(string layer, Matrix dy, Matrix x, Cache cache, Parameter gamma, Parameter beta)
    {
        NnHost.Expect(layer, "output gradient", dy, x.Rows, x.Cols, "features × tokens");
        var dx = NnHost.Output(x.Rows, x.Cols, x);
        if (NnHost.Cuda(x) is { } cu)
        {
            cu.NnNormBackward(false, dy, x, cache.Mean, cache.Rstd, gamma.Value, dx, gamma.Grad, beta.Grad);
            return dx;
        }
        NnHost.Run("norm backward", [dy, x, cache.Mean, cache.Rstd, gamma.Value], [dx, gamma.Grad, beta.Grad], (i, o) =>
        {
            if (x.DType == DType.F64) Bwd<double>(i[0], i[1], i[2], i[3], i[4], o[0], o[1], o[2]); else Bwd<float>(i[0], i[1], i[2], i[3], i[4], o[0], o[1], o[2]);
        });
        return dx;
    }

    private static void Fwd<T>(Matrix xm, Matrix gm, Matrix bm, Matrix ym, Matrix meanm, Matrix rstdm, double eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] xa = CpuKernels.Data<T>(xm), ga = CpuKernels.Data<T>(gm), ba = CpuKernels.Data<T>(bm), ya = CpuKernels.Data<T>(ym), ma = CpuKernels.Data<T>(meanm), ra = CpuKernels.Data<T>(rstdm);
        int c = xm.Rows, cols = xm.Cols;
        // Columns are independent: fixed chunks of columns in parallel.
        Parallel.For(0, (cols + ColumnChunk - 1) / ColumnChunk, ci =>
        {
            for (int n = ci * ColumnChunk; n < Math.Min(cols, (ci + 1) * ColumnChunk); n++) FwdColumn<T>(xa, ga, ba, ya, ma, ra, c, n, eps);
        });
    }

    /// <summary>Columns per task of the host kernels. The backward's ∂γ, ∂β partial sums are per chunk
    /// and added in chunk order, so results do not depend on the thread count.</summary>
    private const int ColumnChunk = 128;

    private static void FwdColumn<T>(T[] xa, T[] ga, T[] ba, T[] ya, T[] ma, T[] ra, int c, int n, double eps) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var g = new ReadOnlySpan<T>(ga); var b = new ReadOnlySpan<T>(ba);
        {
            var xc = new ReadOnlySpan<T>(xa, n * c, c); var yc = new Span<T>(ya, n * c, c);
            double s = 0; for (int k = 0; k < c; k++) s += double.CreateTruncating(xc[k]);
            double mu = s / c, v = 0;
            for (int k = 0; k < c; k++) { double d = double.CreateTruncating(xc[k]) - mu; v += d * d; }
            double r = 1 / Math.Sqrt(v / c + eps);
            for (int k = 0; k < c; k++)
                yc[k] = T.CreateTruncating((double.CreateTruncating(xc[k]) - mu) * r * double.CreateTruncating(g[k]) + double.CreateTruncating(b[k]));
            ma[n] = T.CreateTruncating(mu); ra[n] = T.CreateTruncating(r);
        }
    }

    private static void Bwd<T>(Matrix dym, Matrix xm, Matrix meanm, Matrix rstdm, Matrix gm, Matrix dxm, Matrix dgm, Matrix dbm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] dya = CpuKernels.Data<T>(dym), xa = CpuKernels.Data<T>(xm), ma = CpuKernels.Data<T>(meanm), ra = CpuKernels.Data<T>(rstdm), ga = CpuKernels.Data<T>(gm), dxa = CpuKernels.Data<T>(dxm);
        var dg = NnHost.S<T>(dgm); var db = NnHost.S<T>(dbm);
        int c = xm.Rows, cols = xm.Cols, chunks = (cols + ColumnChunk - 1) / ColumnChunk;
        var dgPart = new double[chunks * c]; var dbPart = new double[chunks * c];
        Parallel.For(0, chunks, ci =>
        {
            var dgAcc = new Span<double>(dgPart, ci * c, c); var dbAcc = new Span<double>(dbPart, ci * c, c);
            for (int n = ci * ColumnChunk; n < Math.Min(cols, (ci + 1) * ColumnChunk); n++) BwdColumn<T>(dya, xa, ma, ra, ga, dxa, dgAcc, dbAcc, c, n);
        });
        for (int ci = 0; ci < chunks; ci++)
            for (int k = 0; k < c; k++) { dg[k] += T.CreateTruncating(dgPart[ci * c + k]); db[k] += T.CreateTruncating(dbPart[ci * c + k]); }
    }

    private static void BwdColumn<T>(T[] dya, T[] xa, T[] ma, T[] ra, T[] ga, T[] dxa, Span<double> dgAcc, Span<double> dbAcc, int c, int n) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ReadOnlySpan<T> dy = dya, x = xa, mean = ma, rstd = ra, g = ga; Span<T> dx = dxa;
        {
            double mu = double.CreateTruncating(mean[n]), r = double.CreateTruncating(rstd[n]);
            double sumG = 0, sumGx = 0;
            for (int k = 0; k < c; k++)
            {
                double xhat = (double.CreateTruncating(x[n * c + k]) - mu) * r, d = double.CreateTruncating(dy[n * c + k]);
                double gk = d * double.CreateTruncating(g[k]);
                sumG += gk; sumGx += gk * xhat;
                dgAcc[k] += d * xhat; dbAcc[k] += d;
            }
            sumG /= c; sumGx /= c;
            for (int k = 0; k < c; k++)
            {
                double xhat = (double.CreateTruncating(x[n * c + k]) - mu) * r;
                double gk = double.CreateTruncating(dy[n * c + k]) * double.CreateTruncating(g[k]);
                dx[n * c + k] = T.CreateTruncating(r * (gk - sumG - xhat * sumGx));
            }
        }
    }
}
