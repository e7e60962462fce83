using System.Diagnostics;

namespace Reproduce.Nn;

/// <summary>Opt-in timing of the engine's GEMMs (every <see cref="Linear"/> forward and backward),
/// for the step-time breakdown of <see cref="NnBench"/>. Off by default; costs two timestamps per
/// linear call when on. On an asynchronous device the times are launch times, not kernel times.</summary>
public static class NnProfile
{
    private static long _gemmTicks;

    /// <summary>Whether timing is on.</summary>
    public static bool Enabled { get; set; }

    /// <summary>Seconds spent in linear layers since the last <see cref="Reset"/>.</summary>
    public static double GemmSeconds => Interlocked.Read(ref _gemmTicks) / (double)Stopwatch.Frequency;

    /// <summary>Zeroes the counters.</summary>
    public static void Reset() => Interlocked.Exchange(ref _gemmTicks, 0);

    internal static long Start() => Enabled ? Stopwatch.GetTimestamp() : 0;

    internal static void StopGemm(long start) { if (Enabled) Interlocked.Add(ref _gemmTicks, Stopwatch.GetTimestamp() - start); }
}
