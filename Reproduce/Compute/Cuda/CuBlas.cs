namespace Reproduce.Compute.Cuda;

/// <summary>cuBLAS v2 entry points (column-major, default stream, host pointer mode for α/β).
/// Device pointers are passed as ulong (CUdeviceptr).</summary>
internal static unsafe class CuBlas
{
    public const int OpN = 0, OpT = 1;
    public const int FillLower = 0, FillUpper = 1;
    public const int SideLeft = 0;
    public const int DiagNonUnit = 0;
    public const int DefaultMath = 0, Tf32TensorOpMath = 3;
    /// <summary>cudaDataType_t of float32 and bfloat16 (library_types.h).</summary>
    public const int R32F = 0, R16BF = 14;
    /// <summary>cublasComputeType_t CUBLAS_COMPUTE_32F: products and sums in float32.</summary>
    public const int Compute32F = 68;
    /// <summary>cublasGemmAlgo_t CUBLAS_GEMM_DEFAULT (the library's heuristic; tensor cores for bf16).</summary>
    public const int GemmDefault = -1;

    public static delegate* unmanaged<IntPtr*, int> Create;
    public static delegate* unmanaged<IntPtr, int*, int> GetVersion;
    public static delegate* unmanaged<IntPtr, int, int> SetMathMode;
    public static delegate* unmanaged<IntPtr, int, int, int, int, int, double*, ulong, int, ulong, int, double*, ulong, int, int> Dgemm;
    public static delegate* unmanaged<IntPtr, int, int, int, int, int, float*, ulong, int, ulong, int, float*, ulong, int, int> Sgemm;
    public static delegate* unmanaged<IntPtr, int, int, int, int, int, double*, ulong, int, long, ulong, int, long, double*, ulong, int, long, int, int> DgemmStridedBatched;
    public static delegate* unmanaged<IntPtr, int, int, int, int, int, float*, ulong, int, long, ulong, int, long, float*, ulong, int, long, int, int> SgemmStridedBatched;
    public static delegate* unmanaged<IntPtr, int, int, int, int, int, float*, ulong, int, int, ulong, int, int, float*, ulong, int, int, int, int, int> GemmEx;
    public static delegate* unmanaged<IntPtr, int, int, int, int, int, float*, ulong, int, int, long, ulong, int, int, long, float*, ulong, int, int, long, int, int, int, int> GemmStridedBatchedEx;
    public static delegate* unmanaged<IntPtr, int, int, int, int, double*, ulong, int, double*, ulong, int, int> Dsyrk;
    public static delegate* unmanaged<IntPtr, int, int, int, int, float*, ulong, int, float*, ulong, int, int> Ssyrk;
    public static delegate* unmanaged<IntPtr, int, int, int, double*, ulong, int, ulong, int, double*, ulong, int, int> Dgemv;
    public static delegate* unmanaged<IntPtr, int, int, int, float*, ulong, int, ulong, int, float*, ulong, int, int> Sgemv;
    public static delegate* unmanaged<IntPtr, int, int, int, int, int, int, double*, ulong, int, ulong, int, int> Dtrsm;
    public static delegate* unmanaged<IntPtr, int, int, int, int, int, int, float*, ulong, int, ulong, int, int> Strsm;
    public static delegate* unmanaged<IntPtr, int, int, int, int, double*, ulong, int, double*, ulong, int, ulong, int, int> Dgeam;
    public static delegate* unmanaged<IntPtr, int, int, int, int, float*, ulong, int, float*, ulong, int, ulong, int, int> Sgeam;
    public static delegate* unmanaged<IntPtr, int, double*, ulong, int, ulong, int, int> Daxpy;
    public static delegate* unmanaged<IntPtr, int, float*, ulong, int, ulong, int, int> Saxpy;
    public static delegate* unmanaged<IntPtr, int, ulong, int, ulong, int, double*, int> Ddot;
    public static delegate* unmanaged<IntPtr, int, ulong, int, ulong, int, float*, int> Sdot;

