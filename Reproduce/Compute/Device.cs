namespace Reproduce.Compute;

/// <summary>A compute device and the backend that computes on it. <see cref="Auto"/> picks CUDA
/// when a GPU and the CUDA libraries load, else the CPU; the environment variable
/// REPRODUCE_DEVICE=cpu|cuda|auto (or the CLI's --device) overrides. Asking for CUDA where it is
/// not usable is an error that says what was searched, never a silent fallback.</summary>
public sealed class Device
{
    private static readonly Lazy<Device> CpuDevice = new(() => new Device(DeviceKind.Cpu, "cpu", CpuBackendSelector.Select()));
    private static Device? _cuda;
    private static string? _cudaError;
    private static readonly Lock Gate = new();

    /// <summary>Creates a device around a backend.</summary>
    public Device(DeviceKind kind, string name, IBackend backend)
    {
        Kind = kind;
        Name = name;
        Backend = backend;
    }

    /// <summary>CPU or CUDA.</summary>
    public DeviceKind Kind { get; }

    /// <summary>Human-readable name (e.g. "cpu", "cuda:0 NVIDIA H100").</summary>
    public string Name { get; }

    /// <summary>The backend that computes on this device.</summary>
    public IBackend Backend { get; }

    /// <summary>The CPU device (managed SIMD or OpenBLAS, per REPRODUCE_BLAS).</summary>
    public static Device Cpu => CpuDevice.Value;

    /// <summary>Hook the CUDA backend installs: returns the device or an explanation of why not.</summary>
    public static Func<(Device? Device, string? Error)>? CudaFactory { get; set; } = global::Reproduce.Compute.Cuda.CudaBackend.TryCreateDevice;

    /// <summary>The CUDA device; throws <see cref="ComputeException"/> with the reason when unusable.</summary>
    public static Device Cuda => TryCuda(out var error) ?? throw new ComputeException(error!);

    /// <summary>True when a CUDA device is usable here.</summary>
    public static bool CudaAvailable => TryCuda(out _) is not null;

    /// <summary>REPRODUCE_DEVICE if set, else CUDA when usable, else CPU.</summary>
    public static Device Auto
    {
        get
        {
            var env = Environment.GetEnvironmentVariable("REPRODUCE_DEVICE");
            if (!string.IsNullOrWhiteSpace(env)) return Parse(env);
            return TryCuda(out _) ?? Cpu;
        }
    }

    /// <summary>Parses "cpu", "cuda" (or "gpu") and "auto".</summary>
    public static Device Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "cpu" => Cpu,
        "cuda" or "gpu" => Cuda,
        "auto" => TryCuda(out _) ?? Cpu,
        _ => throw new ArgumentException($"Unknown device '{name}'. Use 'cpu', 'cuda' or 'auto'.", nameof(name)),
    };

    private static Device? TryCuda(out string? error)
    {
        lock (Gate)
        {
            if (_cuda is null && _cudaError is null)
            {
                if (CudaFactory is null)
                {
                    _cudaError = "CUDA was asked for, but this build has no CUDA backend registered.";
                }
                else
                {
                    var (d, e) = CudaFactory();
                    _cuda = d;
                    _cudaError = d is null ? e ?? "CUDA is not usable here." : null;
                }
            }
            error = _cudaError;
            return _cuda;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Backend.Name})";
}
