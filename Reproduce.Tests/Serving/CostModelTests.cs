using Reproduce.Serving;

namespace Reproduce.Tests.Serving;

public class CostModelTests
{
    [Fact]
    public void ZeroPrefixIsLinearPlusQuadraticAndFullHitIsFree()
    {
        var c = new PrefillCostModel(2e-4, 1e-3);
        Assert.Equal(2e-4 * 1000 + 2e-4 * 1e-3 * 1000 * 1000, c.Seconds(1000, 0), 12);
        Assert.Equal(0, c.Seconds(1000, 1000));
        Assert.Equal(c.Seconds(1000, 0) - c.Seconds(400, 0), c.Seconds(1000, 400), 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => c.Seconds(10, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PrefillCostModel(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PrefillCostModel(1e-4, -1));
    }

    [Fact]
    public void FitRecoversConstantsFromNoisyMeasurements()
    {
        var truth = new PrefillCostModel(3e-5, 4e-4);
        var rng = new Reproduce.Compute.Rng(5);
        var data = new List<(int, int, double)>();
        for (int i = 0; i < 200; i++)
        {
            int cached = rng.NextInt(3000), fresh = 1 + rng.NextInt(3000);
            double s = truth.Seconds(cached + fresh, cached) * (1 + 0.01 * rng.Normal());
            data.Add((fresh, cached, s));
        }
        var fit = PrefillCostModel.Fit(data);
        Assert.Equal(truth.A, fit.A, 0.03 * truth.A);
        Assert.Equal(truth.CAttn, fit.CAttn, 0.05 * truth.CAttn);
        Assert.Throws<ArgumentException>(() => PrefillCostModel.Fit([(10, 0, 1.0)]));
    }
}
