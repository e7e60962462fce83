using System.Runtime.InteropServices;

namespace Reproduce.Compute;

/// <summary>Function pointers into OpenBLAS (libopenblas.so.0: CBLAS) and LAPACKE
/// (liblapacke.so.3), resolved at run time with <see cref="NativeLibrary"/> so that a machine
/// without them still runs (the managed backend is used instead). <see cref="TryLoad"/> reports
/// exactly which library or symbol is missing.</summary>
internal sealed unsafe class OpenBlasNative
{
    public const string BlasLibrary = "libopenblas.so.0";
    public const string LapackeLibrary = "liblapacke.so.3";
    public const string AptPackages = "libopenblas0 liblapacke";

    // CBLAS enums.
    public const int ColMajor = 102, NoTrans = 111, Trans = 112, Upper = 121, Lower = 122, NonUnit = 131, Left = 141, Right = 142;

    public delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void> Dgemm;
    public delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemm;
    public delegate* unmanaged<int, int, int, int, int, double, double*, int, double, double*, int, void> Dsyrk;
    public delegate* unmanaged<int, int, int, int, int, float, float*, int, float, float*, int, void> Ssyrk;
    public delegate* unmanaged<int, int, int, int, double, double*, int, double*, int, double, double*, int, void> Dgemv;
    public delegate* unmanaged<int, int, int, int, float, float*, int, float*, int, float, float*, int, void> Sgemv;
    public delegate* unmanaged<int, int, int, int, int, int, int, double, double*, int, double*, int, void> Dtrsm;
    public delegate* unmanaged<int, int, int, int, int, int, int, float, float*, int, float*, int, void> Strsm;
    public delegate* unmanaged<int, int, int, int, int, double*, int, double*, int, void> Dtrsv;
    public delegate* unmanaged<int, int, int, double, double*, int, double*, int, double, double*, int, void> Dsymv;
    public delegate* unmanaged<byte*> GetConfig;
    public delegate* unmanaged<int> GetNumThreads;
    public delegate* unmanaged<int, void> SetNumThreads;

    public delegate* unmanaged<int, byte, int, double*, int, int> Dpotrf;
    public delegate* unmanaged<int, byte, int, float*, int, int> Spotrf;
    public delegate* unmanaged<int, byte, byte, int, double*, int, double*, int> Dsyevd;
    public delegate* unmanaged<int, byte, byte, int, float*, int, float*, int> Ssyevd;
    public delegate* unmanaged<int, byte, int, int, double*, int, double*, double*, int, double*, int, int> Dgesdd;
    public delegate* unmanaged<int, byte, int, int, float*, int, float*, float*, int, float*, int, int> Sgesdd;
    public delegate* unmanaged<int, int, int, double*, int, double*, int> Dgeqrf;
    public delegate* unmanaged<int, int, int, float*, int, float*, int> Sgeqrf;
    public delegate* unmanaged<int, int, int, int, double*, int, double*, int> Dorgqr;
    public delegate* unmanaged<int, int, int, int, float*, int, float*, int> Sorgqr;

    private OpenBlasNative() { }

    private static readonly Lazy<(OpenBlasNative? Lib, string? Error)> Loaded = new(() => Load(BlasLibrary, LapackeLibrary));

    /// <summary>The loaded libraries, or null with the reason.</summary>
    public static OpenBlasNative? TryLoad(out string? error)
    {
        var (lib, e) = Loaded.Value;
        error = e;
        return lib;
    }

    /// <summary>OpenBLAS's build configuration string, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ...".</summary>
    public string Config => GetConfig == null ? "OpenBLAS (unknown version)" : Marshal.PtrToStringUTF8((nint)GetConfig()) ?? "OpenBLAS";

