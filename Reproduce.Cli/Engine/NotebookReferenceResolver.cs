using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;

namespace Reproduce.Cli.Engine;

/// <summary>Resolves <c>#r "path"</c> relative to the notebook's folder. A reference whose file
/// name is Reproduce.dll binds to the Reproduce library the runner itself has loaded, so objects
/// returned by cells (FigureResult, Figure, Table, Claim) have the runner's types.</summary>
internal sealed class NotebookReferenceResolver(string baseDirectory) : MetadataReferenceResolver
{
    /// <summary>File name that always binds to the runner's own library.</summary>
    public const string LibraryFileName = "Reproduce.dll";

    private readonly ScriptMetadataResolver _fallback = ScriptMetadataResolver.Default.WithBaseDirectory(baseDirectory);

    public string BaseDirectory { get; } = baseDirectory;

    public static string LibraryLocation => typeof(Reproduce.Figures.Figure).Assembly.Location;

    // One mapped copy of the library's metadata for every session and every #r of it.
    private static readonly Lazy<AssemblyMetadata> LibraryMetadata = new(() => AssemblyMetadata.CreateFromFile(LibraryLocation));

    /// <summary>A reference to the runner's own library (shared metadata, mapped, read on demand).</summary>
    public static PortableExecutableReference LibraryReference(MetadataReferenceProperties properties = default) =>
        LibraryMetadata.Value.GetReference(aliases: properties.Aliases, embedInteropTypes: properties.EmbedInteropTypes, filePath: LibraryLocation);

    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties)
    {
        if (IsLibrary(reference))
            return [LibraryReference(properties)];
        if (LooksLikePath(reference))
        {
            string full = FullPath(reference);
            return File.Exists(full) ? [MetadataReference.CreateFromFile(full, properties)] : [];
        }
        return _fallback.ResolveReference(reference, baseFilePath, properties);
    }

    public override bool ResolveMissingAssemblies => _fallback.ResolveMissingAssemblies;

    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity) =>
        _fallback.ResolveMissingAssembly(definition, referenceIdentity);

    public static bool IsLibrary(string reference) =>
        string.Equals(Path.GetFileName(reference.Replace('\\', '/')), LibraryFileName, StringComparison.OrdinalIgnoreCase);

    public static bool LooksLikePath(string reference) =>
        reference.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) || reference.Contains('/') || reference.Contains('\\');

    public string FullPath(string reference) => Path.GetFullPath(Path.Combine(BaseDirectory, reference.Replace('\\', '/')));

    public override bool Equals(object? other) => other is NotebookReferenceResolver r && r.BaseDirectory == BaseDirectory;

    public override int GetHashCode() => BaseDirectory.GetHashCode(StringComparison.Ordinal);
}
