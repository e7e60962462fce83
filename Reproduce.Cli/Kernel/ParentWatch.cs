using System.Globalization;

namespace Reproduce.Cli.Kernel;

/// <summary>Stops an orphaned kernel: when the client that started it (JPY_PARENT_PID, which
/// jupyter_client sets) dies, or the kernel is re-parented (its parent process died), the kernel
/// shuts down as for a shutdown_request, as ipykernel's parent poller does. Without it a kernel
/// whose client was killed kept running forever.</summary>
internal static class ParentWatch
{
    /// <summary>How often the parent is checked.</summary>
    public static TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Starts the watch when JPY_PARENT_PID names a process; <paramref name="orphaned"/>
    /// runs once, with the reason, on the watch thread.</summary>
    public static void Start(TextWriter log, Action<string> orphaned)
    {
        string? env = Environment.GetEnvironmentVariable("JPY_PARENT_PID");
        if (!int.TryParse(env, NumberStyles.None, CultureInfo.InvariantCulture, out int parent) || parent <= 1) return;
        int? firstPpid = OwnParentPid();
        var thread = new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(Interval);
                string? reason = null;
                if (!IsAlive(parent)) reason = $"the client process {parent} (JPY_PARENT_PID) is gone";
                else if (OwnParentPid() is { } now && firstPpid is { } first && now != first && now != parent)
                    reason = $"the kernel's parent process {first} is gone";
                if (reason is null) continue;
                log.WriteLine($"[reproduce kernel] {reason}; shutting down.");
                orphaned(reason);
                return;
            }
        }) { IsBackground = true, Name = "jupyter-parent-watch" };
        thread.Start();
    }

    /// <summary>True while the process exists and is not a zombie (a dead process not yet reaped).</summary>
    internal static bool IsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            string stat;
            try { stat = File.ReadAllText($"/proc/{pid}/stat"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
            // "pid (comm) S ...": the state letter follows the last ')'; comm may contain ')'.
            int close = stat.LastIndexOf(')');
            return close < 0 || close + 2 >= stat.Length || stat[close + 2] is not ('Z' or 'X');
        }
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return e is System.ComponentModel.Win32Exception; // no right to ask: it exists
        }
    }

    /// <summary>This process's parent pid (Linux /proc; null elsewhere).</summary>
    private static int? OwnParentPid()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            string stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
