using Reproduce.Compute;
using Reproduce.Data;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Data;

public class IdxFileTests
{
    [Fact]
    public void WriteThenReadRoundTripsGzipAndPlain()
    {
        var dir = Directory.CreateTempSubdirectory();
        var data = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 7)).ToArray();
        foreach (var name in new[] { "x-idx3-ubyte", "x-idx3-ubyte.gz" })
        {
            var p = Path.Combine(dir.FullName, name);
            IdxFile.Write(p, [2, 3, 4], data);
            var f = IdxFile.Read(p);
            Assert.Equal([2, 3, 4], f.Dimensions);
            Assert.Equal(data, f.Data);
            var first = IdxFile.Read(p, maxItems: 1);
            Assert.Equal([1, 3, 4], first.Dimensions);
            Assert.Equal(data[..12], first.Data);
        }
    }

    [Fact]
    public void TruncatedAndForeignFilesGetClearErrors()
    {
        var dir = Directory.CreateTempSubdirectory();
        var p = Path.Combine(dir.FullName, "bad");
        File.WriteAllBytes(p, [0, 0, 8, 1, 0, 0, 0, 5, 1, 2]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => IdxFile.Read(p)).Message);
        File.WriteAllBytes(p, [0x50, 0x4B, 3, 4]);
        Assert.Contains("not an IDX", Assert.Throws<InvalidDataException>(() => IdxFile.Read(p)).Message);
        Assert.Contains("dataset-fashion-mnist", Assert.Throws<FileNotFoundException>(() => IdxFile.Read(p + ".missing")).Message);
    }
}

public class FashionMnistTests
{
    [Fact]
    public void CommittedSubsetLoadsWithPixelsInUnitRangeAndTenClasses()
    {
        var ds = FashionMnist.Load(FashionMnistSplit.Subset);
        Assert.Equal(2000, ds.Count);
        Assert.Equal(784, ds.Dimension);
        var s = ds.Points.Span;
        double min = double.MaxValue, max = double.MinValue;
        foreach (var v in s) { min = Math.Min(min, v); max = Math.Max(max, v); }
        Assert.Equal(0, min);
        Assert.Equal(1, max);
        Assert.Equal(10, ds.Labels.Distinct().Count());
    }

    [RequiresFact(Part.FashionMnist)]
    public void SubsetEqualsFirstTestImagesWhenDebianPackageInstalled()
    {
        var sub = FashionMnist.Load(FashionMnistSplit.Subset);
        var full = FashionMnist.Load(FashionMnistSplit.Test, maxCount: 2000);
        Assert.Equal(full.Labels, sub.Labels);
        Assert.Equal(full.Points.ToArray(), sub.Points.ToArray());
    }

    [RequiresFact(Part.FashionMnist)]
    public void AllSplitConcatenatesTrainThenTest()
    {
        var all = FashionMnist.Load(FashionMnistSplit.All, maxCount: 60_003);
        var test = FashionMnist.Load(FashionMnistSplit.Test, maxCount: 3);
        Assert.Equal(60_003, all.Count);
        Assert.Equal(test.Labels, all.Labels[60_000..]);
        for (int j = 0; j < 784; j += 97) Assert.Equal(test.Points[2, j], all.Points[60_002, j]);
    }

    [Fact]
    public void MissingDatasetSaysHowToInstall()
    {
        var old = Environment.GetEnvironmentVariable("REPRODUCE_FASHION_MNIST_DIR");
        try
        {
            Environment.SetEnvironmentVariable("REPRODUCE_FASHION_MNIST_DIR", "/nonexistent/fmnist");
            var e = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(FashionMnistSplit.Train));
            Assert.Contains("apt-get install dataset-fashion-mnist", e.Message);
            Assert.Contains("Subset", e.Message);
        }
        finally { Environment.SetEnvironmentVariable("REPRODUCE_FASHION_MNIST_DIR", old); }
    }
}

public class GaussianMixtureTests
{
    [Fact]
    public void ComponentMeansSitAtScaledCentresAndSizesAreEqual()
    {
        var ds = GaussianMixture.Generate(3000, 4, 3, 10, new Rng(5));
        Assert.All(Enumerable.Range(0, 3), c => Assert.Equal(1000, ds.Labels.Count(l => l == c)));
        // Within-component sample variance ≈ 1 (noise N(0, I)); 5σ tolerance for 1000 samples.
        for (int c = 0; c < 3; c++)
        {
            var rows = Enumerable.Range(0, 3000).Where(i => ds.Labels[i] == c).ToArray();
            for (int j = 0; j < 4; j++)
            {
                double mean = rows.Average(i => ds.Points[i, j]);
                double var = rows.Sum(i => Math.Pow(ds.Points[i, j] - mean, 2)) / (rows.Length - 1);
                Assert.InRange(var, 1 - 5 * Math.Sqrt(2.0 / 1000), 1 + 5 * Math.Sqrt(2.0 / 1000));
            }
        }
    }

    [Fact]
    public void BadArgumentsAreNamed()
    {
        Assert.Equal("k", Assert.Throws<ArgumentOutOfRangeException>(() => GaussianMixture.Generate(3, 2, 4, 1, new Rng(1))).ParamName);
        Assert.Equal("separation", Assert.Throws<ArgumentOutOfRangeException>(() => GaussianMixture.Generate(3, 2, 2, double.NaN, new Rng(1))).ParamName);
    }
}
