using Reproduce.Compute;
using Reproduce.Nn;

namespace Reproduce.Tests.Nn;

/// <summary>Conv2d (im2col + GEMM) and MaxPool2d against direct nested loops on tiny inputs, col2im
/// against its definition as the adjoint of im2col, the CNN's shapes, and the bad inputs. The gradient
/// checks of both layers and of the CNN are in <see cref="GradientCheckTests"/> (NnGradientChecks).</summary>
public class ConvolutionTests
{
    /// <summary>y[co, oh, ow] = b[co] + Σ_{ky, kx, ci} W[co, ci, ky, kx]·x[ci, oh + ky − p, ow + kx − p] with
    /// zero padding, by four nested loops over the definition (no patches, no GEMM).</summary>
    private static double[,,,] DirectConv(Matrix x, ImageShape s, Matrix w, Matrix b, int k, int p)
    {
        int co = w.Cols, ho = s.Height + 2 * p - k + 1, wo = s.Width + 2 * p - k + 1;
        var y = new double[x.Cols, co, ho, wo];
        for (int n = 0; n < x.Cols; n++)
            for (int o = 0; o < co; o++)
                for (int i = 0; i < ho; i++)
                    for (int j = 0; j < wo; j++)
                    {
                        double acc = b[o];
                        for (int c = 0; c < s.Channels; c++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int ih = i + ky - p, iw = j + kx - p;
                                    if (ih < 0 || ih >= s.Height || iw < 0 || iw >= s.Width) continue;
                                    acc += w[(ky * k + kx) * s.Channels + c, o] * x[(ih * s.Width + iw) * s.Channels + c, n];
                                }
                        y[n, o, i, j] = acc;
                    }
        return y;
    }

    [Theory]
    [InlineData(2, 5, 4, 3, 3, 1)]
    [InlineData(3, 6, 7, 2, 3, 0)]
    [InlineData(1, 4, 4, 4, 5, 2)]
    [InlineData(2, 3, 5, 3, 1, 0)]
    public void ForwardEqualsTheDirectConvolution(int cin, int h, int wd, int cout, int k, int p)
    {
        var rng = new Rng(11);
        var s = new ImageShape(cin, h, wd);
        var x = rng.NormalMatrix(s.Features, 3);
        var w = new Parameter("w", [cout, k * k * cin], rng.NormalMatrix(k * k * cin, cout));
        var b = new Parameter("b", [cout], rng.NormalMatrix(cout, 1));
        var (y, _) = Conv2d.Forward("conv", x, s, w, b, k, p);
        var want = DirectConv(x, s, w.Value, b.Value, k, p);
        var o = Conv2d.OutputShape("conv", s, cout, k, p);
        Assert.Equal(o.Features, y.Rows);
        for (int n = 0; n < 3; n++)
            for (int c = 0; c < cout; c++)
                for (int i = 0; i < o.Height; i++)
                    for (int j = 0; j < o.Width; j++)
                        Assert.Equal(want[n, c, i, j], y[(i * o.Width + j) * cout + c, n], 1e-12);
    }

    [Fact]
    public void Col2ImIsTheAdjointOfIm2Col()
    {
        // ⟨im2col(x), C⟩ = ⟨x, col2im(C)⟩ for all x, C is the definition of the adjoint; checked on random
        // x and C, with padding so that dropped (padding) entries are exercised.
        var rng = new Rng(3);
        var s = new ImageShape(3, 6, 5);
        const int k = 3, p = 1, n = 4;
        var x = rng.NormalMatrix(s.Features, n);
        var c = rng.NormalMatrix(k * k * s.Channels, s.Pixels * n);
        double lhs = Ops.Dot(Conv2d.Im2Col(x, s, k, p), c), rhs = Ops.Dot(x, Conv2d.Col2Im(c, s, k, p, n));
        Assert.Equal(lhs, rhs, 1e-10 * Math.Abs(lhs) + 1e-12);
    }

