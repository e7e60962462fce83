using Reproduce.Compute;

namespace Reproduce.Serving;

/// <summary>Runs a grid of (point, k, repeat) simulations in parallel; each job builds its own
/// workload from its own random stream, so results do not depend on thread timing.</summary>
internal static class KlpmSweep
{
    internal sealed record Job(int Point, int KIndex, int Repeat);

    /// <summary>Runs <paramref name="run"/> for every job on up to <see cref="Environment.ProcessorCount"/> threads.</summary>
    internal static T[,,] Grid<T>(int points, int ks, int repeats, Func<Job, T> run)
    {
        var result = new T[points, ks, repeats];
        var jobs = new List<Job>();
        for (int p = 0; p < points; p++) for (int k = 0; k < ks; k++) for (int r = 0; r < repeats; r++) jobs.Add(new Job(p, k, r));
        Parallel.ForEach(jobs, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) },
            j => result[j.Point, j.KIndex, j.Repeat] = run(j));
        return result;
    }

    internal static double Mean(IEnumerable<double> xs) => xs.Average();

    internal static double Sd(IReadOnlyCollection<double> xs)
    {
        if (xs.Count < 2) return 0;
        double m = xs.Average();
        return Math.Sqrt(xs.Sum(x => (x - m) * (x - m)) / (xs.Count - 1));
    }

    internal static double[] Slice<T>(T[,,] g, int p, int k, Func<T, double> f)
    {
        int r = g.GetLength(2);
        var a = new double[r];
        for (int i = 0; i < r; i++) a[i] = f(g[p, k, i]);
        return a;
    }

    internal static Rng Stream(Reproduce.Experiments.RunContext ctx, int repeat, string purpose) => ctx.Rng($"repeat/{repeat}").Fork(purpose);
}
