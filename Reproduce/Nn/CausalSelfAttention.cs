using System.Numerics;
using System.Numerics.Tensors;
using Reproduce.Compute;

namespace Reproduce.Nn;

/// <summary>The core of causal multi-head self-attention (Vaswani et al. 2017, GPT-2 masking): from
/// the packed projections QKV (3C×N, rows [0, C) queries, [C, 2C) keys, [2C, 3C) values; N = B·T
/// tokens, batch-major), head h of sequence b computes softmax(q_t·k_u/√D, u ≤ t)·V for each position
/// t, D = C/H. The query/key/value and output projections are <see cref="Linear"/> layers around it.
/// Work is split over (sequence, head) pairs, whose outputs are disjoint, so results do not depend
/// on the thread count.</summary>
public static class CausalSelfAttention
{
    /// <summary>Y (C×N) and the attention probabilities (T × T·B·H; column (b·H + h)·T + t holds
    /// query t's distribution over keys u ≤ t, zeros above).</summary>
    public static (Matrix Y, Matrix Probs) Forward(string layer, Matrix qkv, int batch, int seqLen, int heads)
    {
        int c = Check(layer, qkv, batch, seqLen, heads);
        var y = NnHost.Output(c, qkv.Cols, qkv);
        var p = NnHost.Output(seqLen, seqLen * batch * heads, qkv);
        if (NnHost.Cuda(qkv) is { } cu) { cu.NnAttentionForward(qkv, batch, seqLen, heads, y, p); return (y, p); }
        NnHost.Run("attention forward", [qkv], [y, p], (i, o) =>
        {
            if (qkv.DType == DType.F64) Fwd<double>(i[0], o[0], o[1], batch, seqLen, heads);
            else AttentionF32.Forward(CpuKernels.Data<float>(i[0]), CpuKernels.Data<float>(o[0]), CpuKernels.Data<float>(o[1]), batch, seqLen, heads, c);
        });
        return (y, p);
    }

    /// <summary>dQKV (3C×N) from dY (C×N).</summary>
    public static Matrix Backward(string layer, Matrix dy, Matrix qkv, Matrix probs, int batch, int seqLen, int heads)
    {
        int c = Check(layer, qkv, batch, seqLen, heads);
        NnHost.Expect(layer, "output gradient", dy, c, qkv.Cols, "model dim × tokens");
        var dqkv = NnHost.Output(qkv.Rows, qkv.Cols, qkv);
        if (NnHost.Cuda(qkv) is { } cu) { cu.NnAttentionBackward(dy, qkv, probs, batch, seqLen, heads, dqkv); return dqkv; }
        NnHost.Run("attention backward", [dy, qkv, probs], [dqkv], (i, o) =>
        {
            if (qkv.DType == DType.F64) Bwd<double>(i[0], i[1], i[2], o[0], batch, seqLen, heads);
            else AttentionF32.Backward(CpuKernels.Data<float>(i[0]), CpuKernels.Data<float>(i[1]), CpuKernels.Data<float>(i[2]), CpuKernels.Data<float>(o[0]), batch, seqLen, heads, c);
        });
        return dqkv;
    }

    private static int Check(string layer, Matrix qkv, int batch, int seqLen, int heads)
    {
        if (qkv.Rows % 3 != 0) throw new ArgumentException($"{layer}: packed QKV has {qkv.Rows} rows, not a multiple of 3 (needs 3C×N).");
        int c = qkv.Rows / 3;
        if (heads <= 0 || c % heads != 0) throw new ArgumentException($"{layer}: attention width {c} (rows of QKV / 3) is not divisible by {heads} heads.");
        if ((long)batch * seqLen != qkv.Cols) throw new ArgumentException($"{layer}: QKV has {qkv.Cols} token columns but batch {batch} × sequence {seqLen} = {(long)batch * seqLen}.");
        return c;
    }

