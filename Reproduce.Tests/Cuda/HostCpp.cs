using System.Diagnostics;

namespace Reproduce.Tests.Cuda;

/// <summary>The harness of the CUDA-kernel emulation tests: CUDA C compiled as host C++ with the compiler
/// <see cref="HostCompilerFactAttribute"/> found (no floating-point contraction, no fast math, so the
/// host arithmetic is the IEEE arithmetic the kernels specify), and the resulting program run.</summary>
internal static class HostCpp
{
    /// <summary>The CUDA integer and correctly rounded double intrinsics the kernels use, by their documented
    /// semantics (host IEEE double arithmetic is round-to-nearest, as the _rn intrinsics are).</summary>
    public const string Intrinsics = """
static inline unsigned int __umulhi(unsigned int a, unsigned int b) { return (unsigned int)(((unsigned long long)a * b) >> 32); }
static inline double __dadd_rn(double a, double b) { return a + b; }
static inline double __dmul_rn(double a, double b) { return a * b; }
static inline double __ddiv_rn(double a, double b) { return a / b; }
static inline double __dsqrt_rn(double a) { return std::sqrt(a); }
static inline long long __double_as_longlong(double d) { long long r; std::memcpy(&r, &d, 8); return r; }
static inline double __longlong_as_double(long long v) { double r; std::memcpy(&r, &v, 8); return r; }
static inline unsigned int __float_as_uint(float f) { unsigned int r; std::memcpy(&r, &f, 4); return r; }

""";

    /// <summary>The launch configuration the kernel wrappers use (256 threads, at most 8192 blocks), Blocks(n) as in the
    /// backends, and launch_seq: a kernel run block by block, thread by thread, for kernels without barriers or warp
    /// shuffles (a test that needs those adds its own threaded launcher after this).</summary>
    public const string SequentialLaunch = """

static const unsigned THREADS = 256;
static unsigned Blocks(long long n) { long long b = (n + THREADS - 1) / THREADS; return (unsigned)std::clamp(b, 1LL, 8192LL); }
template <class F> static void launch_seq(unsigned grid, F f) {
  gridDim.x = grid; blockDim.x = THREADS;
  for (unsigned b = 0; b < grid; b++) { blockIdx.x = b; for (unsigned t = 0; t < THREADS; t++) { threadIdx.x = t; f(); } }
}
""";

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
