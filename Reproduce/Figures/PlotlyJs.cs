namespace Reproduce.Figures;

/// <summary>Finds the pinned plotly.js bundle (environment/package.json, installed by
/// <c>npm ci</c> in environment/) so standalone HTML works offline. Looked up, in order:
/// REPRODUCE_PLOTLYJS (a path to plotly.min.js), then environment/node_modules/plotly.js-dist-min/plotly.min.js
/// in the current folder or any parent, then beside the running assembly or any parent.</summary>
public static class PlotlyJs
{
    /// <summary>The version pinned in environment/package.json.</summary>
    public const string Version = "3.0.1";

    /// <summary>The CDN address of the pinned version, used when the bundle is not installed.</summary>
    public const string CdnUrl = "https://cdn.plot.ly/plotly-" + Version + ".min.js";

    private const string Relative = "environment/node_modules/plotly.js-dist-min/plotly.min.js";

    private static readonly Lazy<string?> Found = new(Locate);

    /// <summary>Path of the installed bundle, or null when <c>npm ci</c> has not been run.</summary>
    public static string? BundlePath => Found.Value;

    /// <summary>The note shown when the bundle is missing.</summary>
    public static string MissingNote =>
        $"plotly.js is not installed (run 'npm ci' in environment/); standalone HTML loads plotly.js {Version} from {CdnUrl} and needs a network connection to draw.";

    private static string? Locate()
    {
        string? env = Environment.GetEnvironmentVariable("REPRODUCE_PLOTLYJS");
        if (!string.IsNullOrEmpty(env) && File.Exists(env)) return Path.GetFullPath(env);
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string p = Path.Combine(dir.FullName, Relative);
                if (File.Exists(p)) return p;
            }
        }
        return null;
    }
}
