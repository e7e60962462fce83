using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Reproduce.Nn;

/// <summary>The float32 host kernels of <see cref="CausalSelfAttention"/>, written for speed on the CPU:
/// per (sequence, head) the scores are float32 dot products, the softmax uses a vectorized float32
/// exp with the normalizer summed in float64, and every weighted sum of rows (y_t = Σ p_tu v_u and the
/// three gradients) runs over the rows with the accumulator in vector registers, so there is no call
/// per (t, u) pair. Each (sequence, head) writes disjoint outputs in a fixed order, so results do not
/// depend on the thread count. The float64 path (gradient checks) stays in <see cref="CausalSelfAttention"/>.</summary>
internal static class AttentionF32
{
    public static void Forward(float[] qkv, float[] y, float[] probs, int batch, int seqLen, int heads, int c)
    {
        int d = c / heads, ld = 3 * c, T = seqLen;
        float scale = (float)(1 / Math.Sqrt(d));
        Parallel.For(0, batch * heads, () => new float[T], (bh, _, s) =>
        {
            int b = bh / heads, h = bh % heads, tok0 = b * T;
            int qBase = tok0 * ld + h * d, kBase = qBase + c, vBase = qBase + 2 * c;
            for (int t = 0; t < T; t++)
            {
                var q = new ReadOnlySpan<float>(qkv, qBase + t * ld, d);
                var row = s.AsSpan(0, t + 1);
                for (int u = 0; u <= t; u++) row[u] = TensorPrimitives.Dot(q, new ReadOnlySpan<float>(qkv, kBase + u * ld, d)) * scale;
                float max = TensorPrimitives.Max<float>(row);
                TensorPrimitives.Subtract(row, max, row);
                TensorPrimitives.Exp(row, row);
                double z = 0;
                for (int u = 0; u <= t; u++) z += row[u];
                var prow = new Span<float>(probs, (bh * T + t) * T, T);
                TensorPrimitives.Multiply(row, (float)(1 / z), prow[..(t + 1)]);
                WeightedRows(qkv, vBase, ld, prow[..(t + 1)], new Span<float>(y, (tok0 + t) * c + h * d, d));
            }
            return s;
        }, _ => { });
    }

    public static void Backward(float[] dy, float[] qkv, float[] probs, float[] dqkv, int batch, int seqLen, int heads, int c)
    {
        int d = c / heads, ld = 3 * c, T = seqLen;
        float scale = (float)(1 / Math.Sqrt(d));
        Parallel.For(0, batch * heads, () => (Ds: new float[T * T], Col: new float[T]), (bh, _, buf) =>
        {
            int b = bh / heads, h = bh % heads, tok0 = b * T;
            int qBase = tok0 * ld + h * d, kBase = qBase + c, vBase = qBase + 2 * c, dyBase = tok0 * c + h * d;
            var ds = buf.Ds;
            // dS_tu = p_tu (dP_tu − Σ_u' p_tu' dP_tu') / √D with dP_tu = dy_t·v_u; then dq_t = Σ_u dS_tu k_u.
            for (int t = 0; t < T; t++)
            {
                var dyt = new ReadOnlySpan<float>(dy, dyBase + t * c, d);
                var prow = new ReadOnlySpan<float>(probs, (bh * T + t) * T, t + 1);
                var dsrow = new Span<float>(ds, t * T, t + 1);
                double sum = 0;
                for (int u = 0; u <= t; u++) { float dp = TensorPrimitives.Dot(dyt, new ReadOnlySpan<float>(qkv, vBase + u * ld, d)); dsrow[u] = dp; sum += prow[u] * dp; }
                float fs = (float)sum;
                for (int u = 0; u <= t; u++) dsrow[u] = prow[u] * (dsrow[u] - fs) * scale;
                WeightedRows(qkv, kBase, ld, dsrow, new Span<float>(dqkv, qBase + t * ld, d));
            }
            // dk_u = Σ_{t ≥ u} dS_tu q_t and dv_u = Σ_{t ≥ u} p_tu dy_t (columns of dS and P gathered first).
            var col = buf.Col;
            for (int u = 0; u < T; u++)
            {
                int n = T - u;
                for (int t = u; t < T; t++) col[t - u] = ds[t * T + u];
                WeightedRows(qkv, qBase + u * ld, ld, col.AsSpan(0, n), new Span<float>(dqkv, kBase + u * ld, d));
                for (int t = u; t < T; t++) col[t - u] = probs[(bh * T + t) * T + u];
                WeightedRows(dy, dyBase + u * c, c, col.AsSpan(0, n), new Span<float>(dqkv, vBase + u * ld, d));
            }
            return buf;
        }, _ => { });
    }

    /// <summary>dst = Σᵢ w[i]·src[first + i·stride .. + dst.Length): the accumulator of each block of
    /// 8 (or 4) entries stays in a vector register over all rows i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void WeightedRows(float[] src, int first, int stride, ReadOnlySpan<float> w, Span<float> dst)
    {
        int d = dst.Length, k = 0;
        ref float s0 = ref src[0];
        if (Vector256.IsHardwareAccelerated)
            for (; k + 8 <= d; k += 8)
            {
                var acc = Vector256<float>.Zero;
                for (int i = 0; i < w.Length; i++)
                    acc += Vector256.Create(w[i]) * Vector256.LoadUnsafe(ref s0, (nuint)(first + i * stride + k));
                acc.CopyTo(dst[k..]);
            }
        if (Vector128.IsHardwareAccelerated)
            for (; k + 4 <= d; k += 4)
            {
                var acc = Vector128<float>.Zero;
                for (int i = 0; i < w.Length; i++)
                    acc += Vector128.Create(w[i]) * Vector128.LoadUnsafe(ref s0, (nuint)(first + i * stride + k));
                acc.CopyTo(dst[k..]);
            }
        for (; k < d; k++)
        {
            float acc = 0;
            for (int i = 0; i < w.Length; i++) acc += w[i] * src[first + i * stride + k];
            dst[k] = acc;
        }
    }
}
