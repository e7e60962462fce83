using System.IO.Compression;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Reproduce.Tests.Runner;

/// <summary>A folder feed of three packages built here, so #r "nuget:" is tested without depending on
/// what nuget.org serves: Reproduce.KernelTest.Beta 0.9.0, 1.0.0 and 1.1.0-preview (a managed library;
/// the prerelease is newer than every stable version, as on nuget.org), and
/// Reproduce.KernelTest.Alpha 1.0.0, which depends on Beta ≥ 1.0.0 and carries a native library
/// (a copy of the system's zlib renamed libkerneltestz.so, in runtimes/linux-x64/native/) that its
/// code calls through [DllImport("kerneltestz")].</summary>
internal sealed class LocalNuGetFeed
{
    public const string Alpha = "Reproduce.KernelTest.Alpha";
    public const string Beta = "Reproduce.KernelTest.Beta";

    /// <summary>The system zlib the native asset is copied from.</summary>
    public const string SystemZlib = "/lib/x86_64-linux-gnu/libz.so.1";

    public LocalNuGetFeed(string root)
    {
        Root = root;
        Feed = Path.Combine(root, "feed");
        Directory.CreateDirectory(Feed);
        string build = Path.Combine(root, "build");
        Directory.CreateDirectory(build);
        foreach (var version in new[] { "0.9.0", "1.0.0", "1.1.0-preview" })
        {
            string beta = Compile(Beta, $"namespace KernelTestBeta; public static class Greeter {{ public static string Name => \"beta {version}\"; }}", [], Path.Combine(build, version));
            Pack(Beta, version, dependency: null, [("lib/net10.0/" + Beta + ".dll", beta)]);
        }
        string betaRef = Path.Combine(build, "1.0.0", Beta + ".dll");
        string alpha = Compile(Alpha, """
            using System.Runtime.InteropServices;
            public static class Alpha
            {
                public static string Hello() => "alpha+" + KernelTestBeta.Greeter.Name;
                [DllImport("kerneltestz")] private static extern System.IntPtr zlibVersion();
                public static string NativeZlib() => Marshal.PtrToStringAnsi(zlibVersion())!;
            }
            """, [betaRef], build);
        Pack(Alpha, "1.0.0", (Beta, "1.0.0"), [("lib/net10.0/" + Alpha + ".dll", alpha), ("runtimes/linux-x64/native/libkerneltestz.so", SystemZlib)]);
    }

    public string Root { get; }

    /// <summary>The folder feed (for #i "nuget: ...").</summary>
    public string Feed { get; }

    private static string Compile(string name, string source, string[] extra, string dir)
    {
        Directory.CreateDirectory(dir);
        string runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var refs = Directory.GetFiles(runtimeDir, "System*.dll").Append(Path.Combine(runtimeDir, "netstandard.dll"))
            .Where(IsManaged).Concat(extra).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(source)], refs,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        string path = Path.Combine(dir, name + ".dll");
        var result = compilation.Emit(path);
        if (!result.Success) throw new InvalidOperationException(string.Join("\n", result.Diagnostics));
        return path;
    }

    private static bool IsManaged(string path)
    {
        try { System.Reflection.AssemblyName.GetAssemblyName(path); return true; }
        catch (BadImageFormatException) { return false; }
    }

    private void Pack(string id, string version, (string Id, string Version)? dependency, (string Entry, string File)[] files)
    {
        string deps = dependency is { } d
            ? $"<dependencies><group targetFramework=\"net10.0\"><dependency id=\"{d.Id}\" version=\"{d.Version}\" /></group></dependencies>"
            : "";
        string nuspec = $"""
            <?xml version="1.0" encoding="utf-8"?>
            <package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
              <metadata><id>{id}</id><version>{version}</version><authors>tests</authors><description>A test package.</description>{deps}</metadata>
            </package>
            """;
        using var zip = ZipFile.Open(Path.Combine(Feed, $"{id}.{version}.nupkg".ToLowerInvariant()), ZipArchiveMode.Create);
        using (var w = new StreamWriter(zip.CreateEntry(id + ".nuspec").Open())) w.Write(nuspec);
        foreach (var (entry, file) in files) zip.CreateEntryFromFile(file, entry);
    }
}
