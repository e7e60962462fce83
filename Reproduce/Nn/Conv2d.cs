using System.Numerics;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>2-D convolution (cross-correlation, as PyTorch's <c>nn.Conv2d</c>), stride 1, zero padding
/// <c>padding</c> on every side, square k×k kernels, on batches in the HWC column layout of
/// <see cref="ImageShape"/>. Computed as im2col + one GEMM through <see cref="Ops"/>, so it runs on the
/// data's device: <see cref="Im2Col"/> gathers every k×k×Cin patch into a column of a
/// (k·k·Cin)×(Hout·Wout·N) matrix, and Y = Wᵀ·cols + b is Cout×(Hout·Wout·N), which read column-major as
/// (Hout·Wout·Cout)×N is the HWC output. The weight is a PyTorch-shaped [Cout, k·k·Cin] parameter held,
/// as every weight of the engine, as the (k·k·Cin)×Cout matrix W, patch rows ordered (ky, kx, ci) with ci
/// fastest (PyTorch orders a [Cout, Cin, k, k] kernel (ci, ky, kx); the maps are the same up to this
/// permutation of the weight's columns). Backward reuses <see cref="Linear.Backward"/> on the patches
/// (∂W += cols·dYᵀ, ∂b += dY·1, dcols = W·dY) and scatters dcols back with <see cref="Col2Im"/>.</summary>
public static class Conv2d
{
    /// <summary>Hout = H + 2·padding − k + 1 (stride 1), likewise Wout; channels <paramref name="outChannels"/>.</summary>
    public static ImageShape OutputShape(string layer, ImageShape input, int outChannels, int kernel, int padding)
    {
        input.Validate(layer);
        if (kernel < 1) throw new ArgumentOutOfRangeException(nameof(kernel), kernel, $"{layer}: the kernel size must be at least 1.");
        if (padding < 0 || padding >= kernel) throw new ArgumentOutOfRangeException(nameof(padding), padding, $"{layer}: padding must be in [0, kernel − 1] = [0, {kernel - 1}] (a larger padding only adds all-zero patches).");
        int h = input.Height + 2 * padding - kernel + 1, w = input.Width + 2 * padding - kernel + 1;
        if (h < 1 || w < 1) throw new ArgumentException($"{layer}: a {kernel}×{kernel} kernel with padding {padding} does not fit a {input} image; use a smaller kernel or more padding.");
        return new ImageShape(outChannels, h, w);
    }

    /// <summary>Y = conv(X) + b as (Hout·Wout·Cout)×N, and the im2col patches that backward needs.
    /// <paramref name="x"/> is (H·W·Cin)×N in HWC order; <paramref name="bias"/> may be null.</summary>
    public static (Matrix Y, Matrix Cols) Forward(string layer, Matrix x, ImageShape input, Parameter weight, Parameter? bias, int kernel, int padding)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weight);
        var w = weight.Value;
        NnHost.SameKind(layer, x, w);
        var outShape = OutputShape(layer, input, w.Cols, kernel, padding);
        if (w.Rows != kernel * kernel * input.Channels)
            throw new ArgumentException($"{layer}: the weight {weight.ShapeText} needs k·k·Cin = {kernel}·{kernel}·{input.Channels} = {kernel * kernel * input.Channels} columns in PyTorch order [Cout, k·k·Cin].");
        NnHost.Expect(layer, "input", x, input.Features, x.Cols, $"H·W·C = {input.Features} rows in HWC order × images");
        var cols = Im2Col(x, input, kernel, padding);
        long t0 = NnProfile.Start();
        var yg = Ops.MatMul(w, cols, transA: true); // Cout×(Hout·Wout·N)
        NnProfile.StopGemm(t0);
        if (bias is not null)
        {
            if (yg.Device.Kind == DeviceKind.Cpu) HostBias.Add(yg, bias.Value);
            else Ops.Gemm(bias.Value, false, NnHost.SharedOnes(yg.Cols, yg), true, yg, 1, 1); // y += b·1ᵀ
        }
        var y = NnHost.Reshape(yg, outShape.Features, x.Cols, take: true);
        return (y, cols);
    }

    /// <summary>Accumulates ∂W and ∂b and returns dX ((H·W·Cin)×N) for the output gradient
    /// <paramref name="dy"/> ((Hout·Wout·Cout)×N) and the patches <paramref name="cols"/> from forward.</summary>
    /// <remarks>With <paramref name="inputGradient"/> false (a first layer, whose input is data) only the
    /// parameter gradients are computed and null is returned: the GEMM W·dY and col2im are skipped.</remarks>
    public static Matrix? Backward(string layer, Matrix dy, Matrix cols, ImageShape input, Parameter weight, Parameter? bias, int kernel, int padding, bool inputGradient = true)
    {
        ArgumentNullException.ThrowIfNull(dy);
        ArgumentNullException.ThrowIfNull(cols);
        ArgumentNullException.ThrowIfNull(weight);
        var outShape = OutputShape(layer, input, weight.Value.Cols, kernel, padding);
        int n = dy.Cols;
        NnHost.Expect(layer, "output gradient", dy, outShape.Features, n, $"Hout·Wout·Cout = {outShape.Features} rows × images");
        NnHost.Expect(layer, "patches", cols, kernel * kernel * input.Channels, outShape.Pixels * n, "k·k·Cin × Hout·Wout·images, from forward");
        using var dyg = NnHost.Reshape(dy, outShape.Channels, outShape.Pixels * n, take: false);
        if (inputGradient)
        {
            using var dcols = Linear.Backward(layer, dyg, cols, weight, bias);
            return Col2Im(dcols, input, kernel, padding, n);
        }
        // The parameter gradients of Linear.Backward without its dX = W·dY.
        long t0 = NnProfile.Start();
        Ops.Gemm(cols, false, dyg, true, weight.Grad, 1, 1);
        NnProfile.StopGemm(t0);
        if (bias is not null)
        {
            if (dyg.Device.Kind == DeviceKind.Cpu) HostBias.AccumulateGradient(dyg, bias.Grad);
            else Ops.Gemm(dyg, false, NnHost.SharedOnes(dyg.Cols, dyg), false, bias.Grad, 1, 1); // ∂b += dY·1
        }
        return null;
    }

    /// <summary>The patch matrix: entry ((ky·k + kx)·Cin + ci, (oh·Wout + ow) + Hout·Wout·n) is
    /// x[((oh + ky − p)·W + (ow + kx − p))·Cin + ci, n], or 0 where that pixel lies in the padding.</summary>
    public static Matrix Im2Col(Matrix x, ImageShape input, int kernel, int padding)
    {
        ArgumentNullException.ThrowIfNull(x);
        var o = OutputShape("im2col", input, 1, kernel, padding);
        NnHost.Expect("im2col", "input", x, input.Features, x.Cols, "H·W·C rows in HWC order × images");
        var cols = NnHost.Output(kernel * kernel * input.Channels, o.Pixels * x.Cols, x);
        if (cols.Length == 0) return cols;
        if (NnHost.Cuda(x) is { } cu) { cu.NnIm2Col(x, input.Channels, input.Height, input.Width, kernel, padding, cols); return cols; }
        NnHost.Run("im2col", [x], [cols], (i, r) => { if (x.DType == DType.F64) Im2ColHost<double>(i[0], input, kernel, padding, r[0]); else Im2ColHost<float>(i[0], input, kernel, padding, r[0]); });
        return cols;
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: dX[(h·W + w)·Cin + ci, n] = Σ over the (ky, kx) whose
    /// output pixel (h + p − ky, w + p − kx) exists of dcols at that patch row and column, summed in
    /// increasing ky, then kx (the same order on every device, so CPU and GPU agree bit for bit).</summary>
    public static Matrix Col2Im(Matrix dcols, ImageShape input, int kernel, int padding, int images)
    {
        ArgumentNullException.ThrowIfNull(dcols);
        var o = OutputShape("col2im", input, 1, kernel, padding);
        NnHost.Expect("col2im", "patch gradient", dcols, kernel * kernel * input.Channels, o.Pixels * images, "k·k·Cin × Hout·Wout·images");
        var dx = NnHost.Output(input.Features, images, dcols);
        if (dx.Length == 0) return dx;
        if (NnHost.Cuda(dcols) is { } cu) { cu.NnCol2Im(dcols, input.Channels, input.Height, input.Width, kernel, padding, dx); return dx; }
        NnHost.Run("col2im", [dcols], [dx], (i, r) => { if (dcols.DType == DType.F64) Col2ImHost<double>(i[0], input, kernel, padding, r[0]); else Col2ImHost<float>(i[0], input, kernel, padding, r[0]); });
        return dx;
    }

    private static void Im2ColHost<T>(Matrix xm, ImageShape s, int k, int p, Matrix cm) where T : unmanaged, INumberBase<T>
    {
        var xa = CpuKernels.Data<T>(xm); var ca = CpuKernels.Data<T>(cm);
        int c = s.Channels, h = s.Height, w = s.Width, ho = h + 2 * p - k + 1, wo = w + 2 * p - k + 1, rows = k * k * c, n = xm.Cols;
        Parallel.For(0, n, img =>
        {
            for (int oh = 0; oh < ho; oh++)
                for (int ow = 0; ow < wo; ow++)
                {
                    long col = ((long)img * ho * wo + oh * wo + ow) * rows;
                    for (int ky = 0; ky < k; ky++)
                    {
                        int ih = oh + ky - p, iw0 = ow - p;
                        long dst0 = col + ky * k * c;
                        // A kernel row whose k pixels all lie inside the image is k·c contiguous values (HWC).
                        if (ih >= 0 && ih < h && iw0 >= 0 && iw0 + k <= w)
                        {
                            Array.Copy(xa, (long)img * s.Features + ((long)ih * w + iw0) * c, ca, dst0, k * c);
                            continue;
                        }
                        for (int kx = 0; kx < k; kx++)
                        {
                            int iw = iw0 + kx;
                            long dst = dst0 + kx * c;
                            if (ih < 0 || ih >= h || iw < 0 || iw >= w) { Array.Clear(ca, (int)dst, c); continue; }
                            Array.Copy(xa, (long)img * s.Features + ((long)ih * w + iw) * c, ca, dst, c);
                        }
                    }
                }
        });
    }

    private static void Col2ImHost<T>(Matrix cm, ImageShape s, int k, int p, Matrix xm) where T : unmanaged, INumberBase<T>
    {
        var ca = CpuKernels.Data<T>(cm); var xa = CpuKernels.Data<T>(xm);
        int c = s.Channels, h = s.Height, w = s.Width, ho = h + 2 * p - k + 1, wo = w + 2 * p - k + 1, rows = k * k * c, n = xm.Cols;
        Parallel.For(0, n, img =>
        {
            for (int ih = 0; ih < h; ih++)
                for (int iw = 0; iw < w; iw++)
                    for (int ci = 0; ci < c; ci++)
                    {
                        T acc = T.Zero;
                        for (int ky = 0; ky < k; ky++)
                        {
                            int oh = ih + p - ky;
                            if (oh < 0 || oh >= ho) continue;
                            for (int kx = 0; kx < k; kx++)
                            {
                                int ow = iw + p - kx;
                                if (ow < 0 || ow >= wo) continue;
                                acc += ca[((long)img * ho * wo + oh * wo + ow) * rows + (ky * k + kx) * c + ci];
                            }
                        }
                        xa[(long)img * s.Features + ((long)ih * w + iw) * c + ci] = acc;
                    }
        });
    }
}
