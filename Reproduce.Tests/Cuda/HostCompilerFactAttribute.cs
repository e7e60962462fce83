using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Cuda;

/// <summary>A fact that needs a host C++ compiler (g++ or c++ on PATH); elsewhere it reports
/// "skipped: no host C++ compiler".</summary>
public sealed class HostCompilerFactAttribute : FactAttribute
{
    public HostCompilerFactAttribute()
    {
        if (Compiler is null) Skip = OptionalParts.SkipReason(Part.HostCompiler);
    }

    /// <summary>Full path of g++ (or c++), or null.</summary>
    public static string? Compiler { get; } = Find();

    private static string? Find()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in new[] { "g++", "c++" })
            {
                var p = Path.Combine(dir, name);
                if (File.Exists(p)) return p;
            }
        return null;
    }
}
