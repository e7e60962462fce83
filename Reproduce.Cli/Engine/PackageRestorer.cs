using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Reproduce.Cli.Engine;

/// <summary>What a restore gave: the packages (requested and transitive) with their resolved
/// versions, the runtime assemblies to reference and load, and the native libraries to find.</summary>
public sealed record RestoredPackages(
    IReadOnlyList<PackageRequest> Packages, IReadOnlyList<string> Assemblies, IReadOnlyList<string> NativeLibraries, bool FromCache);

/// <summary>A package that could not be restored; the message names the packages, the sources and what to do.</summary>
public sealed class PackageRestoreException(string message) : Exception(message);

/// <summary>Restores NuGet packages the way `dotnet` does, through the machine's NuGet sources
/// (NuGet.config files, ~/.nuget/packages) plus any <c>#i</c> sources: it writes a small project
/// with one PackageReference per package into a cache folder, runs <c>dotnet restore</c> on it and
/// reads the assets file NuGet writes (obj/project.assets.json) for this runtime (net10.0 and the
/// process's runtime identifier, so native assets of runtimes/&lt;rid&gt;/native come with it).
/// The same set of packages and sources maps to the same folder, so a package restored once is
/// loaded again without running NuGet (requests without a version reuse the version found for a day).</summary>
internal sealed class PackageRestorer(string? cacheRoot = null, string? packagesFolder = null)
{
    private const string Tfm = "net10.0";

    /// <summary>How long a restore with a floating version (no version given) is reused.</summary>
    public static readonly TimeSpan FloatingReuse = TimeSpan.FromDays(1);

    /// <summary>REPRODUCE_NUGET_CACHE, else $XDG_CACHE_HOME/reproduce/nuget (~/.cache/reproduce/nuget).</summary>
    public string CacheRoot { get; } = cacheRoot ?? DefaultCacheRoot();

    public static string DefaultCacheRoot()
    {
        if (Environment.GetEnvironmentVariable("REPRODUCE_NUGET_CACHE") is { Length: > 0 } env) return Path.GetFullPath(env);
        var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = string.IsNullOrEmpty(xdg) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache") : xdg;
        return Path.Combine(root, "reproduce", "nuget");
    }

    public static string Rid => RuntimeInformation.RuntimeIdentifier;

    /// <summary>How many times this restorer ran <c>dotnet restore</c> (cache hits do not).</summary>
    public int RestoreRuns => _runs;

    private int _runs;

