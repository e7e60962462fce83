using System.Text;

namespace Reproduce.Figures;

/// <summary>The pinned plotly.js bundle, shipped inside the library as a resource
/// (Figures/Assets/plotly.min.js; provenance and licence in Figures/Assets/README.md), so every
/// figure draws offline without npm or network. Pages load it from a CDN only when the user asks,
/// with REPRODUCE_PLOTLY_CDN=1.</summary>
public static class PlotlyJs
{
    /// <summary>The pinned version (also in environment/package.json).</summary>
    public const string Version = "3.0.1";

    /// <summary>The CDN address of the pinned version, used only when <see cref="UseCdn"/> is on.</summary>
    public const string CdnUrl = "https://cdn.plot.ly/plotly-" + Version + ".min.js";

    /// <summary>File name of the one shared copy written beside committed figure pages.</summary>
    public const string FileName = "plotly-" + Version + ".min.js";

    /// <summary>Environment variable that makes pages load plotly.js from <see cref="CdnUrl"/> instead of carrying it.</summary>
    public const string CdnVariable = "REPRODUCE_PLOTLY_CDN";

    private static readonly Lazy<string> Text = new(() => Resource("Reproduce.Figures.plotly.min.js"));

    /// <summary>The bundle's source text (about 4.6 MB).</summary>
    public static string Source => Text.Value;

    /// <summary>True when the user asked for CDN loading (REPRODUCE_PLOTLY_CDN=1).</summary>
    public static bool UseCdn => Environment.GetEnvironmentVariable(CdnVariable) is "1" or "true";

    /// <summary>Writes the shared copy <see cref="FileName"/> into <paramref name="folder"/> (atomically,
    /// only when missing or different) and returns its path.</summary>
    public static string WriteSharedCopy(string folder)
    {
        string path = Path.Combine(folder, FileName);
        byte[] bytes = Encoding.UTF8.GetBytes(Source);
        if (!File.Exists(path) || new FileInfo(path).Length != bytes.Length || !File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
            AtomicFile.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>An embedded text resource of this library.</summary>
    internal static string Resource(string name)
    {
        using var s = typeof(PlotlyJs).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The library was built without its resource '{name}' (Reproduce/Figures/Assets). Rebuild Reproduce.csproj.");
        using var r = new StreamReader(s, Encoding.UTF8);
        return r.ReadToEnd();
    }
}
