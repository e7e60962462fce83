using System.Diagnostics;
using Reproduce.Compute;
using Reproduce.Data;
using Reproduce.Figures;
using Reproduce.Cli.Kernel;
using Reproduce.LinearProgramming;
using Reproduce.Logistic;
using Reproduce.Tests.Cuda;

namespace Reproduce.Tests.Parts;

/// <summary>Whether each optional part is usable here, probed with the library's own detection (the
/// CPU backend's OpenBLAS loader, the CLP/CBC and Chromium lookups, the kernel's libzmq loader, the
/// Fashion-MNIST folder), so a test skips exactly when the library would go without the part. Each
/// probe runs once per test process.</summary>
public static class OptionalParts
{
    /// <summary>Python with Jupyter's packages: Debian's, never a pyenv/venv interpreter.</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly Dictionary<Part, Lazy<string?>> Probes = new()
    {
        [Part.OpenBlas] = new(() => OpenBlasNative.TryLoad(out var e) is null ? e : null),
        [Part.Clp] = new(() => ClpSolver.IsAvailable ? null : ClpSolver.MissingReason),
        [Part.Cbc] = new(() => MunteanuMip.IsAvailable ? null : "the COIN-OR CBC binary 'cbc' is not on PATH (or set CBC_BINARY)"),
        [Part.Chromium] = new(() => ChromiumPng.Executable is null ? "Chromium is not at /usr/bin/chromium (or REPRODUCE_CHROMIUM)" : null),
        [Part.LibZmq] = new(ProbeLibZmq),
        [Part.Jupyter] = new(ProbeJupyter),
        [Part.FashionMnist] = new(() => FashionMnistStandIn.MissingReason()),
        [Part.HostCompiler] = new(() => HostCompilerFactAttribute.Compiler is null ? "no host C++ compiler (g++ or c++) on PATH" : null),
        [Part.Snakemake] = new(() => OnPath("snakemake") is null ? "snakemake is not on PATH" : null),
        [Part.Cuda] = new(() => Device.CudaAvailable ? null : "no CUDA device"),
    };

    /// <summary>The command that installs the part on Debian/Ubuntu.</summary>
    public static string InstallCommand(Part part) => part switch
    {
        Part.OpenBlas => "apt-get install libopenblas0 liblapacke",
        Part.Clp => "apt-get install coinor-clp",
        Part.Cbc => "apt-get install coinor-cbc",
        Part.Chromium => "apt-get install chromium",
        Part.LibZmq => "apt-get install libzmq5",
        Part.Jupyter => "apt-get install python3-nbformat python3-nbclient jupyter-client jupyter-nbconvert",
        Part.FashionMnist => "apt-get install dataset-fashion-mnist",
        Part.HostCompiler => "apt-get install g++",
        Part.Snakemake => "apt-get install snakemake",
        Part.Cuda => "an NVIDIA GPU with the CUDA 12/13 libraries (README, Running on a GPU machine)",
        _ => throw new ArgumentOutOfRangeException(nameof(part), part, null),
    };

    /// <summary>Null when the part is usable, else why not.</summary>
    public static string? Missing(Part part) => Probes[part].Value;

    /// <summary>True when the part is usable here.</summary>
    public static bool Has(Part part) => Missing(part) is null;

    /// <summary>The skip reason for a test that needs <paramref name="parts"/>, or null when all are here:
    /// "needs OpenBlas: &lt;why&gt;; install: &lt;command&gt;" for each missing part.</summary>
    public static string? SkipReason(params Part[] parts)
    {
        var missing = parts.Where(p => !Has(p)).Select(p => $"needs {p}: {Missing(p)!.TrimEnd('.')}; install: {InstallCommand(p)}").ToList();
        return missing.Count == 0 ? null : "skipped: " + string.Join(" | ", missing);
    }

    /// <summary>Full path of <paramref name="program"/> on PATH, or null.</summary>
    public static string? OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    private static string? ProbeLibZmq()
    {
        try { LibZmq.Load(); return null; }
        catch (LibZmqMissingException e) { return e.Message; }
    }

    private static string? ProbeJupyter()
    {
        if (!File.Exists(Python)) return Python + " is missing";
        var psi = new ProcessStartInfo(Python, ["-c", "import nbformat, nbclient, jupyter_client, nbconvert"])
        { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.Environment.Remove("PYTHONPATH");
        psi.Environment.Remove("PYTHONHOME");
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? null : $"{Python} cannot import Jupyter's packages ({err.Trim().Split('\n')[^1]})";
    }
}
