using Reproduce.Compute;
using Reproduce.Stability;

namespace Reproduce.Tests.Stability;

public class BadInputTests
{
    private static readonly HessianFamily Family = StabilityTestFamilies.Random(5, 3, 6);

    [Fact]
    public void NonPsdHessianIsRejected()
    {
        var h = Matrix.FromArray(new double[,] { { 1, 0 }, { 0, -0.5 } });
        var ex = Assert.Throws<ArgumentException>(() => HessianFamily.FromMatrices([Matrix.Identity(2), h]));
        Assert.Contains("positive semidefinite", ex.Message);
        Assert.Contains("Hessian 1", ex.Message);
    }

    [Fact]
    public void NonSymmetricOrMisSizedHessiansAreRejected()
    {
        var h = Matrix.FromArray(new double[,] { { 1, 1 }, { 0, 1 } });
        Assert.Contains("not symmetric", Assert.Throws<ArgumentException>(() => HessianFamily.FromMatrices([h])).Message);
        Assert.Throws<ArgumentException>(() => HessianFamily.FromMatrices([Matrix.Identity(2), Matrix.Identity(3)]));
        Assert.Throws<ArgumentException>(() => HessianFamily.FromMatrices([]));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(-1)]
    public void BatchSizeOutsideOneToNIsRejected(int b)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SecondMomentMap(Family, 0.1, b, SamplingModel.Bernoulli));
        Assert.Contains("1..n = 1..6", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SecondMomentOperator.For(Family).SpectralRadius(0.1, b, SamplingModel.WithoutReplacement));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchSampler(6, b, SamplingModel.WithReplacement));
        Assert.Throws<ArgumentOutOfRangeException>(() => StabilityThreshold.Theorem1StepSize(1, 1, 6, b));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonPositiveStepSizeIsRejected(double eta)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new LinearizedSgd(Family, eta, 2, SamplingModel.WithoutReplacement));
        Assert.Contains("step size", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SecondMomentOperator.For(Family).SpectralRadius(eta, 2, SamplingModel.Bernoulli));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AxisAlignedSgd(new AxisAlignedFamily(10, 2), eta, 2, SamplingModel.Bernoulli));
        Assert.Throws<ArgumentOutOfRangeException>(() => StabilityThreshold.Theorem1PredictsDivergence(1, 1, eta, 6, 2));
    }

    [Fact]
    public void CoherenceOutsideOneToNIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new AxisAlignedFamily(10, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => HessianFamily.Theorem2Construction(10, 1, 0));
    }
}
