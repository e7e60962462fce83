using Reproduce.Compute;
using Reproduce.Nn;
using Reproduce.Tests.Compute;
using Reproduce.Tests.Compute.Simulated;

namespace Reproduce.Tests.Nn;

/// <summary>Closed forms, bad input, and the same results on another device and in float32.</summary>
public class LayerTests
{
    [Fact]
    public void ShapeMismatchNamesTheLayerAndBothShapes()
    {
        var gpt = new Gpt(new GptConfig(7, 5, 1, 8, 2, 12), 1, DType.F64);
        var w = gpt.Parameters["h.0.attn.c_attn.weight"];
        var e = Assert.Throws<ArgumentException>(() => Linear.Forward("h.0.attn.c_attn", Matrix.Zeros(5, 3), w, null));
        Assert.Contains("h.0.attn.c_attn", e.Message);
        Assert.Contains("5×3", e.Message);
        Assert.Contains("[24, 8]", e.Message);
        var ln = Assert.Throws<ArgumentException>(() => LayerNorm.Forward("h.0.ln_1", Matrix.Zeros(6, 2), gpt.Parameters["h.0.ln_1.weight"], gpt.Parameters["h.0.ln_1.bias"]));
        Assert.Contains("h.0.ln_1", ln.Message); Assert.Contains("6×2", ln.Message); Assert.Contains("8×N", ln.Message);
        Assert.Contains("context length", Assert.Throws<ArgumentOutOfRangeException>(() => gpt.Forward(new int[12], 2, 6)).Message);
        Assert.Contains("outside the table", Assert.Throws<ArgumentOutOfRangeException>(() => gpt.Forward([0, 9, 1], 1, 3)).Message);
        Assert.Contains("targets", Assert.Throws<ArgumentException>(() => SoftmaxCrossEntropy.Forward("loss", Matrix.Zeros(3, 4), [0, 1])).Message);
    }

    [Fact]
    public void AttentionWithOneKeyCopiesTheValueAndIsCausal()
    {
        // Position 0 can only attend to itself, so its output is its own value vector; changing a later
        // token must not change an earlier position's output (causality).
        var rng = new Rng(4);
        var qkv = rng.NormalMatrix(3 * 4, 3);
        var (y, p) = CausalSelfAttention.Forward("attn", qkv, 1, 3, 2);
        for (int k = 0; k < 4; k++) Assert.Equal(qkv[8 + k, 0], y[k, 0], 14);
        Assert.Equal(1.0, p[0, 0], 14); Assert.Equal(0.0, p[1, 0]);
        var changed = qkv.Copy();
        for (int r = 0; r < 12; r++) changed[r, 2] += 1;
        var (y2, _) = CausalSelfAttention.Forward("attn", changed, 1, 3, 2);
        for (int k = 0; k < 4; k++) { Assert.Equal(y[k, 0], y2[k, 0]); Assert.Equal(y[k, 1], y2[k, 1]); }
        Assert.NotEqual(y[0, 2], y2[0, 2]);
    }

    [Fact]
    public void KlIsZeroForEqualLogitsAndCeForOneHotTeacherAtTemperatureOne()
    {
        var z = new Rng(2).NormalMatrix(6, 5);
        var (kl, q, p) = DistillationKl.Forward("kl", z, z.Copy(), 1.7, true);
        Assert.Equal(0, kl, 14);
        Assert.True(Ops.Norm(DistillationKl.Backward(q, p, 1.7, true)) < 1e-15);
        // A teacher whose softmax is (numerically) one-hot on y: KL(e_y ‖ q) = −log q_y = cross-entropy.
        int[] y = [0, 5, 2, 2, 3];
        var t = Matrix.Build(6, 5, (i, j) => i == y[j] ? 800 : 0);
        Assert.Equal(SoftmaxCrossEntropy.Forward("ce", z, y).Loss, DistillationKl.Forward("kl", z, t, 1, false).Loss, 12);
    }

    /// <summary>The KL value at τ ≠ 1 against the definition, written out with plain exp/log on the
    /// softened distributions (the gradient check only ties backward to forward, and the closed forms
    /// above are at equal logits or τ = 1, where forgetting to divide one side by τ goes unseen).</summary>
    [Theory]
    [InlineData(2.0, false)]
    [InlineData(2.0, true)]
    [InlineData(0.5, true)]
    public void KlAtATemperatureIsTheDefinitionOnTheSoftenedDistributions(double tau, bool scaled)
    {
        var rng = new Rng(8);
        var zs = rng.NormalMatrix(5, 3); var zt = rng.NormalMatrix(5, 3);
        Ops.MapInPlace(UnaryOp.Scale, zt, 3);   // a sharper teacher, so p and q differ clearly
        double[] Soft(Matrix z, int n) { var e = Enumerable.Range(0, z.Rows).Select(k => Math.Exp(z[k, n] / tau)).ToArray(); double s = e.Sum(); return e.Select(x => x / s).ToArray(); }
        double expected = 0;
        for (int n = 0; n < 3; n++)
        {
            double[] p = Soft(zt, n), q = Soft(zs, n);
            expected += Enumerable.Range(0, 5).Sum(k => p[k] * Math.Log(p[k] / q[k])) / 3;
        }
        if (scaled) expected *= tau * tau;
        var (kl, qm, pm) = DistillationKl.Forward("kl", zs, zt, tau, scaled);
        Assert.Equal(expected, kl, 12);
        Assert.True(expected > 0.05, $"KL {expected} too small to tell a wrong temperature apart");
        for (int n = 0; n < 3; n++)
            for (int k = 0; k < 5; k++) { Assert.Equal(Soft(zs, n)[k], qm[k, n], 14); Assert.Equal(Soft(zt, n)[k], pm[k, n], 14); }
    }

    [Fact]
    public void GptGivesTheSameLossAndGradientsOnTheSimulatedAccelerator()
    {
        var cfg = new GptConfig(11, 6, 2, 8, 2, 16);
        var cpu = new Gpt(cfg, 3, DType.F64);
        var dev = new Gpt(cfg, 3, DType.F64, HostAccelerator.Shared);
        int[] tok = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1], tgt = [2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 1, 2];
        double lc = cpu.LossAndGradients(tok, tgt, 2, 6), ld = dev.LossAndGradients(tok, tgt, 2, 6);
        Assert.Equal(lc, ld, 12);
        foreach (var p in cpu.Parameters.All)
        {
            var q = dev.Parameters[p.Name];
            Assert.Same(HostAccelerator.Shared, q.Grad.Device);
            Assert.True(Backends.RelDiff(q.Grad.ToCpu(), p.Grad) < 1e-12, p.Name);
        }
    }

    [Fact]
    public void Float32MatchesFloat64WithinSinglePrecision()
    {
        // float32 rounding (2⁻²⁴ ≈ 6e-8 per operation) accumulated over sums of ~30 terms stays far below 1e-4.
        var cfg = new GptConfig(11, 6, 2, 16, 4, 32);
        var a = new Gpt(cfg, 3, DType.F64); var b = new Gpt(cfg, 3, DType.F32);
        int[] tok = [1, 2, 3, 4, 5, 6], tgt = [2, 3, 4, 5, 6, 7];
        Assert.Equal(a.LossAndGradients(tok, tgt, 1, 6), b.LossAndGradients(tok, tgt, 1, 6), 4);
        foreach (var p in a.Parameters.All)
            Assert.True(Backends.RelDiff(b.Parameters[p.Name].Grad, p.Grad) < 1e-4, p.Name);
    }
}