    private static void Fwd<T>(Matrix qkvm, Matrix ym, Matrix pm, int batch, int seqLen, int heads) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = qkvm.Rows / 3, d = c / heads, ld = 3 * c;
        T scale = T.CreateTruncating(1 / Math.Sqrt(d));
        T[] qkvArr = CpuKernels.Data<T>(qkvm), yArr = CpuKernels.Data<T>(ym), pArr = CpuKernels.Data<T>(pm);
        Parallel.For(0, batch * heads, bh =>
        {
            int b = bh / heads, h = bh % heads;
            var s = new double[seqLen];
            for (int t = 0; t < seqLen; t++)
            {
                var q = new ReadOnlySpan<T>(qkvArr, (b * seqLen + t) * ld + h * d, d);
                double max = double.NegativeInfinity;
                for (int u = 0; u <= t; u++)
                {
                    var k = new ReadOnlySpan<T>(qkvArr, (b * seqLen + u) * ld + c + h * d, d);
                    s[u] = double.CreateTruncating(TensorPrimitives.Dot(q, k) * scale);
                    if (s[u] > max) max = s[u];
                }
                double z = 0;
                for (int u = 0; u <= t; u++) { s[u] = Math.Exp(s[u] - max); z += s[u]; }
                var prow = new Span<T>(pArr, (bh * seqLen + t) * seqLen, seqLen);
                var yt = new Span<T>(yArr, (b * seqLen + t) * c + h * d, d);
                for (int u = 0; u <= t; u++)
                {
                    T pu = T.CreateTruncating(s[u] / z);
                    prow[u] = pu;
                    var v = new ReadOnlySpan<T>(qkvArr, (b * seqLen + u) * ld + 2 * c + h * d, d);
                    TensorPrimitives.MultiplyAdd(v, pu, yt, yt);
                }
            }
        });
    }

    private static void Bwd<T>(Matrix dym, Matrix qkvm, Matrix pm, Matrix dqkvm, int batch, int seqLen, int heads) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int c = qkvm.Rows / 3, d = c / heads, ld = 3 * c;
        T scale = T.CreateTruncating(1 / Math.Sqrt(d));
        T[] dyArr = CpuKernels.Data<T>(dym), qkvArr = CpuKernels.Data<T>(qkvm), pArr = CpuKernels.Data<T>(pm), dArr = CpuKernels.Data<T>(dqkvm);
        Parallel.For(0, batch * heads, bh =>
        {
            int b = bh / heads, h = bh % heads;
            var dp = new T[seqLen];
            for (int t = 0; t < seqLen; t++)
            {
                var dyt = new ReadOnlySpan<T>(dyArr, (b * seqLen + t) * c + h * d, d);
                var prow = new ReadOnlySpan<T>(pArr, (bh * seqLen + t) * seqLen, seqLen);
                T sum = T.Zero;
                for (int u = 0; u <= t; u++)
                {
                    var v = new ReadOnlySpan<T>(qkvArr, (b * seqLen + u) * ld + 2 * c + h * d, d);
                    var dv = new Span<T>(dArr, (b * seqLen + u) * ld + 2 * c + h * d, d);
                    dp[u] = TensorPrimitives.Dot(dyt, v);
                    sum += prow[u] * dp[u];
                    TensorPrimitives.MultiplyAdd(dyt, prow[u], dv, dv);
                }
                var q = new ReadOnlySpan<T>(qkvArr, (b * seqLen + t) * ld + h * d, d);
                var dq = new Span<T>(dArr, (b * seqLen + t) * ld + h * d, d);
                for (int u = 0; u <= t; u++)
                {
                    T ds = prow[u] * (dp[u] - sum) * scale;
                    var k = new ReadOnlySpan<T>(qkvArr, (b * seqLen + u) * ld + c + h * d, d);
                    var dk = new Span<T>(dArr, (b * seqLen + u) * ld + c + h * d, d);
                    TensorPrimitives.MultiplyAdd(k, ds, dq, dq);
                    TensorPrimitives.MultiplyAdd(q, ds, dk, dk);
                }
            }
        });
    }
}
