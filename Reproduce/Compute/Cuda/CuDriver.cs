using System.Runtime.InteropServices;

namespace Reproduce.Compute.Cuda;

/// <summary>The subset of the CUDA driver API (libcuda.so.1) we call, bound through function
/// pointers so no global DllImport resolver is needed. Every call is checked.</summary>
internal static unsafe class CuDriver
{
    private static delegate* unmanaged<uint, int> _init;
    private static delegate* unmanaged<int*, int> _driverGetVersion;
    private static delegate* unmanaged<int*, int> _deviceGetCount;
    private static delegate* unmanaged<int*, int, int> _deviceGet;
    private static delegate* unmanaged<byte*, int, int, int> _deviceGetName;
    private static delegate* unmanaged<int*, int, int, int> _deviceGetAttribute;
    private static delegate* unmanaged<nuint*, int, int> _deviceTotalMem;
    private static delegate* unmanaged<IntPtr*, int, int> _primaryCtxRetain;
    private static delegate* unmanaged<IntPtr, int> _ctxSetCurrent;
    private static delegate* unmanaged<int> _ctxSynchronize;
    private static delegate* unmanaged<ulong*, nuint, int> _memAlloc;
    private static delegate* unmanaged<ulong, int> _memFree;
    private static delegate* unmanaged<ulong, void*, nuint, int> _memcpyHtoD;
    private static delegate* unmanaged<void*, ulong, nuint, int> _memcpyDtoH;
    private static delegate* unmanaged<ulong, ulong, nuint, int> _memcpyDtoD;
    private static delegate* unmanaged<ulong, byte, nuint, int> _memsetD8;
    private static delegate* unmanaged<nuint*, nuint*, int> _memGetInfo;
    private static delegate* unmanaged<IntPtr*, void*, int> _moduleLoadData;
    private static delegate* unmanaged<IntPtr*, IntPtr, byte*, int> _moduleGetFunction;
    private static delegate* unmanaged<IntPtr, uint, uint, uint, uint, uint, uint, uint, IntPtr, void**, void**, int> _launchKernel;
    private static delegate* unmanaged<int, byte**, int> _getErrorString;

    public const int AttrComputeCapabilityMajor = 75;
    public const int AttrComputeCapabilityMinor = 76;
    public const int AttrMultiprocessorCount = 16;

    /// <summary>Binds every entry point; throws when libcuda is missing.</summary>
    public static void Bind()
    {
        if (_init != null) return;
        static IntPtr E(string s) => CudaLibraries.Export("cuda", s);
        _driverGetVersion = (delegate* unmanaged<int*, int>)E("cuDriverGetVersion");
        _deviceGetCount = (delegate* unmanaged<int*, int>)E("cuDeviceGetCount");
        _deviceGet = (delegate* unmanaged<int*, int, int>)E("cuDeviceGet");
        _deviceGetName = (delegate* unmanaged<byte*, int, int, int>)E("cuDeviceGetName");
        _deviceGetAttribute = (delegate* unmanaged<int*, int, int, int>)E("cuDeviceGetAttribute");
        _deviceTotalMem = (delegate* unmanaged<nuint*, int, int>)E("cuDeviceTotalMem_v2");
        _primaryCtxRetain = (delegate* unmanaged<IntPtr*, int, int>)E("cuDevicePrimaryCtxRetain");
        _ctxSetCurrent = (delegate* unmanaged<IntPtr, int>)E("cuCtxSetCurrent");
        _ctxSynchronize = (delegate* unmanaged<int>)E("cuCtxSynchronize");
        _memAlloc = (delegate* unmanaged<ulong*, nuint, int>)E("cuMemAlloc_v2");
        _memFree = (delegate* unmanaged<ulong, int>)E("cuMemFree_v2");
        _memcpyHtoD = (delegate* unmanaged<ulong, void*, nuint, int>)E("cuMemcpyHtoD_v2");
        _memcpyDtoH = (delegate* unmanaged<void*, ulong, nuint, int>)E("cuMemcpyDtoH_v2");
        _memcpyDtoD = (delegate* unmanaged<ulong, ulong, nuint, int>)E("cuMemcpyDtoD_v2");
        _memsetD8 = (delegate* unmanaged<ulong, byte, nuint, int>)E("cuMemsetD8_v2");
        _memGetInfo = (delegate* unmanaged<nuint*, nuint*, int>)E("cuMemGetInfo_v2");
        _moduleLoadData = (delegate* unmanaged<IntPtr*, void*, int>)E("cuModuleLoadData");
        _moduleGetFunction = (delegate* unmanaged<IntPtr*, IntPtr, byte*, int>)E("cuModuleGetFunction");
        _launchKernel = (delegate* unmanaged<IntPtr, uint, uint, uint, uint, uint, uint, uint, IntPtr, void**, void**, int>)E("cuLaunchKernel");
        _getErrorString = (delegate* unmanaged<int, byte**, int>)E("cuGetErrorString");
        _init = (delegate* unmanaged<uint, int>)E("cuInit");
    }

