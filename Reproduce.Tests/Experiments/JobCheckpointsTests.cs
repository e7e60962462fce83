using Reproduce.Compute;
using Reproduce.Experiments;
using Xunit;

namespace Reproduce.Tests.Experiments;

public class JobCheckpointsTests
{
    private static RunContext Context(string? dir, ulong seed = 7, Scale scale = Scale.Smoke) =>
        new RunContext(scale, seed, Device.Cpu).WithCheckpoints(dir);

    [Fact]
    public void NoFolderKeepsNothing()
    {
        Assert.Null(JobCheckpoints.For(Context(null), "paper/figure", "key"));
    }

    [Fact]
    public void SavedValuesComeBackExactlyAndOnlyForTheSameWork()
    {
        var dir = Directory.CreateTempSubdirectory("checkpoints").FullName;
        try
        {
            double[] values = [1.5, -0.0, double.Epsilon, Math.PI, 1e300];
            JobCheckpoints.For(Context(dir), "paper/figure", "key")!.Save("job-3", values);

            var again = JobCheckpoints.For(Context(dir), "paper/figure", "key")!;
            var back = again.Load("job-3");
            Assert.NotNull(back);
            Assert.Equal(values.Select(BitConverter.DoubleToInt64Bits), back!.Select(BitConverter.DoubleToInt64Bits));
            Assert.Null(again.Load("job-4"));

            // Another description of the work, another seed, another scale or another experiment: not found.
            Assert.Null(JobCheckpoints.For(Context(dir), "paper/figure", "key2")!.Load("job-3"));
            Assert.Null(JobCheckpoints.For(Context(dir, seed: 8), "paper/figure", "key")!.Load("job-3"));
            Assert.Null(JobCheckpoints.For(Context(dir, scale: Scale.Paper), "paper/figure", "key")!.Load("job-3"));
            Assert.Null(JobCheckpoints.For(Context(dir), "paper/other", "key")!.Load("job-3"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void AFileCutShortIsIgnoredAndANameWithAFolderIsRejected()
    {
        var dir = Directory.CreateTempSubdirectory("checkpoints").FullName;
        try
        {
            var c = JobCheckpoints.For(Context(dir), "paper/figure", "key")!;
            c.Save("job-0", [1, 2, 3]);
            var file = Path.Combine(c.Folder, "job-0.f64");
            var bytes = File.ReadAllBytes(file);
            File.WriteAllBytes(file, bytes[..^4]);   // a run killed mid-write without the rename would leave this
            Assert.Null(c.Load("job-0"));
            Assert.Throws<ArgumentException>(() => c.Save("../job", [1]));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void DigestChangesWithOneBit()
    {
        double[] a = [1, 2, 3];
        double[] b = [1, 2, BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(3) ^ 1)];
        Assert.Equal(JobCheckpoints.Digest(a), JobCheckpoints.Digest([1, 2, 3]));
        Assert.NotEqual(JobCheckpoints.Digest(a), JobCheckpoints.Digest(b));
    }
}
