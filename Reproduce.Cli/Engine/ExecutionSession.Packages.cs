using System.Net;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Reproduce.Cli.Engine;

/// <summary>The session's NuGet packages (<c>#r "nuget:"</c>, <c>#i "nuget:"</c>): every package
/// asked for so far is restored together (versions unify as in one project), and the runtime
/// assemblies not yet referenced are added to the next submission (Roslyn then loads them, and their
/// dependencies, from where NuGet put them).</summary>
public sealed partial class ExecutionSession
{
    private readonly List<PackageRequest> _packages = [];
    private readonly List<string> _sources = [];
    private readonly HashSet<string> _referenced = new(StringComparer.Ordinal);
    private readonly List<MetadataReference> _pendingReferences = [];

    /// <summary>Restores packages; tests point it at their own cache.</summary>
    internal PackageRestorer Restorer { get; init; } = new();

    /// <summary>The packages restored in this session (requested and transitive), name → version.</summary>
    public IReadOnlyDictionary<string, string> Packages => _restored;

    private readonly Dictionary<string, string> _restored = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Handles the cell's package directives; returns the code without them, or an error.</summary>
    private (string Code, CellOutput? Error) ApplyPackageDirectives(string code, string cellLabel, OutputCollector collector)
    {
        var parsed = NuGetDirectives.Parse(code);
        if (parsed.Problem is { } problem) return (code, Error("NuGetDirectiveError", $"{cellLabel}, {problem}"));
        if (parsed.Packages.Count == 0 && parsed.Sources.Count == 0) return (parsed.Code, null);
        foreach (var s in parsed.Sources)
        {
            string source = s.Contains("://", StringComparison.Ordinal) ? s : _resolver.FullPath(s);
            if (!source.Contains("://", StringComparison.Ordinal) && !Directory.Exists(source))
                return (code, Error("NuGetSourceError", $"{cellLabel}: the NuGet source folder '{s}' does not exist (looked for {source}). Give a feed URL or an existing folder of .nupkg files."));
            if (!_sources.Contains(source, StringComparer.Ordinal)) _sources.Add(source);
        }
        if (parsed.Packages.Count == 0) return (parsed.Code, null);

        var all = new List<PackageRequest>(_packages);
        foreach (var p in parsed.Packages)
        {
            int i = all.FindIndex(q => string.Equals(q.Name, p.Name, StringComparison.OrdinalIgnoreCase));
            if (i < 0) { all.Add(p); continue; }
            if (p.Version is null || p.Version == all[i].Version) continue;
            if (_restored.TryGetValue(p.Name, out var loaded))
                return (code, Error("PackageVersionConflict", $"{cellLabel}: {p.Name} version {loaded} is already loaded in this session, so version {p.Version} cannot be. Restart the kernel and ask for the version you want in the first #r."));
            all[i] = p;
        }
        RestoredPackages restored;
        try
        {
            restored = Restorer.Restore(all, _sources);
        }
        catch (PackageRestoreException e)
        {
            return (code, Error("PackageRestoreError", $"{cellLabel}: {e.Message}"));
        }
        _packages.Clear();
        _packages.AddRange(all);
        foreach (var p in restored.Packages) _restored[p.Name] = p.Version!;

        var host = HostAssemblies.Value;
        foreach (var path in restored.Assemblies)
        {
            // An assembly the host already has (the framework, Roslyn, the formatting library) binds
            // to the host's copy: two copies of one assembly would give two incompatible types.
            string file = host.TryGetValue(Path.GetFileName(path), out var hostPath) ? hostPath : path;
            if (_referenced.Add(file) && !IsDefaultReference(file)) _pendingReferences.Add(Reference(file));
        }
        PackageAssets.Add(restored.NativeLibraries, restored.Assemblies);
        collector.Add(new DisplayOutput(InstalledPackages(parsed.Packages), IsResult: false));
        return (parsed.Code, null);
    }

    private HtmlString InstalledPackages(IEnumerable<PackageRequest> requested)
    {
        var names = requested.Select(p => (p.Name, Version: _restored.TryGetValue(p.Name, out var v) ? v : p.Version ?? "?")).ToList();
        var html = new StringBuilder("<div><strong>Installed Packages</strong><ul>");
        foreach (var (n, v) in names) html.Append("<li><span>").Append(WebUtility.HtmlEncode(n)).Append(", ").Append(WebUtility.HtmlEncode(v)).Append("</span></li>");
        html.Append("</ul></div>");
        var text = "Installed Packages\n" + string.Concat(names.Select(p => $"  • {p.Name}, {p.Version}\n"));
        return new HtmlString(html.ToString(), text.TrimEnd('\n'));
    }

    private static ErrorOutput Error(string ename, string message) => new(ename, message, [$"{ename}: {message}"]);

    private static bool IsDefaultReference(string path) =>
        DefaultReferences.Value.OfType<PortableExecutableReference>().Any(r => string.Equals(r.FilePath, path, StringComparison.Ordinal));

    /// <summary>File name → path of every assembly on the host's trusted platform list.</summary>
    private static readonly Lazy<Dictionary<string, string>> HostAssemblies = new(() =>
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string tpa = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        foreach (var p in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)) map.TryAdd(Path.GetFileName(p), p);
        return map;
    });
}