    public static void Check(int result, string call)
    {
        if (result == 0) return;
        string text = "unknown error";
        if (_getErrorString != null)
        {
            byte* s = null;
            if (_getErrorString(result, &s) == 0 && s != null) text = Marshal.PtrToStringUTF8((IntPtr)s) ?? text;
        }
        throw new CudaException($"{call} failed with CUDA error {result} ({text}).");
    }

    public static int Init() => _init(0);

    public static int DriverVersion() { int v; Check(_driverGetVersion(&v), "cuDriverGetVersion"); return v; }

    public static int DeviceCount() { int n; Check(_deviceGetCount(&n), "cuDeviceGetCount"); return n; }

    public static int DeviceGet(int ordinal) { int d; Check(_deviceGet(&d, ordinal), "cuDeviceGet"); return d; }

    public static string DeviceName(int dev)
    {
        var buf = stackalloc byte[256];
        Check(_deviceGetName(buf, 256, dev), "cuDeviceGetName");
        return Marshal.PtrToStringUTF8((IntPtr)buf) ?? "?";
    }

    public static int Attribute(int dev, int attr) { int v; Check(_deviceGetAttribute(&v, attr, dev), "cuDeviceGetAttribute"); return v; }

    public static long TotalMemory(int dev) { nuint b; Check(_deviceTotalMem(&b, dev), "cuDeviceTotalMem"); return (long)b; }

    public static IntPtr RetainPrimaryContext(int dev) { IntPtr c; Check(_primaryCtxRetain(&c, dev), "cuDevicePrimaryCtxRetain"); return c; }

    public static void SetCurrent(IntPtr ctx) => Check(_ctxSetCurrent(ctx), "cuCtxSetCurrent");

    public static void Synchronize() => Check(_ctxSynchronize(), "cuCtxSynchronize");

    /// <summary>Raw allocation; returns the CUDA error code (2 = out of memory) instead of throwing.</summary>
    public static int TryAlloc(nuint bytes, out ulong ptr) { ulong p; int r = _memAlloc(&p, bytes); ptr = p; return r; }

    public static void Free(ulong ptr) => Check(_memFree(ptr), "cuMemFree");

    public static void CopyHtoD(ulong dst, void* src, long bytes) { if (bytes > 0) Check(_memcpyHtoD(dst, src, (nuint)bytes), "cuMemcpyHtoD"); }

    public static void CopyDtoH(void* dst, ulong src, long bytes) { if (bytes > 0) Check(_memcpyDtoH(dst, src, (nuint)bytes), "cuMemcpyDtoH"); }

    public static void CopyDtoD(ulong dst, ulong src, long bytes) { if (bytes > 0) Check(_memcpyDtoD(dst, src, (nuint)bytes), "cuMemcpyDtoD"); }

    public static void Zero(ulong dst, long bytes) { if (bytes > 0) Check(_memsetD8(dst, 0, (nuint)bytes), "cuMemsetD8"); }

    public static (long Free, long Total) MemoryInfo() { nuint f, t; Check(_memGetInfo(&f, &t), "cuMemGetInfo"); return ((long)f, (long)t); }

    public static IntPtr LoadModule(byte[] image)
    {
        IntPtr m;
        fixed (byte* p = image) Check(_moduleLoadData(&m, p), "cuModuleLoadData");
        return m;
    }

    public static IntPtr GetFunction(IntPtr module, string name)
    {
        IntPtr f;
        var bytes = System.Text.Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* p = bytes) Check(_moduleGetFunction(&f, module, p), "cuModuleGetFunction(" + name + ")");
        return f;
    }

    public static void Launch(IntPtr f, uint grid, uint block, void** args, uint sharedBytes = 0) =>
        Check(_launchKernel(f, grid, 1, 1, block, 1, 1, sharedBytes, IntPtr.Zero, args, null), "cuLaunchKernel");
}
