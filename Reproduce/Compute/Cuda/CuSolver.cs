namespace Reproduce.Compute.Cuda;

/// <summary>cuSOLVER dense entry points (potrf, syevd, gesvd, geqrf, orgqr) in float64 and float32.</summary>
internal static unsafe class CuSolver
{
    public const int EigModeVector = 1;

    public static delegate* unmanaged<IntPtr*, int> Create;
    public static delegate* unmanaged<int*, int> GetVersion;
    public static delegate* unmanaged<IntPtr, int, int, ulong, int, int*, int> DpotrfBufferSize;
    public static delegate* unmanaged<IntPtr, int, int, ulong, int, ulong, int, ulong, int> Dpotrf;
    public static delegate* unmanaged<IntPtr, int, int, ulong, int, int*, int> SpotrfBufferSize;
    public static delegate* unmanaged<IntPtr, int, int, ulong, int, ulong, int, ulong, int> Spotrf;
    public static delegate* unmanaged<IntPtr, int, int, int, ulong, int, ulong, int*, int> DsyevdBufferSize;
    public static delegate* unmanaged<IntPtr, int, int, int, ulong, int, ulong, ulong, int, ulong, int> Dsyevd;
    public static delegate* unmanaged<IntPtr, int, int, int, ulong, int, ulong, int*, int> SsyevdBufferSize;
    public static delegate* unmanaged<IntPtr, int, int, int, ulong, int, ulong, ulong, int, ulong, int> Ssyevd;
    public static delegate* unmanaged<IntPtr, int, int, int*, int> DgesvdBufferSize;
    public static delegate* unmanaged<IntPtr, sbyte, sbyte, int, int, ulong, int, ulong, ulong, int, ulong, int, ulong, int, ulong, ulong, int> Dgesvd;
    public static delegate* unmanaged<IntPtr, int, int, int*, int> SgesvdBufferSize;
    public static delegate* unmanaged<IntPtr, sbyte, sbyte, int, int, ulong, int, ulong, ulong, int, ulong, int, ulong, int, ulong, ulong, int> Sgesvd;
    public static delegate* unmanaged<IntPtr, int, int, ulong, int, int*, int> DgeqrfBufferSize;
    public static delegate* unmanaged<IntPtr, int, int, ulong, int, ulong, ulong, int, ulong, int> Dgeqrf;
    public static delegate* unmanaged<IntPtr, int, int, ulong, int, int*, int> SgeqrfBufferSize;
    public static delegate* unmanaged<IntPtr, int, int, ulong, int, ulong, ulong, int, ulong, int> Sgeqrf;
    public static delegate* unmanaged<IntPtr, int, int, int, ulong, int, ulong, int*, int> DorgqrBufferSize;
    public static delegate* unmanaged<IntPtr, int, int, int, ulong, int, ulong, ulong, int, ulong, int> Dorgqr;
    public static delegate* unmanaged<IntPtr, int, int, int, ulong, int, ulong, int*, int> SorgqrBufferSize;
    public static delegate* unmanaged<IntPtr, int, int, int, ulong, int, ulong, ulong, int, ulong, int> Sorgqr;

    public static void Bind()
    {
        if (Create != null) return;
        static IntPtr E(string s) => CudaLibraries.Export("cusolver", s);
        GetVersion = (delegate* unmanaged<int*, int>)E("cusolverGetVersion");
        DpotrfBufferSize = (delegate* unmanaged<IntPtr, int, int, ulong, int, int*, int>)E("cusolverDnDpotrf_bufferSize");
        Dpotrf = (delegate* unmanaged<IntPtr, int, int, ulong, int, ulong, int, ulong, int>)E("cusolverDnDpotrf");
        SpotrfBufferSize = (delegate* unmanaged<IntPtr, int, int, ulong, int, int*, int>)E("cusolverDnSpotrf_bufferSize");
        Spotrf = (delegate* unmanaged<IntPtr, int, int, ulong, int, ulong, int, ulong, int>)E("cusolverDnSpotrf");
        DsyevdBufferSize = (delegate* unmanaged<IntPtr, int, int, int, ulong, int, ulong, int*, int>)E("cusolverDnDsyevd_bufferSize");
        Dsyevd = (delegate* unmanaged<IntPtr, int, int, int, ulong, int, ulong, ulong, int, ulong, int>)E("cusolverDnDsyevd");
        SsyevdBufferSize = (delegate* unmanaged<IntPtr, int, int, int, ulong, int, ulong, int*, int>)E("cusolverDnSsyevd_bufferSize");
        Ssyevd = (delegate* unmanaged<IntPtr, int, int, int, ulong, int, ulong, ulong, int, ulong, int>)E("cusolverDnSsyevd");
        DgesvdBufferSize = (delegate* unmanaged<IntPtr, int, int, int*, int>)E("cusolverDnDgesvd_bufferSize");
        Dgesvd = (delegate* unmanaged<IntPtr, sbyte, sbyte, int, int, ulong, int, ulong, ulong, int, ulong, int, ulong, int, ulong, ulong, int>)E("cusolverDnDgesvd");
        SgesvdBufferSize = (delegate* unmanaged<IntPtr, int, int, int*, int>)E("cusolverDnSgesvd_bufferSize");
        Sgesvd = (delegate* unmanaged<IntPtr, sbyte, sbyte, int, int, ulong, int, ulong, ulong, int, ulong, int, ulong, int, ulong, ulong, int>)E("cusolverDnSgesvd");
        DgeqrfBufferSize = (delegate* unmanaged<IntPtr, int, int, ulong, int, int*, int>)E("cusolverDnDgeqrf_bufferSize");
        Dgeqrf = (delegate* unmanaged<IntPtr, int, int, ulong, int, ulong, ulong, int, ulong, int>)E("cusolverDnDgeqrf");
        SgeqrfBufferSize = (delegate* unmanaged<IntPtr, int, int, ulong, int, int*, int>)E("cusolverDnSgeqrf_bufferSize");
        Sgeqrf = (delegate* unmanaged<IntPtr, int, int, ulong, int, ulong, ulong, int, ulong, int>)E("cusolverDnSgeqrf");
        DorgqrBufferSize = (delegate* unmanaged<IntPtr, int, int, int, ulong, int, ulong, int*, int>)E("cusolverDnDorgqr_bufferSize");
        Dorgqr = (delegate* unmanaged<IntPtr, int, int, int, ulong, int, ulong, ulong, int, ulong, int>)E("cusolverDnDorgqr");
        SorgqrBufferSize = (delegate* unmanaged<IntPtr, int, int, int, ulong, int, ulong, int*, int>)E("cusolverDnSorgqr_bufferSize");
        Sorgqr = (delegate* unmanaged<IntPtr, int, int, int, ulong, int, ulong, ulong, int, ulong, int>)E("cusolverDnSorgqr");
        Create = (delegate* unmanaged<IntPtr*, int>)E("cusolverDnCreate");
    }

    public static void Check(int status, string call)
    {
        if (status != 0) throw new CudaException($"{call} failed with cuSOLVER status {status}.");
    }
}
