using System.Runtime.InteropServices;
using Reproduce.Compute;
using Reproduce.Compute.Cuda;

namespace Reproduce.Nn;

/// <summary>Runs the engine's non-GEMM kernels (normalizations, softmax, attention core, scatter-add,
/// optimizer updates) on host spans. Every GEMM of the engine goes through <see cref="Ops"/> and so
/// runs on the operands' device (cuBLAS on CUDA). On the CUDA backend each layer calls its NVRTC
/// kernel instead (<see cref="Cuda"/>, CudaBackend.Nn.cs), so data stays on the GPU; on any other
/// device backend (the simulated accelerator of the tests) these host kernels download the operands,
/// compute on the host and write the outputs back into the device buffers (an exact copy through the
/// backend's identity map), so results are the same on every device and only speed differs.</summary>
internal static class NnHost
{
    /// <summary>The float64 or float32 storage of a CPU matrix as a span of T.</summary>
    public static Span<T> S<T>(Matrix m) where T : unmanaged =>
        typeof(T) == typeof(double) ? MemoryMarshal.Cast<double, T>(m.Span) : MemoryMarshal.Cast<float, T>(m.SpanF32);

    /// <summary>Runs <paramref name="kernel"/> on host copies of device operands; outputs are read
    /// (so kernels may accumulate) and written back. CPU operands are passed through untouched. The
    /// time goes to <paramref name="op"/> in <see cref="NnProfile"/> when profiling is on.</summary>
    public static void Run(string op, Matrix[] inputs, Matrix[] outputs, Action<Matrix[], Matrix[]> kernel)
    {
        long t0 = NnProfile.Start();
        try { RunUntimed(inputs, outputs, kernel); }
        finally { NnProfile.Stop(op, t0); }
    }

    private static void RunUntimed(Matrix[] inputs, Matrix[] outputs, Action<Matrix[], Matrix[]> kernel)
    {
        bool host = inputs.All(m => m.Device.Kind == DeviceKind.Cpu) && outputs.All(m => m.Device.Kind == DeviceKind.Cpu);
        if (host) { kernel(inputs, outputs); return; }
        var hin = inputs.Select(m => m.Device.Kind == DeviceKind.Cpu ? m : m.ToCpu()).ToArray();
        var hout = outputs.Select(m => m.ToCpu()).ToArray();
        kernel(hin, hout);
        for (int i = 0; i < outputs.Length; i++) WriteBack(hout[i], outputs[i]);
    }

    /// <summary>dst ← src exactly, where src is a CPU matrix and dst lives on any device.</summary>
    public static void WriteBack(Matrix src, Matrix dst)
    {
        if (dst.Device.Kind == DeviceKind.Cpu) { dst.Backend.Map(UnaryOp.Identity, src, dst); return; }
        using var up = src.To(dst.Device);
        dst.Backend.Map(UnaryOp.Identity, up, dst);
    }

    /// <summary><paramref name="m"/>'s contents as a <paramref name="rows"/>×<paramref name="cols"/> matrix
    /// (column-major, so the same element order). On the CPU and CUDA the storage is shared, no copy:
    /// with <paramref name="take"/> the result owns it and <paramref name="m"/> becomes a view that must
    /// not be used after the result is disposed; without, the result is a view that must not outlive
    /// <paramref name="m"/>. Other device backends (the simulated accelerator of the tests) keep a shape
    /// with each buffer, so there the result is a copy (and <paramref name="take"/> disposes m).</summary>
    public static Matrix Reshape(Matrix m, int rows, int cols, bool take)
    {
        if (m.Device.Kind == DeviceKind.Cpu || Cuda(m) is not null) return take ? m.TakeReshaped(rows, cols) : m.ReshapeView(rows, cols);
        using var host = m.ToCpu();
        using var view = host.ReshapeView(rows, cols);
        var r = view.To(m.Device);
        if (take) m.Dispose();
        return r;
    }

    /// <summary>The CUDA backend of <paramref name="m"/>'s device, when the layer should run its NVRTC kernel.</summary>
    public static CudaBackend? Cuda(Matrix m) => m.Device.Backend as CudaBackend;

    /// <summary>A rows×cols output buffer on the device of <paramref name="like"/>: zeros, except on CUDA
    /// with <see cref="CudaBackend.NewKernels"/>, where the layer's kernel writes every entry and the
    /// memset is skipped.</summary>
    public static Matrix Output(int rows, int cols, Matrix like) =>
        Cuda(like) is { } cu && CudaBackend.NewKernels ? cu.Empty(rows, cols, like.DType) : Matrix.Zeros(rows, cols, like.DType, like.Device);

    /// <summary>The CUDA backend when a kernel of <see cref="CudaBackend.NewKernels"/> may run; null sends
    /// the layer to its host kernel.</summary>
    public static CudaBackend? CudaNew(Matrix m) => CudaBackend.NewKernels ? Cuda(m) : null;

    private static readonly Dictionary<(Device, DType, int), Matrix> OnesCache = [];

    /// <summary>A cached column of ones (n×1) on the device of <paramref name="like"/>, for rank-1
    /// broadcasts and row sums; shared, so never dispose or write it. Caching keeps a step free of
    /// host-to-device copies and allocations for it.</summary>
    public static Matrix SharedOnes(int n, Matrix like)
    {
        if (Cuda(like) is { } cu) return cu.Ones(n, like.DType);
        lock (OnesCache)
        {
            if (!OnesCache.TryGetValue((like.Device, like.DType, n), out var m)) OnesCache[(like.Device, like.DType, n)] = m = Ones(n, like);
            return m;
        }
    }

    /// <summary>A column of ones (n×1) on the device of <paramref name="like"/>, for rank-1 broadcasts.</summary>
    public static Matrix Ones(int n, Matrix like)
    {
        var h = Matrix.Zeros(n, 1, like.DType);
        if (like.DType == DType.F64) h.Span.Fill(1); else h.SpanF32.Fill(1);
        return like.Device.Kind == DeviceKind.Cpu ? h : h.To(like.Device);
    }

    /// <summary>Throws when the matrix is not rows×cols, naming the layer and both shapes.</summary>
    public static void Expect(string layer, string what, Matrix m, int rows, int cols, string meaning)
    {
        if (m.Rows != rows || m.Cols != cols)
            throw new ArgumentException($"{layer}: {what} is {m.Rows}×{m.Cols} but the layer expects {rows}×{cols} ({meaning}).");
    }

    /// <summary>Throws when two matrices differ in device or element type, naming the layer.</summary>
    public static void SameKind(string layer, Matrix a, Matrix b)
    {
        if (!ReferenceEquals(a.Device, b.Device) || a.DType != b.DType)
            throw new ArgumentException($"{layer}: operands are {a.ShapeText} on {a.Device.Name} and {b.ShapeText} on {b.Device.Name}; move or convert one (To(device), AsType(dtype)).");
    }
}
