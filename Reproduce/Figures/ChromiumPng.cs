namespace Reproduce.Figures;

/// <summary>Where headless Chromium is (REPRODUCE_CHROMIUM, else /usr/bin/chromium or
/// /usr/bin/chromium-browser) and what to say when it is not; <see cref="ChromiumRenderer"/> draws.</summary>
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
    public const string MissingNote = "PNG skipped: Chromium is not installed (apt-get install chromium, or set REPRODUCE_CHROMIUM to a Chromium executable); JSON, HTML and CSV were written.";
}
