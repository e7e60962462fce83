using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Tests.Nn;

/// <summary>Rotary positions against closed forms: the rotation angles of RoFormer's definition, norm
/// preservation, scores that depend on relative position only, backward as the inverse rotation.</summary>
public class RotaryTests
{
    // One head of dimension 4 (pairs (0, 2) and (1, 3)), model dim 4: QKV has 12 rows.
    private const int C = 4, Heads = 1, Seq = 5;

    private static Matrix SameVectorAtEveryPosition(double[] q, double[] k, double[] v)
    {
        var m = Matrix.Zeros(3 * C, Seq);
        for (int t = 0; t < Seq; t++)
            for (int i = 0; i < C; i++) { m[i, t] = q[i]; m[C + i, t] = k[i]; m[2 * C + i, t] = v[i]; }
        return m;
    }

    [Fact]
    public void AnglesAreTTimesThetaToTheMinus2iOverD()
    {
        var x = SameVectorAtEveryPosition([1, 1, 0, 0], [0, 0, 1, 1], [5, 6, 7, 8]);
        var y = Rotary.Forward("rope", x, Seq, Heads);
        for (int t = 0; t < Seq; t++)
        {
            // pair i = 0 turns by t, pair i = 1 by t·10000^(-1/2) = t/100.
            double a0 = t, a1 = t / 100.0;
            Assert.Equal(Math.Cos(a0), y[0, t], 14); Assert.Equal(Math.Sin(a0), y[2, t], 14);
            Assert.Equal(Math.Cos(a1), y[1, t], 14); Assert.Equal(Math.Sin(a1), y[3, t], 14);
            // the key (0, 0, 1, 1): x1 = 0, x2 = 1 → (−sin a, cos a)
            Assert.Equal(-Math.Sin(a0), y[C + 0, t], 14); Assert.Equal(Math.Cos(a0), y[C + 2, t], 14);
            Assert.Equal(-Math.Sin(a1), y[C + 1, t], 14); Assert.Equal(Math.Cos(a1), y[C + 3, t], 14);
            for (int i = 0; i < C; i++) Assert.Equal(x[2 * C + i, t], y[2 * C + i, t]); // values untouched
        }
    }

    [Fact]
    public void ScoresDependOnRelativePositionOnlyAndNormsAreKept()
    {
        var rng = new Rng(7);
        var q = Enumerable.Range(0, C).Select(_ => rng.Uniform(-0.5, 0.5)).ToArray();
        var k = Enumerable.Range(0, C).Select(_ => rng.Uniform(-0.5, 0.5)).ToArray();
        var y = Rotary.Forward("rope", SameVectorAtEveryPosition(q, k, new double[C]), Seq, Heads);
        double Score(int t, int u) { double s = 0; for (int i = 0; i < C; i++) s += y[i, t] * y[C + i, u]; return s; }
        for (int t = 0; t + 1 < Seq; t++)
            for (int u = 0; u + 1 < Seq; u++) Assert.Equal(Score(t, u), Score(t + 1, u + 1), 13);
        // Not vacuous: the score does change with the offset.
        Assert.True(Math.Abs(Score(3, 0) - Score(0, 0)) > 1e-3);
        double n0 = q.Sum(v => v * v);
        for (int t = 0; t < Seq; t++) Assert.Equal(n0, Enumerable.Range(0, C).Sum(i => y[i, t] * y[i, t]), 13);
    }

    [Fact]
    public void BackwardIsTheInverseRotation()
    {
        var x = new Rng(3).NormalMatrix(3 * 8, 2 * 6);
        var back = Rotary.Backward("rope", Rotary.Forward("rope", x, 6, 2), 6, 2);
        Assert.True(NnParity.RelDiff(back.ToArray(), x.ToArray()) < 1e-14);
    }

    [Fact]
    public void OddHeadDimensionIsRejectedNamingTheLayer()
    {
        var e = Assert.Throws<ArgumentException>(() => Rotary.Forward("h.0.attn.rotary", Matrix.Zeros(3 * 6, 4), 4, 2));
        Assert.Contains("h.0.attn.rotary", e.Message);
        Assert.Contains("even head dimension", e.Message);
        Assert.Throws<ArgumentException>(() => new GptConfig(10, 8, 1, 6, 2, 12, Positions: PositionKind.Rotary).Validate());
    }

    [Fact]
    public void RotaryGptHasNoPositionTableAndLearns()
    {
        var cfg = new GptConfig(11, 8, 1, 16, 2, 32, Positions: PositionKind.Rotary);
        var gpt = new Gpt(cfg, 1, DType.F64);
        Assert.DoesNotContain(gpt.Parameters.All, p => p.Name.StartsWith("wpe", StringComparison.Ordinal));
        // Copy the previous token: a task that needs relative position. Without it attention sees only
        // the bag of earlier tokens, and guessing among the t candidates costs about ln t at position t
        // (ln 7!/8 ≈ 1.07 nats averaged over the 8 positions); rotary positions let it point at offset 1.
        // Chance is ln 11 ≈ 2.4.
        const int batch = 16, seq = 8;
        var rng = new Rng(5);
        var opt = new AdamW(weightDecay: 0);
        double first = double.NaN, last = double.NaN;
        for (int s = 0; s < 300; s++)
        {
            var tok = new int[batch * seq]; var tgt = new int[batch * seq];
            for (int n = 0; n < tok.Length; n++) tok[n] = rng.NextInt(cfg.VocabSize);
            for (int n = 0; n < tok.Length; n++) tgt[n] = n % seq == 0 ? 0 : tok[n - 1];
            last = gpt.LossAndGradients(tok, tgt, batch, seq);
            if (s == 0) first = last;
            opt.Step(gpt.Parameters, 1e-2);
        }
        Assert.True(first > 1.9 && last < 0.5, $"loss {first} → {last}");
    }
}
