using System.Runtime.InteropServices;
using Reproduce.Cli.Engine;

namespace Reproduce.Tests.Runner;

/// <summary>#r "nuget:" and #i "nuget:" through the real `dotnet restore`, on a folder feed built by
/// <see cref="LocalNuGetFeed"/> (the machine's own sources are consulted too, as in a notebook).</summary>
[Collection("Runner")]
public sealed partial class NuGetPackageTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "reproduce-nuget-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly LocalNuGetFeed feed;

    public NuGetPackageTests() => feed = new LocalNuGetFeed(root);

    public void Dispose()
    {
        try { Directory.Delete(root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private ExecutionSession Session(PackageRestorer restorer) => new(root) { Restorer = restorer };

    private PackageRestorer Restorer() => new(Path.Combine(root, "cache"), Path.Combine(root, "packages"));

    private static object? Result(CellResult r) => r.Outputs.OfType<DisplayOutput>().SingleOrDefault(d => d.IsResult)?.Value;

    // The oracle for the native asset: the same zlib, called directly by its system name.
    [LibraryImport("libz.so.1", EntryPoint = "zlibVersion")]
    private static partial IntPtr SystemZlibVersion();

    [Fact]
    public async Task A_package_loads_with_its_dependency_and_native_library_and_comes_from_the_cache_next_time()
    {
        var restorer = Restorer();
        using (var s = Session(restorer))
        {
            var r = await s.ExecuteAsync($"#i \"nuget: {feed.Feed}\"\n#r \"nuget: {LocalNuGetFeed.Alpha}, 1.0.0\"\nAlpha.Hello()", "cell 1");
            Assert.True(r.Succeeded, r.Error?.EValue);
            // Beta came in as Alpha's dependency, in the version Alpha asks for (not the older 0.9.0).
            Assert.Equal("alpha+beta 1.0.0", Result(r));
            var installed = DisplayBundle.Of(r.Outputs.OfType<DisplayOutput>().First(d => !d.IsResult).Value)["text/plain"]!.GetValue<string>();
            Assert.Contains($"{LocalNuGetFeed.Alpha}, 1.0.0", installed);
            Assert.Equal("1.0.0", s.Packages[LocalNuGetFeed.Beta]);

            var native = await s.ExecuteAsync("Alpha.NativeZlib()", "cell 2");
            Assert.True(native.Succeeded, native.Error?.EValue);
            Assert.Equal(Marshal.PtrToStringAnsi(SystemZlibVersion()), Result(native));
        }
        Assert.Equal(1, restorer.RestoreRuns);

        // A new session asking for the same package: no NuGet run, same result.
        using var again = Session(restorer);
        var second = await again.ExecuteAsync($"#i \"nuget: {feed.Feed}\"\n#r \"nuget: {LocalNuGetFeed.Alpha}, 1.0.0\"\nAlpha.Hello()", "cell 1");
        Assert.True(second.Succeeded, second.Error?.EValue);
        Assert.Equal("alpha+beta 1.0.0", Result(second));
        Assert.Equal(1, restorer.RestoreRuns);
    }

    /// <summary>As in .NET Interactive, no version means the newest stable one: 1.0.0, not the older
    /// 0.9.0 nor the newer prerelease 1.1.0-preview.</summary>
    [Fact]
    public async Task Without_a_version_the_newest_stable_version_is_restored()
    {
        using var s = Session(Restorer());
        var r = await s.ExecuteAsync($"#i \"nuget: {feed.Feed}\"\n#r \"nuget: {LocalNuGetFeed.Beta}\"", "cell 1");
        Assert.True(r.Succeeded, r.Error?.EValue);
        Assert.Equal("1.0.0", s.Packages[LocalNuGetFeed.Beta]);
    }

    [Fact]
    public async Task Bad_package_references_are_errors_that_say_what_to_do_and_the_session_goes_on()
    {
        using var s = Session(Restorer());
        var unknown = await s.ExecuteAsync($"#i \"nuget: {feed.Feed}\"\n#r \"nuget: Reproduce.KernelTest.NoSuchPackage, 1.0.0\"", "cell 1");
        Assert.False(unknown.Succeeded);
        Assert.Equal("PackageRestoreError", unknown.Error!.EName);
        Assert.Contains("Reproduce.KernelTest.NoSuchPackage version 1.0.0", unknown.Error.EValue);
        Assert.Contains("NU1101", unknown.Error.EValue); // NuGet's "no package with this id", naming the sources
        Assert.Contains(feed.Feed, unknown.Error.EValue);
        Assert.Contains("#i \"nuget:", unknown.Error.EValue);

        var version = await s.ExecuteAsync($"#r \"nuget: {LocalNuGetFeed.Beta}, 7.7.7\"", "cell 2");
        Assert.Equal("PackageRestoreError", version.Error!.EName);
        Assert.Contains("NU1102", version.Error.EValue); // no such version; NuGet lists the nearest one
        Assert.Contains("7.7.7", version.Error.EValue);

        var malformed = await s.ExecuteAsync("#r \"nuget: \"", "cell 3");
        Assert.Equal("NuGetDirectiveError", malformed.Error!.EName);
        var folder = await s.ExecuteAsync("#i \"nuget: no/such/folder\"", "cell 4");
        Assert.Equal("NuGetSourceError", folder.Error!.EName);

        var after = await s.ExecuteAsync("1 + 1", "cell 5");
        Assert.True(after.Succeeded);
        Assert.Equal(2, Result(after));
    }

    [Fact]
    public void Directives_are_parsed_and_blanked_keeping_line_numbers()
    {
        var p = NuGetDirectives.Parse("#r \"nuget: A.B, 1.2.3\"\n  #r \"nuget:C\"\r\n#i \"nuget: https://feed/v3/index.json\"\nint x = 1;\n#r \"other.dll\"");
        Assert.Null(p.Problem);
        Assert.Equal([new PackageRequest("A.B", "1.2.3"), new PackageRequest("C", null)], p.Packages);
        Assert.Equal(["https://feed/v3/index.json"], p.Sources);
        Assert.Equal("\n\r\n\nint x = 1;\n#r \"other.dll\"", p.Code);
        Assert.NotNull(NuGetDirectives.Parse("#r \"nuget: A, 1, 2\"").Problem);
        Assert.NotNull(NuGetDirectives.Parse("#r \"nuget: A B\"").Problem);
    }
}
