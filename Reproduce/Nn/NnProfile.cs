using System.Diagnostics;

namespace Reproduce.Nn;

/// <summary>Opt-in timing of the engine's operations per kind (the GEMMs of every <see cref="Linear"/>
/// forward and backward, attention, norms, activations, loss, embeddings, residual adds, optimizer),
/// for the step-time breakdown of <see cref="NnBench"/>. Off by default; costs two timestamps per
/// layer call when on (a few hundred per step). On an asynchronous device the times are launch
/// times, not kernel times.</summary>
public static class NnProfile
{
    /// <summary>The operation kind of the linear layers' GEMMs.</summary>
    public const string Gemm = "gemm (linear layers)";

    private static readonly Dictionary<string, long> Ticks = new(StringComparer.Ordinal);

    /// <summary>Whether timing is on.</summary>
    public static bool Enabled { get; set; }

    /// <summary>Seconds spent in linear layers since the last <see cref="Reset"/>.</summary>
    public static double GemmSeconds => Seconds(Gemm);

    /// <summary>Seconds spent in <paramref name="op"/> since the last <see cref="Reset"/>.</summary>
    public static double Seconds(string op)
    {
        lock (Ticks) return Ticks.GetValueOrDefault(op) / (double)Stopwatch.Frequency;
    }

    /// <summary>Every operation kind timed since the last <see cref="Reset"/>, with its seconds, largest first.</summary>
    public static List<(string Op, double Seconds)> All()
    {
        lock (Ticks) return Ticks.Select(kv => (kv.Key, kv.Value / (double)Stopwatch.Frequency)).OrderByDescending(t => t.Item2).ToList();
    }

    /// <summary>Zeroes the counters.</summary>
    public static void Reset() { lock (Ticks) Ticks.Clear(); }

    internal static long Start() => Enabled ? Stopwatch.GetTimestamp() : 0;

    internal static void StopGemm(long start) => Stop(Gemm, start);

    /// <summary>Adds the time since <paramref name="start"/> (from <see cref="Start"/>) to <paramref name="op"/>.</summary>
    internal static void Stop(string op, long start)
    {
        if (!Enabled) return;
        long t = Stopwatch.GetTimestamp() - start;
        lock (Ticks) Ticks[op] = Ticks.GetValueOrDefault(op) + t;
    }
}
