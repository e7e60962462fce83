using Reproduce.Figures;

namespace Reproduce.Tests.Figures;

/// <summary>A test that needs headless Chromium: reported as skipped, with the reason and the
/// install command, where it is absent. The one place that decides (switch it to the shared
/// optional-part helper when there is one).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (ChromiumPng.Executable is null)
            Skip = "skipped: Chromium is not installed (apt-get install chromium, or set REPRODUCE_CHROMIUM)";
    }
}
