namespace Reproduce.Compute.Cuda;

/// <summary>One GPU: its primary context, library handles, the memory pool and the compiled
/// kernel module. Created once per process by <see cref="TryCreate"/>; every entry point makes
/// the context current on the calling thread first (cheap), so any thread may call in.</summary>
internal sealed unsafe class CudaContext
{
    private readonly Dictionary<string, IntPtr> _functions = [];
    private readonly Dictionary<string, IntPtr> _modules = [];

    private CudaContext(int device, IntPtr ctx)
    {
        DeviceOrdinal = device;
        Context = ctx;
        Pool = new CudaMemoryPool(MakeCurrent);
    }

    public int DeviceOrdinal { get; }
    public IntPtr Context { get; }
    public CudaMemoryPool Pool { get; }
    public IntPtr Blas { get; private set; }
    public IntPtr Solver { get; private set; }
    public IntPtr Sparse { get; private set; }
    public string DeviceName { get; private set; } = "";
    public int CcMajor { get; private set; }
    public int CcMinor { get; private set; }
    public int Multiprocessors { get; private set; }
    public long TotalMemory { get; private set; }
    public int DriverVersion { get; private set; }
    public int BlasVersion { get; private set; }
    public int SolverVersion { get; private set; }
    public int SparseVersion { get; private set; }
    public string NvrtcVersion { get; private set; } = "";

    public void MakeCurrent() => CuDriver.SetCurrent(Context);

    /// <summary>Initialises device 0, or returns null with a reason listing what was searched/missing.</summary>
    public static CudaContext? TryCreate(out string? error)
    {
        try
        {
            if (!CudaLibraries.TryLoad("cuda", out _, out var why))
            {
                error = $"CUDA is not usable: the NVIDIA driver library was not found ({why}). Use --device cpu, or run on a machine with an NVIDIA GPU and driver.";
                return null;
            }
            CuDriver.Bind();
            int rc = CuDriver.Init();
            if (rc != 0)
            {
                error = $"CUDA is not usable: cuInit failed with error {rc} (100 = no CUDA-capable device). Use --device cpu.";
                return null;
            }
            if (CuDriver.DeviceCount() == 0)
            {
                error = "CUDA is not usable: the driver reports no GPU. Use --device cpu.";
                return null;
            }
            var missing = new List<string>();
            foreach (var lib in new[] { "nvrtc", "cublas", "cusolver", "cusparse" })
                if (!CudaLibraries.TryLoad(lib, out _, out var m)) missing.Add(m);
            if (missing.Count > 0)
            {
                error = "CUDA is not usable: the GPU is there but CUDA libraries are missing:\n  " + string.Join("\n  ", missing)
                    + "\nInstall the CUDA 12/13 toolkit libraries (cuBLAS, cuSOLVER, cuSPARSE, NVRTC) or point CUDA_PATH / LD_LIBRARY_PATH at them.";
                return null;
            }
            int dev = CuDriver.DeviceGet(0);
            var c = new CudaContext(dev, CuDriver.RetainPrimaryContext(dev));
            c.Initialise();
            error = null;
            return c;
        }
        catch (Exception e) when (e is ComputeException or DllNotFoundException or EntryPointNotFoundException)
        {
            error = "CUDA is not usable: " + e.Message;
            return null;
        }
    }

