using Reproduce.Compression;
using Reproduce.Compute;

namespace Reproduce.Tests.Compression;

public class BadInputTests
{
    [Fact]
    public void BadTargetsNameTheProblemAndTheFix()
    {
        Assert.Contains("1 ≤ N < M", Assert.Throws<ArgumentOutOfRangeException>(() => SparsityTarget.Pattern(4, 4)).Message);
        Assert.Contains("1 ≤ N < M", Assert.Throws<ArgumentOutOfRangeException>(() => SparsityTarget.ParsePattern("5:4")).Message);
        Assert.Throws<FormatException>(() => SparsityTarget.ParsePattern("2-4"));
        Assert.Contains("[0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => SparsityTarget.Unstructured(1)).Message);
        Assert.Contains("[0, 1)", Assert.Throws<ArgumentOutOfRangeException>(() => SparsityTarget.Unstructured(-0.1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SparsityTarget.Unstructured(double.NaN));
        Assert.Contains("2..8", Assert.Throws<ArgumentOutOfRangeException>(() => QuantFormat.Int(1)).Message);
        Assert.Contains("2..8", Assert.Throws<ArgumentOutOfRangeException>(() => QuantFormat.Int(9)).Message);
    }

    [Fact]
    public void RankAboveTheSmallerDimensionIsRejected()
    {
        var p = Layers.Random(1, dOut: 8, dIn: 16, rows: 64);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new HassleFree().Compress(p, SparsityTarget.Pattern(2, 4), 9));
        Assert.Contains("min(d_out, d_in) = 8", e.Message);
    }

    [Fact]
    public void ShapesThatDisagreeAreRejected()
    {
        var w = Matrix.Zeros(4, 8);
        Assert.Contains("N × d_in", Assert.Throws<ArgumentException>(() => LayerProblem.FromInputs(w, Matrix.Zeros(10, 7))).Message);
        Assert.Contains("d_in × d_in", Assert.Throws<ArgumentException>(() => new LayerProblem(w, Matrix.Identity(4))).Message);
        var p = Layers.Random(2, dOut: 4, dIn: 6, rows: 32);
        Assert.Contains("multiple of M", Assert.Throws<ArgumentException>(() => new SparseGpt().Prune(p, SparsityTarget.Pattern(2, 4))).Message);
        Assert.Contains("divide d_in", Assert.Throws<ArgumentOutOfRangeException>(() => new Osscar().Prune(p, 4, 1)).Message);
    }

    [Fact]
    public void SingularHessianIsNamedAndDampingIsAddedOrAskedFor()
    {
        // N = 8 calibration rows for d_in = 16: H = XᵀX has rank ≤ 8.
        var p = Layers.Random(3, dOut: 4, dIn: 16, rows: 8);
        var e = Assert.Throws<ArgumentException>(() => new SparseGpt { Percdamp = 0 }.Prune(p, SparsityTarget.Unstructured(0.5)));
        Assert.Contains("singular", e.Message);
        Assert.Contains("damping", e.Message);
        var ok = new SparseGpt().Prune(p, SparsityTarget.Unstructured(0.5));
        Assert.Contains(ok.Notes, n => n.Contains("singular", StringComparison.Ordinal) && n.Contains("mean(diag H)", StringComparison.Ordinal));
    }
}
