using Reproduce.Compute;
using Reproduce.Data;
using Reproduce.Sketching;
using Xunit.Abstractions;
namespace Reproduce.Tests.Sketching;
public class TimingProbe(ITestOutputHelper o)
{
    [Fact]
    public void Probe()
    {
        var ds = GaussianMixture.Generate(2000, 50, 5, 1.0, new Rng(1));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var c = new Rng(2).NormalMatrix(5, 50);
        for (int i = 0; i < 20; i++) KMeans.Assign(ds.Points, c);
        o.WriteLine($"assign x20 {sw.ElapsedMilliseconds} ms"); sw.Restart();
        for (int i = 0; i < 20; i++) KMeans.Centroids(ds.Points, ds.Labels, 5, out _);
        o.WriteLine($"centroids x20 {sw.ElapsedMilliseconds} ms"); sw.Restart();
        var r = new LloydKMeans(5).Fit(ds.Points, new Rng(3));
        o.WriteLine($"lloyd {sw.ElapsedMilliseconds} ms, iters {r.Iterations}"); sw.Restart();
    }
}
