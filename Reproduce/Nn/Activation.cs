using System.Numerics;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>Pointwise nonlinearities.</summary>
public enum ActivationKind
{
    /// <summary>max(x, 0).</summary>
    Relu,
    /// <summary>GELU, tanh approximation (GPT-2; PyTorch <c>approximate="tanh"</c>):
    /// ½x(1 + tanh(√(2/π)(x + 0.044715x³))).</summary>
    Gelu,
    /// <summary>SiLU / swish: x·σ(x).</summary>
    Silu,
}

/// <summary>Forward and backward of <see cref="ActivationKind"/>; backward needs the input x.</summary>
public static class Activation
{
    private static readonly double GeluC = Math.Sqrt(2 / Math.PI);

    /// <summary>f(x) entrywise.</summary>
    public static Matrix Forward(ActivationKind kind, Matrix x)
    {
        var y = NnHost.Output(x.Rows, x.Cols, x);
        if (NnHost.Cuda(x) is { } cu) { cu.NnActivationForward((int)kind, x, y); return y; }
        NnHost.Run("activation forward", [x], [y], (i, o) => { if (x.DType == DType.F64) Fwd<double>(kind, i[0], o[0]); else Fwd<float>(kind, i[0], o[0]); });
        return y;
    }

    /// <summary>dX = f'(x)∘dY.</summary>
    public static Matrix Backward(string layer, ActivationKind kind, Matrix dy, Matrix x)
    {
        NnHost.Expect(layer, "output gradient", dy, x.Rows, x.Cols, "same shape as the input");
        var dx = NnHost.Output(x.Rows, x.Cols, x);
        if (NnHost.Cuda(x) is { } cu) { cu.NnActivationBackward((int)kind, dy, x, dx); return dx; }
        NnHost.Run("activation backward", [dy, x], [dx], (i, o) => { if (x.DType == DType.F64) Bwd<double>(kind, i[0], i[1], o[0]); else Bwd<float>(kind, i[0], i[1], o[0]); });
        return dx;
    }

    /// <summary>f(x) for one value.</summary>
    public static double Value(ActivationKind kind, double x) => kind switch
    {
        ActivationKind.Relu => x > 0 ? x : 0,
        ActivationKind.Gelu => 0.5 * x * (1 + Math.Tanh(GeluC * (x + 0.044715 * x * x * x))),
        _ => x * Sigmoid(x),
    };

    /// <summary>f'(x) for one value (ReLU: 0 at x = 0, as PyTorch).</summary>
    public static double Derivative(ActivationKind kind, double x)
    {
        switch (kind)
        {
            case ActivationKind.Relu: return x > 0 ? 1 : 0;
            case ActivationKind.Gelu:
                double t = Math.Tanh(GeluC * (x + 0.044715 * x * x * x));
                return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * GeluC * (1 + 3 * 0.044715 * x * x);
            default:
                double s = Sigmoid(x);
                return s * (1 + x * (1 - s));
        }
    }

    private static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    /// <summary>Elements per task of the float32 GELU: big enough to amortize a task, small enough
    /// for a stack buffer.</summary>
    private const int GeluChunk = 4096;

    /// <summary>GELU (tanh) forward in float32, vectorized (TensorPrimitives.Tanh) and split over
    /// fixed chunks, so results do not depend on the thread count. float32 tanh is within a few ulps
    /// of the float64 path's rounded result.</summary>
    private static void GeluF32(float[] x, float[] y, int length)
    {
        float c = (float)GeluC;
        Parallel.For(0, (length + GeluChunk - 1) / GeluChunk, ci =>
        {
            int start = ci * GeluChunk, len = Math.Min(GeluChunk, length - start);
            var xs = new ReadOnlySpan<float>(x, start, len); var ys = new Span<float>(y, start, len);
            for (int i = 0; i < len; i++) { float v = xs[i]; ys[i] = c * (v + 0.044715f * v * v * v); }
            System.Numerics.Tensors.TensorPrimitives.Tanh(ys, ys);
            for (int i = 0; i < len; i++) ys[i] = 0.5f * xs[i] * (1 + ys[i]);
        });
    }

    /// <summary>GELU (tanh) backward in float32: dx = dy·(½(1 + t) + ½x(1 − t²)·c·(1 + 3·0.044715x²)).</summary>
    private static void GeluBackwardF32(float[] dy, float[] x, float[] dx, int length)
    {
        float c = (float)GeluC;
        Parallel.For(0, (length + GeluChunk - 1) / GeluChunk, ci =>
        {
            int start = ci * GeluChunk, len = Math.Min(GeluChunk, length - start);
            var xs = new ReadOnlySpan<float>(x, start, len); var ds = new ReadOnlySpan<float>(dy, start, len);
            Span<float> t = stackalloc float[len];
            for (int i = 0; i < len; i++) { float v = xs[i]; t[i] = c * (v + 0.044715f * v * v * v); }
            System.Numerics.Tensors.TensorPrimitives.Tanh(t, t);
            var o = new Span<float>(dx, start, len);
            for (int i = 0; i < len; i++)
            {
                float v = xs[i], ti = t[i];
                o[i] = ds[i] * (0.5f * (1 + ti) + 0.5f * v * (1 - ti * ti) * c * (1 + 3 * 0.044715f * v * v));
            }
        });
    }

    private static void Fwd<T>(ActivationKind kind, Matrix xm, Matrix ym) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && kind == ActivationKind.Gelu) { GeluF32(CpuKernels.Data<float>(xm), CpuKernels.Data<float>(ym), (int)xm.Length); return; }
        var x = NnHost.S<T>(xm); var y = NnHost.S<T>(ym);
        for (int i = 0; i < x.Length; i++) y[i] = T.CreateTruncating(Value(kind, double.CreateTruncating(x[i])));
    }

    private static void Bwd<T>(ActivationKind kind, Matrix dym, Matrix xm, Matrix dxm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && kind == ActivationKind.Gelu) { GeluBackwardF32(CpuKernels.Data<float>(dym), CpuKernels.Data<float>(xm), CpuKernels.Data<float>(dxm), (int)xm.Length); return; }
        var dy = NnHost.S<T>(dym); var x = NnHost.S<T>(xm); var dx = NnHost.S<T>(dxm);
        for (int i = 0; i < x.Length; i++) dx[i] = T.CreateTruncating(Derivative(kind, double.CreateTruncating(x[i])) * double.CreateTruncating(dy[i]));
    }
}
