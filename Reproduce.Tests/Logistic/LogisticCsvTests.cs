using Reproduce.Logistic;

namespace Reproduce.Tests.Logistic;

public class LogisticCsvTests
{
    private static string Write(string text)
    {
        var p = Path.Combine(Path.GetTempPath(), $"mu-{Guid.NewGuid():N}.csv");
        File.WriteAllText(p, text);
        return p;
    }

    [Fact]
    public void LoadsAndComputesMuMatchingTheInMemoryData()
    {
        var p = Write("a,b,y\n1.0,0.5,yes\n-0.3,1.2,no\n0.7,-0.8,yes\n-1.1,-0.2,no\n0.2,0.9,yes\n0.4,-1.5,no\n-0.6,0.3,yes\n");
        var d = LogisticCsv.Load(p, "y", "yes");
        Assert.Equal(7, d.Rows); Assert.Equal(2, d.Cols);
        Assert.Equal([1.0, -1, 1, -1, 1, -1, 1], d.Y);
        var lad = Mu.Compute(d, MuMethod.Lad);
        Assert.Equal(Mu.AngularSweep(d.Z()).Value, lad.Value, 8);
    }

    [Fact]
    public void BadFilesGiveClearErrors()
    {
        Assert.Contains("missing", Assert.Throws<ArgumentException>(() => LogisticCsv.Load(Write("a,b,y\n1,2,1\n3,4,-1\n5,6,1\n"), "label")).Message);
        Assert.Contains("not a number", Assert.Throws<ArgumentException>(() => LogisticCsv.Load(Write("a,y\n1,1\nx,-1\n"), "y")).Message);
        Assert.Contains("exactly two", Assert.Throws<ArgumentException>(() => LogisticCsv.Load(Write("a,y\n1,1\n2,2\n3,3\n"), "y")).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => LogisticCsv.Load(Write("a,y\n1,1\nNaN,-1\n"), "y")).Message);
        Assert.Throws<FileNotFoundException>(() => LogisticCsv.Load("/nonexistent/x.csv", "y"));
    }
}
