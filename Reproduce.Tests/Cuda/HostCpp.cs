using System.Diagnostics;

namespace Reproduce.Tests.Cuda;

/// <summary>The harness of the CUDA-kernel emulation tests: CUDA C compiled as host C++ with the compiler
/// <see cref="HostCompilerFactAttribute"/> found (no floating-point contraction, no fast math, so the
/// host arithmetic is the IEEE arithmetic the kernels specify), and the resulting program run.</summary>
internal static class HostCpp
{
    /// <summary>Writes <paramref name="source"/> to a fresh temporary folder as <paramref name="name"/>.cpp,
    /// compiles it with <paramref name="flags"/> (e.g. "-std=c++20 -O2 -pthread") and returns the
    /// executable; a compile error fails the test with the compiler's output, naming <paramref name="what"/>.</summary>
    public static string Compile(string name, string source, string flags, string what)
    {
        var dir = Directory.CreateTempSubdirectory(name + "-emu").FullName;
        var src = Path.Combine(dir, name + ".cpp");
        File.WriteAllText(src, source);
        var exe = Path.Combine(dir, name);
        var (rc, output) = Run(HostCompilerFactAttribute.Compiler!, $"{flags} -ffp-contract=off -fno-fast-math -w -o {exe} {src} -lm");
        Assert.True(rc == 0, $"{what} does not compile as host C++:\n" + output);
        return exe;
    }

    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>: exit code and stdout followed by stderr.</summary>
    public static (int Rc, string Output) Run(string file, string args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr);
    }
}
