using System.Runtime.InteropServices;

namespace Reproduce.Compute.Cuda;

/// <summary>Finds and loads NVIDIA's shared libraries. Search order: CUDA_PATH, CUDA_HOME,
/// /usr/local/cuda*/lib64 and targets/x86_64-linux/lib, LD_LIBRARY_PATH, pip's
/// site-packages/nvidia/*/lib folders, then the loader's default path. Versioned sonames are
/// tried newest first. When something is missing, the error lists what was searched.</summary>
internal static class CudaLibraries
{
    /// <summary>Logical name → sonames to try, newest first.</summary>
    private static readonly Dictionary<string, string[]> Sonames = new()
    {
        ["cuda"] = ["libcuda.so.1", "libcuda.so"],
        ["nvrtc"] = ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"],
        ["cublas"] = ["libcublas.so.13", "libcublas.so.12", "libcublas.so"],
        ["cusolver"] = ["libcusolver.so.12", "libcusolver.so.11", "libcusolver.so"],
        ["cusparse"] = ["libcusparse.so.12", "libcusparse.so"],
    };

    private static readonly Dictionary<string, (IntPtr Handle, string Path)> Loaded = [];
    private static readonly List<string> Searched = [];

    /// <summary>Folders searched, in order (for error messages).</summary>
    public static IReadOnlyList<string> SearchDirectories()
    {
        var dirs = new List<string>();
        foreach (var env in new[] { "CUDA_PATH", "CUDA_HOME" })
        {
            var root = Environment.GetEnvironmentVariable(env);
            if (string.IsNullOrWhiteSpace(root)) continue;
            dirs.Add(Path.Combine(root, "lib64"));
            dirs.Add(Path.Combine(root, "targets", "x86_64-linux", "lib"));
            dirs.Add(Path.Combine(root, "lib"));
        }
        if (Directory.Exists("/usr/local"))
        {
            foreach (var root in Directory.GetDirectories("/usr/local", "cuda*").OrderByDescending(d => d, StringComparer.Ordinal))
            {
                dirs.Add(Path.Combine(root, "lib64"));
                dirs.Add(Path.Combine(root, "targets", "x86_64-linux", "lib"));
            }
        }
        var ld = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
        if (!string.IsNullOrWhiteSpace(ld)) dirs.AddRange(ld.Split(':', StringSplitOptions.RemoveEmptyEntries));
        dirs.AddRange(PipNvidiaDirs());
        dirs.Add("/usr/local/nvidia/lib64");
        dirs.Add("/usr/lib/x86_64-linux-gnu");
        return dirs.Where(Directory.Exists).Distinct().ToArray();
    }

    private static IEnumerable<string> PipNvidiaDirs()
    {
        var roots = new List<string>();
        foreach (var baseDir in new[] { "/usr/local/lib", "/usr/lib", "/opt/torch/.venv/lib", Environment.GetEnvironmentVariable("VIRTUAL_ENV") is { } v ? Path.Combine(v, "lib") : null })
        {
            if (baseDir is null || !Directory.Exists(baseDir)) continue;
            foreach (var py in Directory.GetDirectories(baseDir, "python3*"))
                foreach (var sp in new[] { "site-packages", "dist-packages" })
                {
                    var nv = Path.Combine(py, sp, "nvidia");
                    if (!Directory.Exists(nv)) continue;
                    foreach (var pkg in Directory.GetDirectories(nv)) roots.Add(Path.Combine(pkg, "lib"));
                    roots.Add(Path.Combine(nv, "cu13", "lib"));
                }
        }
        return roots;
    }

    /// <summary>Loads a library by logical name, or returns false with the reason recorded.</summary>
    public static bool TryLoad(string name, out IntPtr handle, out string pathOrError)
    {
        lock (Loaded)
        {
            if (Loaded.TryGetValue(name, out var hit)) { handle = hit.Handle; pathOrError = hit.Path; return true; }
            var dirs = SearchDirectories();
            foreach (var so in Sonames[name])
            {
                foreach (var d in dirs)
                {
                    var p = Path.Combine(d, so);
                    if (File.Exists(p) && NativeLibrary.TryLoad(p, out handle))
                    {
                        Loaded[name] = (handle, p);
                        pathOrError = p;
                        return true;
                    }
                }
                // Last resort: the dynamic loader's own search (ldconfig cache).
                if (NativeLibrary.TryLoad(so, out handle))
                {
                    Loaded[name] = (handle, so);
                    pathOrError = so;
                    return true;
                }
            }
            Searched.Add(name);
            handle = IntPtr.Zero;
            pathOrError = $"{name}: none of {string.Join(", ", Sonames[name])} found in {string.Join(", ", dirs.DefaultIfEmpty("(no candidate folders exist)"))} or the loader path";
            return false;
        }
    }

    /// <summary>Loads or throws with the full search report.</summary>
    public static IntPtr Load(string name) =>
        TryLoad(name, out var h, out var msg) ? h : throw new ComputeException(
            $"CUDA library missing — {msg}. Install the CUDA toolkit libraries (or pip's nvidia-* wheels) or set CUDA_PATH / LD_LIBRARY_PATH.");

    /// <summary>The path a library was loaded from.</summary>
    public static string PathOf(string name) => Loaded.TryGetValue(name, out var x) ? x.Path : "(not loaded)";

    /// <summary>An exported function, or an error naming library and symbol.</summary>
    public static IntPtr Export(string library, string symbol)
    {
        var h = Load(library);
        return NativeLibrary.TryGetExport(h, symbol, out var f) ? f
            : throw new ComputeException($"{PathOf(library)} has no symbol '{symbol}'; the CUDA library version is not supported (need CUDA 12 or 13).");
    }
}