    private void Initialise()
    {
        MakeCurrent();
        DeviceName = CuDriver.DeviceName(DeviceOrdinal);
        CcMajor = CuDriver.Attribute(DeviceOrdinal, CuDriver.AttrComputeCapabilityMajor);
        CcMinor = CuDriver.Attribute(DeviceOrdinal, CuDriver.AttrComputeCapabilityMinor);
        Multiprocessors = CuDriver.Attribute(DeviceOrdinal, CuDriver.AttrMultiprocessorCount);
        TotalMemory = CuDriver.TotalMemory(DeviceOrdinal);
        DriverVersion = CuDriver.DriverVersion();
        Nvrtc.Bind();
        CuBlas.Bind();
        CuSolver.Bind();
        CuSparse.Bind();
        NvrtcVersion = Nvrtc.Version();
        IntPtr h;
        CuBlas.Check(CuBlas.Create(&h), "cublasCreate");
        Blas = h;
        int v;
        CuBlas.Check(CuBlas.GetVersion(Blas, &v), "cublasGetVersion");
        BlasVersion = v;
        // TF32 tensor cores for float32 GEMM only when asked: results differ from IEEE float32.
        bool tf32 = Environment.GetEnvironmentVariable("REPRODUCE_TF32") is "1" or "true";
        CuBlas.Check(CuBlas.SetMathMode(Blas, tf32 ? CuBlas.Tf32TensorOpMath : CuBlas.DefaultMath), "cublasSetMathMode");
        AllowTf32 = tf32;
        // bf16 GEMM operands likewise only when asked (CudaBackend.Bf16).
        AllowBf16 = Environment.GetEnvironmentVariable("REPRODUCE_BF16") is "1" or "true";
        CuSolver.Check(CuSolver.Create(&h), "cusolverDnCreate");
        Solver = h;
        CuSolver.Check(CuSolver.GetVersion(&v), "cusolverGetVersion");
        SolverVersion = v;
        CuSparse.Check(CuSparse.Create(&h), "cusparseCreate");
        Sparse = h;
        CuSparse.Check(CuSparse.GetVersion(Sparse, &v), "cusparseGetVersion");
        SparseVersion = v;
    }

    public bool AllowTf32 { get; private set; }

    /// <summary>Whether float32 GEMMs round their operands to bfloat16 (CudaBackend.Bf16).</summary>
    public bool AllowBf16 { get; set; }

    /// <summary>Switches cuBLAS float32 GEMMs to TF32 tensor cores (10-bit mantissa inputs, float32
    /// accumulation) or back to IEEE float32.</summary>
    public void SetTf32(bool on)
    {
        MakeCurrent();
        CuBlas.Check(CuBlas.SetMathMode(Blas, on ? CuBlas.Tf32TensorOpMath : CuBlas.DefaultMath), "cublasSetMathMode");
        AllowTf32 = on;
    }

    /// <summary>A kernel from the main module (<see cref="CudaKernelSource"/>), compiling it with NVRTC at first use.</summary>
    public IntPtr Function(string name) => Function(name, CudaKernelSource.Source, "reproduce_kernels.cu");

    /// <summary>A kernel from the module built from <paramref name="source"/> (one module per source,
    /// compiled with NVRTC at first use; kernel names must be unique across sources).</summary>
    public IntPtr Function(string name, string source, string fileName)
    {
        lock (_functions)
        {
            if (_functions.TryGetValue(name, out var f)) return f;
            if (!_modules.TryGetValue(fileName, out var module))
            {
                var ptx = Nvrtc.CompileToPtx(source, fileName, CcMajor, CcMinor);
                MakeCurrent();
                _modules[fileName] = module = CuDriver.LoadModule(ptx);
            }
            f = CuDriver.GetFunction(module, name);
            _functions[name] = f;
            return f;
        }
    }

    public string Describe() =>
        $"cuda:{DeviceOrdinal} {DeviceName} (sm_{CcMajor}{CcMinor}, {Multiprocessors} SMs, {TotalMemory / (1L << 30)} GiB); " +
        $"driver {DriverVersion / 1000}.{DriverVersion % 1000 / 10}; cuBLAS {BlasVersion} ({CudaLibraries.PathOf("cublas")}); " +
        $"cuSOLVER {SolverVersion}; cuSPARSE {SparseVersion}; NVRTC {NvrtcVersion}; TF32 {(AllowTf32 ? "on" : "off")}; bf16 GEMMs {(AllowBf16 ? "on" : "off")}";
}
