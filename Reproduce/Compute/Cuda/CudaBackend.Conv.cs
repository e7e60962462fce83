namespace Reproduce.Compute.Cuda;

/// <summary>Device versions of the convolutional layers' im2col, col2im and max pooling
/// (<see cref="ConvKernelSource"/>); the GEMMs of Reproduce.Nn.Conv2d go through cuBLAS as every GEMM.
/// Callers (Reproduce/Nn/Conv2d.cs, MaxPool2d.cs) check shapes; these methods assume them.</summary>
public sealed unsafe partial class CudaBackend
{
    private void LaunchConv(string kernel, long entries, void** args)
    {
        var f = _ctx.Function(kernel, ConvKernelSource.Source, "reproduce_conv_kernels.cu");
        _ctx.MakeCurrent();
        CuDriver.Launch(f, Blocks(entries), CudaKernelSource.Threads, args);
    }

    /// <summary>cols ← im2col(x) for C×H×W images (HWC columns), k×k kernel, padding p, stride 1.</summary>
    internal void NnIm2Col(Matrix x, int c, int h, int w, int k, int p, Matrix cols)
    {
        int n = x.Cols;
        ulong px = P(x), pc = P(cols);
        void** args = stackalloc void*[8];
        args[0] = &c; args[1] = &h; args[2] = &w; args[3] = &k; args[4] = &p; args[5] = &n; args[6] = &px; args[7] = &pc;
        LaunchConv("conv_im2col_" + Suffix(x), cols.Length, args);
    }

    /// <summary>dx ← col2im(dcols), the adjoint of <see cref="NnIm2Col"/>, for <paramref name="dx"/>.Cols images.</summary>
    internal void NnCol2Im(Matrix dcols, int c, int h, int w, int k, int p, Matrix dx)
    {
        int n = dx.Cols;
        ulong pc = P(dcols), pd = P(dx);
        void** args = stackalloc void*[8];
        args[0] = &c; args[1] = &h; args[2] = &w; args[3] = &k; args[4] = &p; args[5] = &n; args[6] = &pc; args[7] = &pd;
        LaunchConv("conv_col2im_" + Suffix(dx), dx.Length, args);
    }

    /// <summary>Max pooling over s×s windows: forward (y ← max, <paramref name="a"/> = x) or backward
    /// (<paramref name="a"/> = dy, output dx).</summary>
    internal void NnMaxPool(bool backward, Matrix a, Matrix x, int c, int h, int w, int s, Matrix output)
    {
        int n = x.Cols;
        ulong pa = P(a), px = P(x), po = P(output);
        void** args = stackalloc void*[8];
        args[0] = &c; args[1] = &h; args[2] = &w; args[3] = &s; args[4] = &n;
        if (backward) { args[5] = &pa; args[6] = &px; args[7] = &po; }
        else { args[5] = &px; args[6] = &po; }
        LaunchConv((backward ? "conv_maxpool_bwd_" : "conv_maxpool_fwd_") + Suffix(x), output.Length, args);
    }
}
