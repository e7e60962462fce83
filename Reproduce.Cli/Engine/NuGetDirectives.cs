using System.Text.RegularExpressions;

namespace Reproduce.Cli.Engine;

/// <summary>A package a cell asked for with <c>#r "nuget: Name, Version"</c>; a null
/// <see cref="Version"/> means the newest stable one (NuGet's floating version <c>*</c>).</summary>
public sealed record PackageRequest(string Name, string? Version)
{
    public override string ToString() => Version is null ? Name : $"{Name}, {Version}";
}

/// <summary>.NET Interactive's package directives in a cell: <c>#r "nuget: Name, Version"</c> (version
/// optional) and <c>#i "nuget: source"</c> (a feed URL or a local folder, added to the machine's NuGet
/// sources). They are taken out of the code (replaced by empty lines, so line numbers in errors stay
/// those of the cell) before Roslyn sees it, since Roslyn would read them as file references.</summary>
internal static partial class NuGetDirectives
{
    /// <summary>The packages, the extra sources, the code without the directives, and a problem
    /// (a malformed directive) to report instead of running the cell.</summary>
    public sealed record Parsed(IReadOnlyList<PackageRequest> Packages, IReadOnlyList<string> Sources, string Code, string? Problem);

    public static Parsed Parse(string code)
    {
        if (!code.Contains("nuget:", StringComparison.OrdinalIgnoreCase)) return new Parsed([], [], code, null);
        var packages = new List<PackageRequest>();
        var sources = new List<string>();
        string? problem = null;
        var lines = code.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var m = Directive().Match(lines[i]);
            if (!m.Success) continue;
            string kind = m.Groups[1].Value.ToLowerInvariant(), body = m.Groups[2].Value.Trim();
            lines[i] = lines[i].EndsWith('\r') ? "\r" : "";
            if (kind == "i")
            {
                if (body.Length == 0) problem ??= $"line {i + 1}: #i \"nuget:\" names no source. Write #i \"nuget: https://my.feed/v3/index.json\" or #i \"nuget: /path/to/folder\".";
                else sources.Add(body);
                continue;
            }
            var parts = body.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length > 2 || parts[0].Length == 0 || !PackageId().IsMatch(parts[0]) || (parts.Length == 2 && parts[1].Length == 0))
            {
                problem ??= $"line {i + 1}: '#r \"nuget: {body}\"' is not a package reference. Write #r \"nuget: PackageName, 1.2.3\" (or without the version for the newest stable one).";
                continue;
            }
            packages.Add(new PackageRequest(parts[0], parts.Length == 2 ? parts[1] : null));
        }
        return new Parsed(packages, sources, string.Join('\n', lines), problem);
    }

    // #r "nuget: ..." and #i "nuget: ..." on a line of their own (leading blanks allowed).
    [GeneratedRegex("^\\s*#(r|i)\\s+\"\\s*nuget\\s*:([^\"]*)\"\\s*\\r?$", RegexOptions.IgnoreCase)]
    private static partial Regex Directive();

    // NuGet package ids: letters, digits, '.', '_', '-'.
    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.\\-]*$")]
    private static partial Regex PackageId();
}