    public static void Bind()
    {
        if (Create != null) return;
        static IntPtr E(string s) => CudaLibraries.Export("cublas", s);
        GetVersion = (delegate* unmanaged<IntPtr, int*, int>)E("cublasGetVersion_v2");
        SetMathMode = (delegate* unmanaged<IntPtr, int, int>)E("cublasSetMathMode");
        Dgemm = (delegate* unmanaged<IntPtr, int, int, int, int, int, double*, ulong, int, ulong, int, double*, ulong, int, int>)E("cublasDgemm_v2");
        Sgemm = (delegate* unmanaged<IntPtr, int, int, int, int, int, float*, ulong, int, ulong, int, float*, ulong, int, int>)E("cublasSgemm_v2");
        DgemmStridedBatched = (delegate* unmanaged<IntPtr, int, int, int, int, int, double*, ulong, int, long, ulong, int, long, double*, ulong, int, long, int, int>)E("cublasDgemmStridedBatched");
        SgemmStridedBatched = (delegate* unmanaged<IntPtr, int, int, int, int, int, float*, ulong, int, long, ulong, int, long, float*, ulong, int, long, int, int>)E("cublasSgemmStridedBatched");
        GemmEx = (delegate* unmanaged<IntPtr, int, int, int, int, int, float*, ulong, int, int, ulong, int, int, float*, ulong, int, int, int, int, int>)E("cublasGemmEx");
        GemmStridedBatchedEx = (delegate* unmanaged<IntPtr, int, int, int, int, int, float*, ulong, int, int, long, ulong, int, int, long, float*, ulong, int, int, long, int, int, int, int>)E("cublasGemmStridedBatchedEx");
        Dsyrk = (delegate* unmanaged<IntPtr, int, int, int, int, double*, ulong, int, double*, ulong, int, int>)E("cublasDsyrk_v2");
        Ssyrk = (delegate* unmanaged<IntPtr, int, int, int, int, float*, ulong, int, float*, ulong, int, int>)E("cublasSsyrk_v2");
        Dgemv = (delegate* unmanaged<IntPtr, int, int, int, double*, ulong, int, ulong, int, double*, ulong, int, int>)E("cublasDgemv_v2");
        Sgemv = (delegate* unmanaged<IntPtr, int, int, int, float*, ulong, int, ulong, int, float*, ulong, int, int>)E("cublasSgemv_v2");
        Dtrsm = (delegate* unmanaged<IntPtr, int, int, int, int, int, int, double*, ulong, int, ulong, int, int>)E("cublasDtrsm_v2");
        Strsm = (delegate* unmanaged<IntPtr, int, int, int, int, int, int, float*, ulong, int, ulong, int, int>)E("cublasStrsm_v2");
        Dgeam = (delegate* unmanaged<IntPtr, int, int, int, int, double*, ulong, int, double*, ulong, int, ulong, int, int>)E("cublasDgeam");
        Sgeam = (delegate* unmanaged<IntPtr, int, int, int, int, float*, ulong, int, float*, ulong, int, ulong, int, int>)E("cublasSgeam");
        Daxpy = (delegate* unmanaged<IntPtr, int, double*, ulong, int, ulong, int, int>)E("cublasDaxpy_v2");
        Saxpy = (delegate* unmanaged<IntPtr, int, float*, ulong, int, ulong, int, int>)E("cublasSaxpy_v2");
        Ddot = (delegate* unmanaged<IntPtr, int, ulong, int, ulong, int, double*, int>)E("cublasDdot_v2");
        Sdot = (delegate* unmanaged<IntPtr, int, ulong, int, ulong, int, float*, int>)E("cublasSdot_v2");
        Create = (delegate* unmanaged<IntPtr*, int>)E("cublasCreate_v2");
    }

    public static void Check(int status, string call)
    {
        if (status != 0) throw new CudaException($"{call} failed with cuBLAS status {status}.");
    }
}
