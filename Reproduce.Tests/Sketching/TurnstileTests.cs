using Reproduce.Compute;
using Reproduce.Data;
using Reproduce.Sketching;

namespace Reproduce.Tests.Sketching;

public class TurnstileTests
{
    private static Matrix IntegerData(int n, int d, ulong seed) =>
        Ops.Map(UnaryOp.Abs, Matrix.Build(n, d, (i, j) => Math.Round(10 * new Rng(seed).Fork(i).Fork(j).Normal())));

    [Fact]
    public void InsertThenDeleteLeavesSketchesBitIdentical()
    {
        var sk = new TurnstileSketch(20, 8, 6, 5, 1);
        var rng = new Rng(2);
        for (int q = 0; q < 100; q++) sk.Update(rng.NextInt(20), rng.NextInt(8), rng.NextInt(50) - 25);
        var y0 = sk.RightSketch.ToArray();
        var s0 = sk.LeftSketch.ToArray();
        var extra = Enumerable.Range(0, 200).Select(_ => new EntryUpdate(rng.NextInt(20), rng.NextInt(8), rng.NextInt(100) - 50)).ToArray();
        sk.Apply(extra);
        sk.Apply(extra.Reverse().Select(u => u with { Delta = -u.Delta }));
        Assert.Equal(y0, sk.RightSketch.ToArray());
        Assert.Equal(s0, sk.LeftSketch.ToArray());
    }

    [Fact]
    public void StreamOfUpdatesAndExactNegationsGivesZeroSketches()
    {
        var sk = new TurnstileSketch(10, 5, 4, 3, 9);
        var rng = new Rng(3);
        var ups = Enumerable.Range(0, 80).Select(_ => new EntryUpdate(rng.NextInt(10), rng.NextInt(5), rng.Normal())).ToArray();
        sk.Apply(ups);
        sk.Apply(ups.Reverse().Select(u => u with { Delta = -u.Delta }));
        Assert.All(sk.RightSketch.ToArray(), v => Assert.True(Math.Abs(v) < 1e-12));
        Assert.All(sk.LeftSketch.ToArray(), v => Assert.True(Math.Abs(v) < 1e-12));
    }

    [Fact]
    public void SketchesAfterStreamEqualSketchesOfFinalMatrix()
    {
        var a = IntegerData(60, 12, 4);
        var sk = new TurnstileSketch(60, 12, 8, 10, 5, checkNonnegative: true);
        var stream = TurnstileStream.FromMatrix(a, new Rng(6));
        Assert.InRange(stream.Length, 2 * 600 * 0.5, 3.1 * 720);
        sk.Apply(stream);
        // Integer data, ±1 CountSketch and G on a 2⁻²⁴ grid: exact arithmetic, so bit-identical.
        Assert.Equal(sk.Right.Apply(a).ToArray(), sk.RightSketch.ToArray());
        Assert.Equal(sk.Left.Apply(a).ToArray(), sk.LeftSketch.ToArray());
    }

    [Fact]
    public void MemoryAccountingEqualsStoredBuffers()
    {
        foreach (var (n, d, t, s, chk) in new[] { (100, 20, 8, 10, false), (1000, 50, 16, 20, true), (7, 3, 2, 1, true) })
        {
            var sk = new TurnstileSketch(n, d, t, s, 1, chk);
            Assert.Equal(sk.StoredWords, sk.MemoryWords);
            Assert.Equal((long)n * t + (long)s * d + (long)d * t + (chk ? n : 0), sk.MemoryWords);
            Assert.Equal((long)n * t, sk.RightSketch.Length);
            Assert.Equal((long)s * d, sk.LeftSketch.Length);
        }
    }

    [Fact]
    public void EmptyStreamAndBadUpdatesAreClearErrors()
    {
        var sk = new TurnstileSketch(10, 4, 3, 2, 1, checkNonnegative: true);
        Assert.Contains("stream is empty", Assert.Throws<InvalidOperationException>(() => sk.SolveKMeans(2, new Rng(1))).Message);
        var e = Assert.Throws<InvalidOperationException>(() => sk.Update(3, 1, -2));
        Assert.Contains("deletes more than was ever inserted", e.Message);
        sk.Update(3, 1, 5);
        sk.Update(3, 1, -5);
        Assert.Throws<InvalidOperationException>(() => sk.Update(3, 2, -1));
        Assert.Equal("i", Assert.Throws<ArgumentOutOfRangeException>(() => sk.Update(10, 0, 1)).ParamName);
        Assert.Equal("j", Assert.Throws<ArgumentOutOfRangeException>(() => sk.Update(0, 4, 1)).ParamName);
        Assert.Throws<ArgumentException>(() => new RandomOrderKMeans(2, 4, 4).Run(Matrix.Zeros(3, 2), [], new Rng(1)));
    }

    [Fact]
    public void StreamedKMeansClustersASeparatedMixture()
    {
        var ds = GaussianMixture.Generate(400, 20, 4, 6, new Rng(7));
        var a = Matrix.Build(400, 20, (i, j) => Math.Round(4 * ds.Points[i, j]));
        var sk = new TurnstileSketch(400, 20, 16, 40, 8);
        sk.Apply(TurnstileStream.FromMatrix(a, new Rng(9)));
        var res = sk.SolveKMeans(4, new Rng(10));
        Assert.True(ClusteringAgreement.AdjustedRandIndex(res.Labels, ds.Labels) > 0.99);
        var exact = KMeans.Centroids(a, res.Labels, 4, out _);
        double ratio = KMeans.Cost(a, res.Labels, res.Centres) / KMeans.Cost(a, res.Labels, exact);
        Assert.InRange(ratio, 1, 1.5);
    }
}
