using System.Runtime.InteropServices;

namespace Reproduce.LinearProgramming;

/// <summary>Diagnostics of the LP solvers (REPRODUCE_LP_TRACE=1): timings in the calling thread's CPU time, which,
/// unlike wall time, is not inflated when other processes share the cores.</summary>
internal static partial class LpTrace
{
    /// <summary>True when REPRODUCE_LP_TRACE=1.</summary>
    public static readonly bool Enabled = Environment.GetEnvironmentVariable("REPRODUCE_LP_TRACE") == "1";

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Seconds, Nanoseconds; }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec t);

    private const int ThreadCpuClock = 3; // CLOCK_THREAD_CPUTIME_ID on Linux

    /// <summary>The thread's CPU time in nanoseconds (0 when tracing is off or the clock is unavailable).</summary>
    public static long Now()
    {
        if (!Enabled || !OperatingSystem.IsLinux()) return 0;
        return ClockGetTime(ThreadCpuClock, out var t) == 0 ? t.Seconds * 1_000_000_000L + t.Nanoseconds : 0;
    }

    /// <summary>Milliseconds of thread CPU time since <paramref name="start"/> (a <see cref="Now"/> value).</summary>
    public static double MsSince(long start) => (Now() - start) / 1e6;

    /// <summary>The process's minor page faults so far (0 when tracing is off or /proc is unavailable): on a virtual
    /// machine the first touch of a fresh page costs ~10 µs, so the memory a solve touches is part of its time.</summary>
    public static long Faults()
    {
        if (!Enabled || !OperatingSystem.IsLinux()) return 0;
        try { return long.Parse(File.ReadAllText("/proc/self/stat").Split(')')[^1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[7]); }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException) { return 0; }
    }

    /// <summary>"12.3 ms, 456 faults" since a <see cref="Now"/> / <see cref="Faults"/> pair.</summary>
    public static string Since(long start, long faults0) => $"{MsSince(start):F1} ms, {Faults() - faults0} faults";

    /// <summary>Milliseconds of an accumulated <see cref="Now"/> difference.</summary>
    public static double Ms(long nanos) => nanos / 1e6;
}
