using System.Diagnostics;
using System.Text.Json.Nodes;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Kernel;

/// <summary>What the kernel tests need from the machine: the built CLI, Debian's /usr/bin/python3
/// with jupyter_client, and libzmq. Each missing part is a skip reason, never a failure.</summary>
internal static class KernelTestEnvironment
{
    public const string Python = "/usr/bin/python3";

    /// <summary>The repository root (the folder holding Reproduce.sln).</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>Reproduce.Cli.dll of the same build configuration as this test assembly.</summary>
    public static string CliDll
    {
        get
        {
            string config = Path.GetFileName(Path.GetDirectoryName(typeof(KernelTestEnvironment).Assembly.Location)!);
            return Path.Combine(RepoRoot, "artifacts", "bin", "Reproduce.Cli", config, "Reproduce.Cli.dll");
        }
    }

    public static string DriverScript => Path.Combine(RepoRoot, "Reproduce.Tests", "Kernel", "kernel_client.py");

    private static readonly Lazy<string?> MissingReason = new(() =>
    {
        // The same probes as every other test that needs an optional part (Parts/OptionalParts.cs).
        if (OptionalParts.SkipReason(Part.LibZmq, Part.Jupyter) is { } reason) return reason;
        if (!File.Exists(CliDll)) return $"skipped: {CliDll} is not built";
        return null;
    });

    /// <summary>Null when the real-client tests can run, else why not.</summary>
    public static string? SkipReason => MissingReason.Value;

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs a process to completion (killed after <paramref name="timeout"/>).</summary>
    public static Result Run(string file, IEnumerable<string> args, IDictionary<string, string>? env, TimeSpan timeout, string? cwd = null)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = cwd ?? RepoRoot,
        };
        // Debian's python modules, not a pyenv/venv interpreter's.
        psi.Environment.Remove("PYTHONPATH");
        psi.Environment.Remove("PYTHONHOME");
        psi.Environment["PYDEVD_DISABLE_FILE_VALIDATION"] = "1";
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds} s. stderr so far: {(stderr.IsCompleted ? stderr.Result : "")}");
        }
        p.WaitForExit();
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs `dotnet Reproduce.Cli.dll args`.</summary>
    public static Result Cli(IEnumerable<string> args, IDictionary<string, string>? env = null, TimeSpan? timeout = null) =>
        Run("dotnet", [CliDll, .. args], env, timeout ?? TimeSpan.FromMinutes(5));

    /// <summary>A temporary Jupyter prefix with the kernelspec installed by `reproduce kernel install --prefix`;
    /// returns the environment (JUPYTER_PATH, runtime dir, kernel log) that makes clients find it.</summary>
    public static Dictionary<string, string> InstallKernelSpec(string prefix)
    {
        var r = Cli(["kernel", "install", "--prefix", prefix]);
        if (r.ExitCode != 0) throw new InvalidOperationException($"kernel install failed ({r.ExitCode}): {r.Stdout}{r.Stderr}");
        return new Dictionary<string, string>
        {
            ["JUPYTER_PATH"] = Path.Combine(prefix, "share", "jupyter"),
            ["JUPYTER_RUNTIME_DIR"] = Path.Combine(prefix, "runtime"),
            ["JUPYTER_DATA_DIR"] = Path.Combine(prefix, "data"),
            ["JUPYTER_CONFIG_DIR"] = Path.Combine(prefix, "config"),
            ["KERNEL_STDERR"] = Path.Combine(prefix, "kernel.log"),
            // A fresh history folder per test, so session numbers and entries are known.
            ["REPRODUCE_KERNEL_HISTORY"] = Path.Combine(prefix, "history"),
            ["SCRATCH"] = prefix,
            ["PATH"] = "/usr/bin:/bin:" + Environment.GetEnvironmentVariable("PATH"),
        };
    }

    /// <summary>Runs one kernel_client.py scenario and parses its JSON.</summary>
    public static JsonObject Scenario(string name, Dictionary<string, string> env, TimeSpan? timeout = null)
    {
        var r = Run(Python, [DriverScript, name], env, timeout ?? TimeSpan.FromMinutes(5));
        if (r.ExitCode != 0)
        {
            string log = env.TryGetValue("KERNEL_STDERR", out var f) && File.Exists(f) ? File.ReadAllText(f) : "";
            throw new InvalidOperationException($"scenario {name} exited {r.ExitCode}.\nstdout: {r.Stdout}\nstderr: {r.Stderr}\nkernel log: {log}");
        }
        return JsonNode.Parse(r.Stdout.Trim().Split('\n')[^1])!.AsObject();
    }

    public static string TempDirectory(string tag)
    {
        string d = Path.Combine(Path.GetTempPath(), $"reproduce-{tag}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(d);
        return d;
    }

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Reproduce.sln"))) return d.FullName;
        throw new InvalidOperationException("Reproduce.sln not found above " + AppContext.BaseDirectory);
    }
}
