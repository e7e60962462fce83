using Reproduce.Compute;

namespace Reproduce.Experiments;

/// <summary>Everything an experiment needs to know about the run: its scale, the base seed, the
/// compute device and where files go. Experiments are pure given a context: the same context
/// gives the same result on CPU, bit for bit.</summary>
public sealed class RunContext
{
    /// <summary>Creates a context; <paramref name="device"/> defaults to <see cref="Device.Auto"/>.</summary>
    public RunContext(Scale scale = Scale.Smoke, ulong seed = 20241, Device? device = null, string? outputDir = null)
    {
        Scale = scale;
        Seed = seed;
        Device = device ?? Device.Auto;
        OutputDir = outputDir ?? Path.Combine(Path.GetTempPath(), "reproduce-out");
    }

    /// <summary>Smoke or paper.</summary>
    public Scale Scale { get; }

    /// <summary>Base seed; every random stream of the run derives from it.</summary>
    public ulong Seed { get; }

    /// <summary>Where matrices live and compute happens.</summary>
    public Device Device { get; }

    /// <summary>Folder for figure files (figures/&lt;paper&gt;/ for committed paper-scale runs).</summary>
    public string OutputDir { get; }

    /// <summary>True at <see cref="Scale.Paper"/>.</summary>
    public bool IsPaper => Scale == Scale.Paper;

    /// <summary>Picks the smoke or the paper value of a size parameter.</summary>
    public T Pick<T>(T smoke, T paper) => IsPaper ? paper : smoke;

    /// <summary>An independent random stream named by a purpose (e.g. "data", "repeat/3").
    /// Streams depend only on the seed and the name, never on call order or threads.</summary>
    public Rng Rng(string stream) => new Rng(Seed).Fork(stream);

    /// <summary>Progress sink for long runs; the runner shows these lines. Defaults to nothing.</summary>
    public IProgress<string> Progress { get; init; } = new Progress<string>(_ => { });

    /// <summary>Folder where long figures keep their finished pieces so a stopped run resumes (<see cref="JobCheckpoints"/>);
    /// null keeps none. Defaults to the REPRODUCE_CHECKPOINTS environment variable.</summary>
    public string? CheckpointDir { get; init; } = NullIfEmpty(Environment.GetEnvironmentVariable("REPRODUCE_CHECKPOINTS"));

    private static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;

    /// <summary>Reports a progress line (e.g. "repeat 3/10").</summary>
    public void Report(string message) => Progress.Report(message);

    /// <summary>The context a notebook builds from its parameters cell (scale "smoke"|"paper",
    /// device "auto"|"cpu"|"cuda", seed). The runner overrides those parameters and sets
    /// REPRODUCE_OUTPUT_DIR; bad values get errors that list the valid ones.</summary>
    public static RunContext FromParameters(string scale, string device, ulong seed, string? outputDir = null) =>
        new(ScaleNames.Parse(scale), seed, Device.Parse(device),
            outputDir ?? Environment.GetEnvironmentVariable("REPRODUCE_OUTPUT_DIR"));

    /// <summary>"scale, seed, device (backend details)" — what a notebook prints so its outputs say
    /// where they were computed (GPU name, driver and CUDA library versions on CUDA).</summary>
    public override string ToString() =>
        $"scale {Scale.ToString().ToLowerInvariant()}, seed {Seed}, device {Device.Name}: {Device.Backend.Describe()}";

    /// <summary>A copy that keeps checkpoints in <paramref name="dir"/> (null: none).</summary>
    public RunContext WithCheckpoints(string? dir) => new(Scale, Seed, Device, OutputDir) { Progress = Progress, CheckpointDir = dir };

    /// <summary>A copy with another scale.</summary>
    public RunContext WithScale(Scale scale) => new(scale, Seed, Device, OutputDir) { Progress = Progress, CheckpointDir = CheckpointDir };
}
