using System.Runtime.InteropServices;
using System.Text;

namespace Reproduce.Compute.Cuda;

/// <summary>NVRTC: compiles CUDA C source to PTX at first use; the driver JITs the PTX for the
/// device. Compiled modules are cached per process.</summary>
internal static unsafe class Nvrtc
{
    private static delegate* unmanaged<IntPtr*, byte*, byte*, int, byte**, byte**, int> _create;
    private static delegate* unmanaged<IntPtr, int, byte**, int> _compile;
    private static delegate* unmanaged<IntPtr, nuint*, int> _ptxSize;
    private static delegate* unmanaged<IntPtr, byte*, int> _ptx;
    private static delegate* unmanaged<IntPtr, nuint*, int> _logSize;
    private static delegate* unmanaged<IntPtr, byte*, int> _log;
    private static delegate* unmanaged<IntPtr*, int> _destroy;
    private static delegate* unmanaged<int*, int*, int> _version;

    public static void Bind()
    {
        if (_create != null) return;
        static IntPtr E(string s) => CudaLibraries.Export("nvrtc", s);
        _compile = (delegate* unmanaged<IntPtr, int, byte**, int>)E("nvrtcCompileProgram");
        _ptxSize = (delegate* unmanaged<IntPtr, nuint*, int>)E("nvrtcGetPTXSize");
        _ptx = (delegate* unmanaged<IntPtr, byte*, int>)E("nvrtcGetPTX");
        _logSize = (delegate* unmanaged<IntPtr, nuint*, int>)E("nvrtcGetProgramLogSize");
        _log = (delegate* unmanaged<IntPtr, byte*, int>)E("nvrtcGetProgramLog");
        _destroy = (delegate* unmanaged<IntPtr*, int>)E("nvrtcDestroyProgram");
        _version = (delegate* unmanaged<int*, int*, int>)E("nvrtcVersion");
        _create = (delegate* unmanaged<IntPtr*, byte*, byte*, int, byte**, byte**, int>)E("nvrtcCreateProgram");
    }

    public static string Version() { int a, b; _version(&a, &b); return $"{a}.{b}"; }

    /// <summary>Compiles <paramref name="source"/> for compute capability major.minor; returns PTX bytes (NUL-terminated).</summary>
    public static byte[] CompileToPtx(string source, string name, int ccMajor, int ccMinor)
    {
        var src = Encoding.UTF8.GetBytes(source + "\0");
        var nm = Encoding.UTF8.GetBytes(name + "\0");
        IntPtr prog;
        fixed (byte* s = src, n = nm)
            if (_create(&prog, s, n, 0, null, null) != 0) throw new CudaException("nvrtcCreateProgram failed.");
        try
        {
            var opts = new[] { $"--gpu-architecture=compute_{ccMajor}{ccMinor}", "--std=c++17", "-default-device" }
                .Select(o => Marshal.StringToHGlobalAnsi(o)).ToArray();
            int rc;
            try
            {
                var arr = stackalloc byte*[opts.Length];
                for (int i = 0; i < opts.Length; i++) arr[i] = (byte*)opts[i];
                rc = _compile(prog, opts.Length, arr);
            }
            finally
            {
                foreach (var o in opts) Marshal.FreeHGlobal(o);
            }
            if (rc != 0)
            {
                nuint ls;
                _logSize(prog, &ls);
                var log = new byte[(int)ls];
                fixed (byte* l = log) _log(prog, l);
                throw new CudaException($"NVRTC could not compile {name} (error {rc}):\n{Encoding.UTF8.GetString(log).TrimEnd('\0')}");
            }
            nuint size;
            _ptxSize(prog, &size);
            var ptx = new byte[(int)size];
            fixed (byte* p = ptx) _ptx(prog, p);
            return ptx;
        }
        finally
        {
            _destroy(&prog);
        }
    }
}