    [Fact]
    public void MaxPoolEqualsDirectLoopsAndRoutesTheGradientToTheMaximum()
    {
        var rng = new Rng(5);
        var s = new ImageShape(2, 5, 7); // floor mode: the last row and column belong to no window
        const int n = 3;
        var x = rng.NormalMatrix(s.Features, n);
        var dy = rng.NormalMatrix(2 * 3 * 2, n);
        var y = MaxPool2d.Forward("pool", x, s, 2);
        var dx = MaxPool2d.Backward("pool", dy, x, s, 2);
        var want = new double[s.Features, n];
        for (int img = 0; img < n; img++)
            for (int c = 0; c < 2; c++)
                for (int oh = 0; oh < 2; oh++)
                    for (int ow = 0; ow < 3; ow++)
                    {
                        double best = double.NegativeInfinity; int at = -1;
                        for (int i = 2 * oh; i < 2 * oh + 2; i++)
                            for (int j = 2 * ow; j < 2 * ow + 2; j++)
                                if (x[(i * 7 + j) * 2 + c, img] > best) { best = x[(i * 7 + j) * 2 + c, img]; at = (i * 7 + j) * 2 + c; }
                        int o = (oh * 3 + ow) * 2 + c;
                        Assert.Equal(best, y[o, img]);
                        want[at, img] += dy[o, img];
                    }
        for (int img = 0; img < n; img++)
            for (int f = 0; f < s.Features; f++) Assert.Equal(want[f, img], dx[f, img]);
    }

    [Fact]
    public void TiesGoToTheFirstMaximumOfTheWindow()
    {
        var s = new ImageShape(1, 2, 2);
        var x = Matrix.FromColumnMajor(4, 1, [1.0, 3, 3, 0]);
        var dx = MaxPool2d.Backward("pool", Matrix.FromColumnMajor(1, 1, [2.0]), x, s, 2);
        Assert.Equal([0.0, 2, 0, 0], dx.ToArray());
    }

    [Fact]
    public void CnnLogitsHaveOneColumnPerImageAndTheExpectedParameters()
    {
        var cnn = new Cnn(new ImageShape(1, 28, 28), [8, 16], 10, 1);
        Assert.Equal(["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc.weight", "fc.bias"], cnn.Parameters.All.Select(p => p.Name));
        // 28 → pool 14 → pool 7: the fc layer sees 7·7·16 = 784 features.
        Assert.Equal(8 * 9 + 8 + 16 * 72 + 16 + 10 * 784 + 10, cnn.Parameters.ScalarCount);
        var z = cnn.Logits(new Rng(2).NormalMatrix(784, 3));
        Assert.Equal((10, 3), (z.Rows, z.Cols));
    }

    [Fact]
    public void BadShapesAreRejectedWithTheFix()
    {
        var s = new ImageShape(1, 4, 4);
        var w = new Parameter("w", [2, 9], Matrix.Zeros(9, 2));
        var e1 = Assert.Throws<ArgumentException>(() => Conv2d.Forward("conv1", Matrix.Zeros(15, 2), s, w, null, 3, 1));
        Assert.Contains("conv1", e1.Message); Assert.Contains("16 rows", e1.Message);
        var e2 = Assert.Throws<ArgumentOutOfRangeException>(() => Conv2d.OutputShape("conv1", s, 2, 3, 3));
        Assert.Contains("padding must be in [0, kernel − 1]", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => Conv2d.OutputShape("conv1", s, 2, 5, 0));
        Assert.Contains("does not fit", e3.Message);
        var e4 = Assert.Throws<ArgumentException>(() => Conv2d.Forward("conv1", Matrix.Zeros(16, 2), s, new Parameter("w", [2, 4], Matrix.Zeros(4, 2)), null, 3, 1));
        Assert.Contains("k·k·Cin", e4.Message);
        Assert.Throws<ArgumentException>(() => MaxPool2d.OutputShape("pool", new ImageShape(1, 1, 4), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Cnn(s, [2], 3, 1, kernel: 2));
    }
}
