using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Reproduce.Cli.Engine;

/// <summary>Makes restored packages' files findable at run time. Native libraries
/// (runtimes/&lt;rid&gt;/native/*.so): the runtime only looks next to the assembly and on the system
/// paths, so each package assembly gets a DllImport resolver, set when the assembly loads, that maps
/// <c>[DllImport("name")]</c> to <c>libname.so</c>, <c>name.so</c> or <c>name</c> among the package
/// native files (falling back to the runtime's own search). Managed dependencies: Roslyn loads the
/// assemblies a cell's code uses, but an assembly only a package uses (FSharp.Core under Plotly.NET,
/// asked for in an older version than the one restored) is found here by name, as the .NET host
/// finds an application's dependencies.</summary>
internal static class PackageAssets
{
    private static readonly ConcurrentDictionary<string, string> NativeFiles = new(StringComparer.Ordinal); // file name → path
    private static readonly ConcurrentDictionary<string, string> Managed = new(StringComparer.OrdinalIgnoreCase); // simple name → path
    private static readonly ConcurrentDictionary<string, byte> PackageAssemblies = new(StringComparer.Ordinal);
    private static int _hooked;

    /// <summary>Registers restored packages' native files and assemblies.</summary>
    public static void Add(IEnumerable<string> nativeFiles, IEnumerable<string> assemblies)
    {
        foreach (var f in nativeFiles) NativeFiles.TryAdd(Path.GetFileName(f), f);
        foreach (var a in assemblies)
        {
            PackageAssemblies.TryAdd(Path.GetFullPath(a), 0);
            Managed.TryAdd(Path.GetFileNameWithoutExtension(a), Path.GetFullPath(a));
        }
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Attach(e.LoadedAssembly);
            AppDomain.CurrentDomain.AssemblyResolve += (_, e) => ResolveManaged(new AssemblyName(e.Name), e.RequestingAssembly);
            foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies()) Attach(loaded);
        }
    }

    /// <summary>A package assembly by simple name, any version at least the one asked for (assembly
    /// versions only rise within a package's compatible range): the copy already loaded, else the
    /// restored file, loaded where the assembly that asks for it lives.</summary>
    private static Assembly? ResolveManaged(AssemblyName wanted, Assembly? requesting)
    {
        if (wanted.Name is null || !Managed.TryGetValue(wanted.Name, out var path)) return null;
        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .FirstOrDefault(a => !a.IsDynamic && string.Equals(a.GetName().Name, wanted.Name, StringComparison.OrdinalIgnoreCase));
        if (loaded is not null) return loaded.GetName().Version >= (wanted.Version ?? new Version()) ? loaded : null;
        if (AssemblyName.GetAssemblyName(path).Version < (wanted.Version ?? new Version())) return null;
        var context = (requesting is null ? null : AssemblyLoadContext.GetLoadContext(requesting)) ?? AssemblyLoadContext.Default;
        return context.LoadFromAssemblyPath(path);
    }

    private static void Attach(Assembly assembly)
    {
        if (assembly.IsDynamic || assembly.Location.Length == 0 || !PackageAssemblies.ContainsKey(assembly.Location)) return;
        try
        {
            NativeLibrary.SetDllImportResolver(assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // The package set its own resolver; it knows best.
        }
    }

    /// <summary>The handle of a package's native library named <paramref name="name"/>, or zero to let the runtime search.</summary>
    public static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        string file = Path.GetFileName(name);
        foreach (var candidate in new[] { file, "lib" + file + ".so", file + ".so", "lib" + file })
            if (NativeFiles.TryGetValue(candidate, out var path) && NativeLibrary.TryLoad(path, out var handle)) return handle;
        return IntPtr.Zero;
    }
}
