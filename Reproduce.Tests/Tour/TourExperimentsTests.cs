using Reproduce.Compute;
using Reproduce.Experiments;
using Reproduce.Tour;

namespace Reproduce.Tests.Tour;

public class TourExperimentsTests
{
    [Fact]
    public void PowerMethodMatchesTheClosedFormOnADiagonalMatrix()
    {
        // A = diag(1, 1/2), x0 = (1, 1): x_k ∝ (1, 2^-k), so r_k = (1 + 2^-(2k+1)) / (1 + 2^-2k).
        var a = Matrix.FromArray(new double[,] { { 1, 0 }, { 0, 0.5 } });
        var (r, x) = PowerMethod.Run(a, Matrix.Vector([1.0, 1.0]), 10);
        for (int k = 0; k <= 10; k++)
        {
            double q = Math.Pow(0.5, 2 * k);
            Assert.Equal((1 + q / 2) / (1 + q), r[k], 1e-14);
        }
        Assert.Equal(1.0, Math.Abs(x[0]), 1e-5);
    }

    [Fact]
    public void PowerMethodRejectsBadInput()
    {
        var a = Matrix.Identity(3);
        Assert.Throws<ArgumentException>(() => PowerMethod.Run(a, Matrix.Vector([1.0, 0.0]), 3));
        Assert.Throws<ArgumentException>(() => PowerMethod.Run(a, Matrix.Vector([0.0, 0.0, 0.0]), 3));
        Assert.Throws<ArgumentException>(() => PowerMethod.Run(Matrix.Zeros(2, 3), Matrix.Vector([1.0, 0.0]), 3));
    }

    [Fact]
    public void RandomPsdHasTheConstructedSpectrum()
    {
        var (a, lambda) = TourExperiments.RandomPsd(12, new Rng(3));
        var (values, _) = Ops.SymmetricEigen(a);
        var ev = values.ToArray();
        var expected = lambda.Order().ToArray();
        for (int i = 0; i < ev.Length; i++) Assert.Equal(expected[i], ev[i], 1e-12);
        Assert.Equal(TourExperiments.Gap, lambda[1] / lambda[0]);
    }

    [Fact]
    public void SmokeScaleClaimsHold()
    {
        var result = TourExperiments.PowerMethodConvergence(new RunContext(Scale.Smoke, 20241, Device.Cpu));
        Assert.Equal("tour/power-method", result.Id);
        Assert.Equal(3, result.Claims.Count);
        Assert.True(result.AllPass, string.Join("\n", result.Claims));
        Assert.Equal(81, result.Data.RowCount);
    }
}
