using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Tests.Compute;

/// <summary>The CPU storage pool: reuse only inside a scope, cleared storage where zeros are promised,
/// a loud error on use after dispose, and a training step that is bit-for-bit the same whether its
/// arrays are fresh or recycled from a previous step with other data.</summary>
public class HostArrayPoolTests
{
    private const int Big = 200; // 200 × 200 = 40,000 elements ≥ MinLength

    [Fact]
    public void DisposedStorageIsReusedOnlyInsideTheScope()
    {
        var pool = new HostArrayPool();
        float[] first;
        using (pool.Activate())
        {
            var a = Matrix.Zeros(Big, Big, DType.F32);
            first = a.F32!;
            a.Dispose();
            Assert.Equal(Big * Big * sizeof(float), pool.IdleBytes);
            var b = Matrix.Zeros(Big, Big, DType.F32);
            Assert.Same(first, b.F32);
            Assert.Equal(1, pool.Reuses);
            b.Dispose();
        }
        var outside = Matrix.Zeros(Big, Big, DType.F32); // no pool active: a fresh array
        Assert.NotSame(first, outside.F32);
        var small = new HostArrayPool();
        using (small.Activate())
        {
            var s = Matrix.Zeros(10, 10, DType.F32); // below MinLength: never pooled
            s.Dispose();
            Assert.Equal(0, small.IdleBytes);
        }
    }

    [Fact]
    public void ZerosFromThePoolAreZeroEvenAfterOtherData()
    {
        var pool = new HostArrayPool();
        using (pool.Activate())
        {
            var a = Matrix.Zeros(Big, Big, DType.F64);
            a.Span.Fill(7.5);
            a.Dispose();
            var b = Matrix.Zeros(Big, Big, DType.F64);
            Assert.Equal(1, pool.Reuses);
            Assert.All(b.ToArray(), v => Assert.Equal(0.0, v));
        }
    }

    [Fact]
    public void UseAfterDisposeSaysSo()
    {
        var pool = new HostArrayPool();
        using (pool.Activate())
        {
            var a = Matrix.Zeros(Big, Big, DType.F32);
            a.Dispose();
            a.Dispose(); // twice is harmless: the storage went back once
            Assert.Equal(Big * Big * sizeof(float), pool.IdleBytes);
            var e = Assert.Throws<ComputeException>(() => a.SpanF32.Length);
            Assert.Contains("disposed", e.Message);
            Assert.Throws<ComputeException>(() => a[0, 0]);
        }
    }

    [Fact]
    public void IdleBytesStayUnderTheCap()
    {
        var pool = new HostArrayPool(maxPooledBytes: Big * Big * sizeof(float) + 1);
        using (pool.Activate())
        {
            var a = Matrix.Zeros(Big, Big, DType.F32); var b = Matrix.Zeros(Big, Big, DType.F32);
            a.Dispose(); b.Dispose();
            Assert.Equal(Big * Big * sizeof(float), pool.IdleBytes);
        }
    }

    /// <summary>Model A trains one step on one batch (its pool then holds that step's arrays, full of
    /// its data) and then computes gradients on a second batch; model B, same seed, computes the second
    /// batch's gradients with fresh arrays. Any array read before it is written would make them differ.</summary>
    [Fact]
    public void RecycledActivationsGiveTheSameGradientsBitForBit()
    {
        var cfg = new GptConfig(29, 64, 2, 64, 4, 256); // 64 × 256 tokens = 16,384 elements: pooled
        const int batch = 4, seq = 64;
        var rng = new Rng(11);
        int[] Batch() { var t = new int[batch * seq]; for (int i = 0; i < t.Length; i++) t[i] = rng.NextInt(cfg.VocabSize); return t; }
        int[] t1 = Batch(), y1 = Batch(), t2 = Batch(), y2 = Batch();

        var a = new Gpt(cfg, 5, DType.F32);
        a.LossAndGradients(t1, y1, batch, seq);
        double lossA = a.LossAndGradients(t2, y2, batch, seq);
        Assert.True(a.ActivationReuses > 20, $"the second step reused only {a.ActivationReuses} arrays");

        var b = new Gpt(cfg, 5, DType.F32);
        double lossB = b.LossAndGradients(t2, y2, batch, seq);
        Assert.Equal(lossB, lossA);
        foreach (var p in b.Parameters.All)
            Assert.Equal(p.Grad.ToArray(), a.Parameters[p.Name].Grad.ToArray());
    }
}