    /// <summary>Loads the two libraries by file name (tests pass missing names to check the message).</summary>
    internal static (OpenBlasNative?, string?) Load(string blasLibrary, string lapackeLibrary)
    {
        if (!NativeLibrary.TryLoad(blasLibrary, out var blas))
            return (null, $"{blasLibrary} could not be loaded (install the Debian/Ubuntu package libopenblas0: apt-get install {AptPackages}).");
        if (!NativeLibrary.TryLoad(lapackeLibrary, out var lapacke))
            return (null, $"{lapackeLibrary} could not be loaded (install the Debian/Ubuntu package liblapacke: apt-get install {AptPackages}).");
        var n = new OpenBlasNative();
        var missing = new List<string>();
        nint Sym(nint lib, string name, string libName)
        {
            if (NativeLibrary.TryGetExport(lib, name, out var p)) return p;
            missing.Add($"{name} in {libName}");
            return 0;
        }
        n.Dgemm = (delegate* unmanaged<int, int, int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)Sym(blas, "cblas_dgemm", blasLibrary);
        n.Sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)Sym(blas, "cblas_sgemm", blasLibrary);
        n.Dsyrk = (delegate* unmanaged<int, int, int, int, int, double, double*, int, double, double*, int, void>)Sym(blas, "cblas_dsyrk", blasLibrary);
        n.Ssyrk = (delegate* unmanaged<int, int, int, int, int, float, float*, int, float, float*, int, void>)Sym(blas, "cblas_ssyrk", blasLibrary);
        n.Dgemv = (delegate* unmanaged<int, int, int, int, double, double*, int, double*, int, double, double*, int, void>)Sym(blas, "cblas_dgemv", blasLibrary);
        n.Sgemv = (delegate* unmanaged<int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)Sym(blas, "cblas_sgemv", blasLibrary);
        n.Dtrsm = (delegate* unmanaged<int, int, int, int, int, int, int, double, double*, int, double*, int, void>)Sym(blas, "cblas_dtrsm", blasLibrary);
        n.Strsm = (delegate* unmanaged<int, int, int, int, int, int, int, float, float*, int, float*, int, void>)Sym(blas, "cblas_strsm", blasLibrary);
        n.Dtrsv = (delegate* unmanaged<int, int, int, int, int, double*, int, double*, int, void>)Sym(blas, "cblas_dtrsv", blasLibrary);
        n.Dsymv = (delegate* unmanaged<int, int, int, double, double*, int, double*, int, double, double*, int, void>)Sym(blas, "cblas_dsymv", blasLibrary);
        n.GetConfig = (delegate* unmanaged<byte*>)Sym(blas, "openblas_get_config", blasLibrary);
        n.GetNumThreads = (delegate* unmanaged<int>)Sym(blas, "openblas_get_num_threads", blasLibrary);
        n.SetNumThreads = (delegate* unmanaged<int, void>)Sym(blas, "openblas_set_num_threads", blasLibrary);
        n.Dpotrf = (delegate* unmanaged<int, byte, int, double*, int, int>)Sym(lapacke, "LAPACKE_dpotrf", lapackeLibrary);
        n.Spotrf = (delegate* unmanaged<int, byte, int, float*, int, int>)Sym(lapacke, "LAPACKE_spotrf", lapackeLibrary);
        n.Dsyevd = (delegate* unmanaged<int, byte, byte, int, double*, int, double*, int>)Sym(lapacke, "LAPACKE_dsyevd", lapackeLibrary);
        n.Ssyevd = (delegate* unmanaged<int, byte, byte, int, float*, int, float*, int>)Sym(lapacke, "LAPACKE_ssyevd", lapackeLibrary);
        n.Dgesdd = (delegate* unmanaged<int, byte, int, int, double*, int, double*, double*, int, double*, int, int>)Sym(lapacke, "LAPACKE_dgesdd", lapackeLibrary);
        n.Sgesdd = (delegate* unmanaged<int, byte, int, int, float*, int, float*, float*, int, float*, int, int>)Sym(lapacke, "LAPACKE_sgesdd", lapackeLibrary);
        n.Dgeqrf = (delegate* unmanaged<int, int, int, double*, int, double*, int>)Sym(lapacke, "LAPACKE_dgeqrf", lapackeLibrary);
        n.Sgeqrf = (delegate* unmanaged<int, int, int, float*, int, float*, int>)Sym(lapacke, "LAPACKE_sgeqrf", lapackeLibrary);
        n.Dorgqr = (delegate* unmanaged<int, int, int, int, double*, int, double*, int>)Sym(lapacke, "LAPACKE_dorgqr", lapackeLibrary);
        n.Sorgqr = (delegate* unmanaged<int, int, int, int, float*, int, float*, int>)Sym(lapacke, "LAPACKE_sorgqr", lapackeLibrary);
        // The version/thread helpers are optional (other BLAS builds lack them); the rest are required.
        missing.RemoveAll(s => s.StartsWith("openblas_", StringComparison.Ordinal));
        if (missing.Count > 0)
            return (null, $"OpenBLAS/LAPACKE loaded but lack {string.Join(", ", missing)} (reinstall {AptPackages}).");
        return (n, null);
    }
}
