using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;

namespace Reproduce.Cli.Kernel;

/// <summary>Finds a symbol's XML documentation summary: the <c>.xml</c> beside the referenced
/// assembly (Reproduce.dll ships one), else the .NET reference pack's docs
/// (<c>packs/Microsoft.NETCore.App.Ref/&lt;version&gt;/ref/net10.0/*.xml</c>) under the dotnet root.</summary>
internal static class XmlDocs
{
    private static readonly ConcurrentDictionary<string, XDocument?> Cache = new(StringComparer.Ordinal);

    public static string? Summary(ISymbol symbol, Compilation compilation)
    {
        var target = symbol is IMethodSymbol { ReducedFrom: { } from } ? from : symbol.OriginalDefinition;
        string? id = target.GetDocumentationCommentId();
        if (id is null) return null;
        var inline = target.GetDocumentationCommentXml();
        if (!string.IsNullOrWhiteSpace(inline)) return Extract(XElement.Parse(inline));
        foreach (var file in Files(target, compilation))
        {
            var doc = Cache.GetOrAdd(file, Load);
            var member = doc?.Root?.Element("members")?.Elements("member").FirstOrDefault(m => (string?)m.Attribute("name") == id);
            if (member is not null) return Extract(member);
        }
        return null;
    }

    private static IEnumerable<string> Files(ISymbol symbol, Compilation compilation)
    {
        var asm = symbol.ContainingAssembly;
        if (asm is null) yield break;
        if (compilation.GetMetadataReference(asm) is PortableExecutableReference { FilePath: { } path })
        {
            var beside = Path.ChangeExtension(path, ".xml");
            if (File.Exists(beside)) yield return beside;
        }
        var pack = RefPackDirectory();
        if (pack is null) yield break;
        foreach (var name in new[] { asm.Name, "System.Runtime", "System.Linq", "System.Collections" }.Distinct())
        {
            var f = Path.Combine(pack, name + ".xml");
            if (File.Exists(f)) yield return f;
        }
    }

    private static string? RefPackDirectory()
    {
        // runtime dir = <root>/shared/Microsoft.NETCore.App/<version>/
        var runtimeDir = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd('/');
        var root = Path.GetFullPath(Path.Combine(runtimeDir, "..", "..", ".."));
        var packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        if (!Directory.Exists(packs)) return null;
        var version = Path.GetFileName(runtimeDir);
        var exact = Path.Combine(packs, version, "ref", $"net{Environment.Version.Major}.0");
        if (Directory.Exists(exact)) return exact;
        return Directory.GetDirectories(packs).OrderDescending(StringComparer.Ordinal)
            .Select(d => Path.Combine(d, "ref", $"net{Environment.Version.Major}.0")).FirstOrDefault(Directory.Exists);
    }

    private static XDocument? Load(string file)
    {
        try { return XDocument.Load(file); }
        catch (Exception) { return null; }
    }

    private static string? Extract(XElement member)
    {
        var summary = member.Element("summary");
        if (summary is null) return null;
        var sb = new StringBuilder();
        foreach (var n in summary.Nodes())
        {
            switch (n)
            {
                case XText t: sb.Append(t.Value); break;
                case XElement e when e.Name.LocalName is "see" or "seealso":
                    var cref = (string?)e.Attribute("cref") ?? (string?)e.Attribute("langword") ?? (string?)e.Attribute("href") ?? e.Value;
                    sb.Append(cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref);
                    break;
                case XElement e when e.Name.LocalName is "paramref" or "typeparamref":
                    sb.Append((string?)e.Attribute("name"));
                    break;
                case XElement e: sb.Append(e.Value); break;
            }
        }
        var text = string.Join(" ", sb.ToString().Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
        return text.Length == 0 ? null : text;
    }
}