    /// <summary>Restores <paramref name="packages"/> (all of a session's, so versions unify as in one
    /// project) with the extra <paramref name="sources"/>.</summary>
    public RestoredPackages Restore(IReadOnlyList<PackageRequest> packages, IReadOnlyList<string> sources, TimeSpan? timeout = null)
    {
        string dir = Path.Combine(CacheRoot, Key(packages, sources.Append(packagesFolder ?? "").ToList()));
        string assets = Path.Combine(dir, "obj", "project.assets.json");
        bool floating = packages.Any(p => p.Version is null);
        if (File.Exists(assets) && (!floating || DateTime.UtcNow - File.GetLastWriteTimeUtc(assets) < FloatingReuse))
        {
            var cached = TryRead(assets, fromCache: true);
            if (cached is not null) return cached;
        }
        Directory.CreateDirectory(dir);
        // Empty Directory.Build.props/Directory.Packages.props stop MSBuild from importing those of a
        // folder above the cache (central package management would reject the versions).
        File.WriteAllText(Path.Combine(dir, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(dir, "Directory.Packages.props"), "<Project />\n");
        string project = Path.Combine(dir, "packages.csproj");
        File.WriteAllText(project, ProjectXml(packages, sources, packagesFolder));
        Interlocked.Increment(ref _runs);
        var (exit, output) = RunRestore(project, timeout ?? TimeSpan.FromMinutes(5));
        if (exit != 0 || !File.Exists(assets))
            throw new PackageRestoreException(FailureMessage(packages, sources, output));
        return TryRead(assets, fromCache: false)
            ?? throw new PackageRestoreException($"NuGet restored {string.Join("; ", packages)} but a file it listed in {assets} is missing; delete {dir} and run the cell again.");
    }

    private static string Key(IReadOnlyList<PackageRequest> packages, IReadOnlyList<string> sources)
    {
        var text = new StringBuilder().Append(Tfm).Append('|').Append(Rid).Append('\n');
        foreach (var p in packages.OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase))
            text.Append(p.Name.ToLowerInvariant()).Append('|').Append(p.Version ?? "*").Append('\n');
        foreach (var s in sources) text.Append("source|").Append(s).Append('\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16].ToLowerInvariant();
    }

    private static string ProjectXml(IReadOnlyList<PackageRequest> packages, IReadOnlyList<string> sources, string? packagesFolder)
    {
        var props = new XElement("PropertyGroup",
            new XElement("TargetFramework", Tfm),
            new XElement("RuntimeIdentifier", Rid),
            new XElement("UseAppHost", "false"),
            new XElement("EnableDefaultItems", "false"),
            new XElement("NuGetAudit", "false"));
        // A folder of its own instead of ~/.nuget/packages (tests keep their packages apart).
        if (packagesFolder is not null) props.Add(new XElement("RestorePackagesPath", packagesFolder));
        if (sources.Count > 0) props.Add(new XElement("RestoreAdditionalProjectSources", string.Join(';', sources)));
        var items = new XElement("ItemGroup", packages.Select(p =>
            new XElement("PackageReference", new XAttribute("Include", p.Name), new XAttribute("Version", p.Version ?? "*"))));
        return new XDocument(new XElement("Project", new XAttribute("Sdk", "Microsoft.NET.Sdk"), props, items)).ToString() + "\n";
    }

    private static (int Exit, string Output) RunRestore(string project, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(DotnetHost(), ["restore", project, "--nologo", "-nodeReuse:false", "--disable-build-servers"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        using var proc = Process.Start(psi) ?? throw new PackageRestoreException("could not start 'dotnet restore'; is the .NET SDK installed?");
        proc.StandardInput.Close();
        var stdout = proc.StandardOutput.ReadToEndAsync();
        var stderr = proc.StandardError.ReadToEndAsync();
        if (!proc.WaitForExit(timeout))
        {
            try { proc.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new PackageRestoreException($"'dotnet restore' did not finish within {timeout.TotalSeconds:0} s (a NuGet source may be unreachable); run the cell again, or check the sources with 'dotnet nuget list source'.");
        }
        return (proc.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The dotnet host: DOTNET_HOST_PATH (set by the SDK), this process when it is dotnet,
    /// DOTNET_ROOT/dotnet, else dotnet from PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
        if (Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet") return p;
        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(Path.Combine(root, "dotnet"))) return Path.Combine(root, "dotnet");
        return "dotnet";
    }

    private static string FailureMessage(IReadOnlyList<PackageRequest> packages, IReadOnlyList<string> sources, string output)
    {
        // NuGet's own diagnostics (NU1101 unknown id, NU1102 no such version, NU1301 unreachable
        // source) name the sources it tried; pass them on, once each, without the project path.
        var nu = output.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Contains("error NU", StringComparison.Ordinal) || l.Contains("warning NU1301", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, "^.*?: (error|warning) ", "$1 "))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, " \\[[^\\]]*packages\\.csproj\\]$", ""))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (nu.Count == 0) nu = output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).TakeLast(10).ToList();
        var sb = new StringBuilder();
        sb.Append("Could not restore ").Append(string.Join("; ", packages.Select(p => p.Version is null ? $"{p.Name} (newest version)" : $"{p.Name} version {p.Version}")));
        sb.Append(" from the machine's NuGet sources (see 'dotnet nuget list source')");
        if (sources.Count > 0) sb.Append(" and ").Append(string.Join(", ", sources));
        sb.Append(". NuGet said:\n  ").Append(string.Join("\n  ", nu));
        sb.Append("\nCheck the package name and version (nuget.org lists them), or add the feed that has it with #i \"nuget: <feed URL or folder>\" above the #r line.");
        return sb.ToString();
    }

    /// <summary>Reads the assets file; null when a listed file is missing (the cache is stale).</summary>
    private static RestoredPackages? TryRead(string assetsFile, bool fromCache)
    {
        JsonNode root;
        try { root = JsonNode.Parse(File.ReadAllText(assetsFile))!; }
        catch (System.Text.Json.JsonException) { return null; }
        var folders = root["packageFolders"]?.AsObject().Select(kv => kv.Key).ToList() ?? [];
        if (root["targets"]?[$"{Tfm}/{Rid}"] is not JsonObject target) return null;
        var libraries = root["libraries"]!.AsObject();
        var packages = new List<PackageRequest>();
        var assemblies = new List<string>();
        var natives = new List<string>();
        foreach (var (key, lib) in target)
        {
            if (lib?["type"]?.GetValue<string>() != "package") continue;
            int slash = key.IndexOf('/', StringComparison.Ordinal);
            packages.Add(new PackageRequest(key[..slash], key[(slash + 1)..]));
            string? relative = libraries[key]?["path"]?.GetValue<string>();
            string? dir = relative is null ? null : folders.Select(f => Path.Combine(f, relative)).FirstOrDefault(Directory.Exists);
            if (dir is null) return null;
            foreach (var (asset, list) in new[] { ("runtime", assemblies), ("native", natives) })
            {
                if (lib[asset] is not JsonObject files) continue;
                foreach (var (file, _) in files)
                {
                    if (file.EndsWith("/_._", StringComparison.Ordinal)) continue; // "nothing for this framework"
                    string full = Path.GetFullPath(Path.Combine(dir, file));
                    if (!File.Exists(full)) return null;
                    list.Add(full);
                }
            }
        }
        return new RestoredPackages(packages, assemblies, natives, fromCache);
    }
}
