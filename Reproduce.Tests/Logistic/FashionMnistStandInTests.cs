using Reproduce.Compute;
using Reproduce.Data;
using Reproduce.Logistic;

namespace Reproduce.Tests.Logistic;

/// <summary>The Fig. 1b stand-in from the committed subset (what a machine without the Debian package runs at smoke scale).</summary>
public class FashionMnistStandInTests
{
    [Fact]
    public void SubsetStandInHas33ZScoredComponentsAndTheKddPositiveRate()
    {
        var data = FashionMnistStandIn.Load(new Rng(3), FashionMnistSplit.Subset);
        Assert.Equal(33, data.Cols);
        double pos = data.Y.Count(v => v > 0) / (double)data.Rows;
        Assert.InRange(pos, 0.03, 0.038);                        // 3.4 % of rows, up to rounding of the kept count
        var x = data.X.ToCpu();
        for (int j = 0; j < data.Cols; j++)
        {
            double m = 0, v = 0;
            for (int i = 0; i < data.Rows; i++) m += x[i, j];
            m /= data.Rows;
            for (int i = 0; i < data.Rows; i++) v += (x[i, j] - m) * (x[i, j] - m);
            Assert.Equal(0, m, 9); Assert.Equal(1, v / data.Rows, 9);
        }
    }

    [Fact]
    public void TrainAloneIsRejectedWithTheSplitsItTakes()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FashionMnistStandIn.Load(new Rng(3), FashionMnistSplit.Train));
        Assert.Contains("Test, All or Subset", e.Message);
    }
}
