using System.Numerics;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>Max pooling over non-overlapping s×s windows (stride s, as PyTorch's <c>nn.MaxPool2d(s)</c>,
/// floor mode: trailing rows and columns that do not fill a window are dropped), per channel, on batches
/// in the HWC layout of <see cref="ImageShape"/>. Backward routes each output gradient to the first
/// maximum of its window in row-major (dy, dx) order, recomputed from the forward input, so no index
/// buffer is kept; since windows do not overlap, each input entry receives at most one gradient and the
/// backward involves no summation (the host scatters per window, the CUDA kernel gathers per entry: the same bits).</summary>
public static class MaxPool2d
{
    /// <summary>⌊H/s⌋ × ⌊W/s⌋ with the input's channels.</summary>
    public static ImageShape OutputShape(string layer, ImageShape input, int size)
    {
        input.Validate(layer);
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, $"{layer}: the pooling window must be at least 1.");
        if (input.Height < size || input.Width < size) throw new ArgumentException($"{layer}: a {size}×{size} window does not fit a {input} image; pool less or earlier.");
        return new ImageShape(input.Channels, input.Height / size, input.Width / size);
    }

    /// <summary>Y ((⌊H/s⌋·⌊W/s⌋·C)×N): the maximum of each window and channel.</summary>
    public static Matrix Forward(string layer, Matrix x, ImageShape input, int size)
    {
        ArgumentNullException.ThrowIfNull(x);
        var o = OutputShape(layer, input, size);
        NnHost.Expect(layer, "input", x, input.Features, x.Cols, "H·W·C rows in HWC order × images");
        var y = NnHost.Output(o.Features, x.Cols, x);
        if (y.Length == 0) return y;
        if (NnHost.Cuda(x) is { } cu) { cu.NnMaxPool(false, x, x, input.Channels, input.Height, input.Width, size, y); return y; }
        NnHost.Run("max-pool forward", [x], [y], (i, r) => { if (x.DType == DType.F64) Fwd<double>(i[0], input, size, r[0]); else Fwd<float>(i[0], input, size, r[0]); });
        return y;
    }

    /// <summary>dX ((H·W·C)×N): dy of the window at the entry that was its first maximum, else 0.</summary>
    public static Matrix Backward(string layer, Matrix dy, Matrix x, ImageShape input, int size)
    {
        ArgumentNullException.ThrowIfNull(dy);
        ArgumentNullException.ThrowIfNull(x);
        var o = OutputShape(layer, input, size);
        NnHost.Expect(layer, "input", x, input.Features, x.Cols, "H·W·C rows in HWC order × images");
        NnHost.Expect(layer, "output gradient", dy, o.Features, x.Cols, "pooled H·W·C rows × images");
        var dx = NnHost.Output(input.Features, x.Cols, x);
        if (dx.Length == 0) return dx;
        if (NnHost.Cuda(x) is { } cu) { cu.NnMaxPool(true, dy, x, input.Channels, input.Height, input.Width, size, dx); return dx; }
        NnHost.Run("max-pool backward", [dy, x], [dx], (i, r) => { if (x.DType == DType.F64) Bwd<double>(i[0], i[1], input, size, r[0]); else Bwd<float>(i[0], i[1], input, size, r[0]); });
        return dx;
    }

    /// <summary>Input row of the first maximum of window (oh, ow), channel c, within one image.</summary>
    private static int ArgMax<T>(ReadOnlySpan<T> img, int c, int w, int channels, int oh, int ow, int s) where T : unmanaged, INumber<T>
    {
        int best = (oh * s * w + ow * s) * channels + c;
        for (int dy = 0; dy < s; dy++)
            for (int dx = 0; dx < s; dx++)
            {
                int at = ((oh * s + dy) * w + ow * s + dx) * channels + c;
                if (img[at] > img[best]) best = at;
            }
        return best;
    }

    private static void Fwd<T>(Matrix xm, ImageShape s, int size, Matrix ym) where T : unmanaged, INumber<T>
    {
        var xa = CpuKernels.Data<T>(xm); var ya = CpuKernels.Data<T>(ym);
        int c = s.Channels, ho = s.Height / size, wo = s.Width / size, fo = ho * wo * c;
        Parallel.For(0, xm.Cols, n =>
        {
            var img = new ReadOnlySpan<T>(xa, n * s.Features, s.Features);
            for (int oh = 0; oh < ho; oh++)
                for (int ow = 0; ow < wo; ow++)
                    for (int ci = 0; ci < c; ci++)
                        ya[(long)n * fo + (oh * wo + ow) * c + ci] = img[ArgMax(img, ci, s.Width, c, oh, ow, size)];
        });
    }

    private static void Bwd<T>(Matrix dym, Matrix xm, ImageShape s, int size, Matrix dxm) where T : unmanaged, INumber<T>
    {
        var da = CpuKernels.Data<T>(dym); var xa = CpuKernels.Data<T>(xm); var ra = CpuKernels.Data<T>(dxm);
        int c = s.Channels, ho = s.Height / size, wo = s.Width / size, fo = ho * wo * c;
        Parallel.For(0, xm.Cols, n =>
        {
            // One pass over the windows: the first maximum of each gets dy, every other entry 0 (windows do
            // not overlap, so this equals the per-entry gather of the CUDA kernel).
            var img = new ReadOnlySpan<T>(xa, n * s.Features, s.Features);
            var dst = new Span<T>(ra, n * s.Features, s.Features);
            dst.Clear();
            for (int oh = 0; oh < ho; oh++)
                for (int ow = 0; ow < wo; ow++)
                    for (int ci = 0; ci < c; ci++)
                        dst[ArgMax(img, ci, s.Width, c, oh, ow, size)] = da[(long)n * fo + (oh * wo + ow) * c + ci];
        });
    }
}
