using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Reproduce.Cli.Engine;

/// <summary>Finds the native libraries of restored packages (runtimes/&lt;rid&gt;/native/*.so) for
/// the packages' own P/Invokes. The runtime only looks next to the assembly and on the system
/// paths, so each package assembly gets a DllImport resolver, set when the assembly loads, that maps
/// <c>[DllImport("name")]</c> to <c>libname.so</c>, <c>name.so</c> or <c>name</c> among the package
/// native files (and falls back to the runtime's own search).</summary>
internal static class NativeAssets
{
    private static readonly ConcurrentDictionary<string, string> Files = new(StringComparer.Ordinal); // file name → path
    private static readonly ConcurrentDictionary<string, byte> PackageAssemblies = new(StringComparer.Ordinal);
    private static int _hooked;

    /// <summary>Registers restored packages' native files and assemblies.</summary>
    public static void Add(IEnumerable<string> nativeFiles, IEnumerable<string> assemblies)
    {
        foreach (var f in nativeFiles) Files.TryAdd(Path.GetFileName(f), f);
        foreach (var a in assemblies) PackageAssemblies.TryAdd(Path.GetFullPath(a), 0);
        if (Interlocked.Exchange(ref _hooked, 1) == 0)
        {
            AppDomain.CurrentDomain.AssemblyLoad += (_, e) => Attach(e.LoadedAssembly);
            foreach (var loaded in AppDomain.CurrentDomain.GetAssemblies()) Attach(loaded);
        }
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
            if (Files.TryGetValue(candidate, out var path) && NativeLibrary.TryLoad(path, out var handle)) return handle;
        return IntPtr.Zero;
    }
}
