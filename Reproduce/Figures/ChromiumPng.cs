using System.Diagnostics;

namespace Reproduce.Figures;

/// <summary>Renders a standalone figure page to PNG with headless Chromium (when /usr/bin/chromium
/// or REPRODUCE_CHROMIUM exists). Chromium runs with a fresh profile, no network services, no
/// sandbox (containers), and a time limit.</summary>
public static class ChromiumPng
{
    /// <summary>The browser executable, or null when none is installed.</summary>
    public static string? Executable
    {
        get
        {
            string? env = Environment.GetEnvironmentVariable("REPRODUCE_CHROMIUM");
            if (!string.IsNullOrEmpty(env)) return File.Exists(env) ? env : null;
            foreach (var p in new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" })
                if (File.Exists(p)) return p;
            return null;
        }
    }

    /// <summary>The note shown when Chromium is missing.</summary>
    public const string MissingNote = "PNG skipped: Chromium is not installed (apt-get install chromium); JSON, HTML and CSV were written.";

    /// <summary>Renders <paramref name="html"/> to <paramref name="pngPath"/> (atomically). Returns null on success, else why it failed.</summary>
    public static string? Render(string html, string pngPath, int width, int height, int timeoutSeconds = 90)
    {
        string? exe = Executable;
        if (exe is null) return MissingNote;
        string work = Path.Combine(Path.GetTempPath(), "reproduce-png-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            string page = Path.Combine(work, "figure.html");
            File.WriteAllText(page, html);
            string shot = Path.Combine(work, "figure.png");
            var psi = new ProcessStartInfo(exe)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var a in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--hide-scrollbars", "--virtual-time-budget=10000",
                "--user-data-dir=" + Path.Combine(work, "profile"),
                $"--window-size={width},{height}",
                "--screenshot=" + shot,
                new Uri(page).AbsoluteUri,
            }) psi.ArgumentList.Add(a);
            using var proc = Process.Start(psi)!;
            var stderr = proc.StandardError.ReadToEndAsync();
            _ = proc.StandardOutput.ReadToEndAsync();
            if (!proc.WaitForExit(timeoutSeconds * 1000))
            {
                try { proc.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                return $"Chromium did not finish within {timeoutSeconds} s.";
            }
            if (!File.Exists(shot) || new FileInfo(shot).Length == 0)
                return $"Chromium exited with code {proc.ExitCode} without a screenshot: {Tail(stderr.Result)}";
            AtomicFile.WriteAllBytes(pngPath, File.ReadAllBytes(shot));
            return null;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static string Tail(string s)
    {
        var lines = s.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(" | ", lines.TakeLast(3));
    }
}
