namespace Reproduce.Compute.Cuda;

/// <summary>cuSPARSE generic API for CSR × dense (SpMM; SpMV is the one-column case).</summary>
internal static unsafe class CuSparse
{
    public const int OpN = 0, OpT = 1;
    public const int Index32 = 2, IndexBaseZero = 0;
    public const int R32F = 0, R64F = 1;
    public const int OrderCol = 1;
    public const int SpMMAlgDefault = 0;

    public static delegate* unmanaged<IntPtr*, int> Create;
    public static delegate* unmanaged<IntPtr, int*, int> GetVersion;
    public static delegate* unmanaged<IntPtr*, long, long, long, ulong, ulong, ulong, int, int, int, int, int> CreateCsr;
    public static delegate* unmanaged<IntPtr*, long, long, long, ulong, int, int, int> CreateDnMat;
    public static delegate* unmanaged<IntPtr, int> DestroySpMat;
    public static delegate* unmanaged<IntPtr, int> DestroyDnMat;
    public static delegate* unmanaged<IntPtr, int, int, void*, IntPtr, IntPtr, void*, IntPtr, int, int, nuint*, int> SpMMBufferSize;
    public static delegate* unmanaged<IntPtr, int, int, void*, IntPtr, IntPtr, void*, IntPtr, int, int, ulong, int> SpMM;

    public static void Bind()
    {
        if (Create != null) return;
        static IntPtr E(string s) => CudaLibraries.Export("cusparse", s);
        GetVersion = (delegate* unmanaged<IntPtr, int*, int>)E("cusparseGetVersion");
        CreateCsr = (delegate* unmanaged<IntPtr*, long, long, long, ulong, ulong, ulong, int, int, int, int, int>)E("cusparseCreateCsr");
        CreateDnMat = (delegate* unmanaged<IntPtr*, long, long, long, ulong, int, int, int>)E("cusparseCreateDnMat");
        DestroySpMat = (delegate* unmanaged<IntPtr, int>)E("cusparseDestroySpMat");
        DestroyDnMat = (delegate* unmanaged<IntPtr, int>)E("cusparseDestroyDnMat");
        SpMMBufferSize = (delegate* unmanaged<IntPtr, int, int, void*, IntPtr, IntPtr, void*, IntPtr, int, int, nuint*, int>)E("cusparseSpMM_bufferSize");
        SpMM = (delegate* unmanaged<IntPtr, int, int, void*, IntPtr, IntPtr, void*, IntPtr, int, int, ulong, int>)E("cusparseSpMM");
        Create = (delegate* unmanaged<IntPtr*, int>)E("cusparseCreate");
    }

    public static void Check(int status, string call)
    {
        if (status != 0) throw new CudaException($"{call} failed with cuSPARSE status {status}.");
    }
}
