using System.Globalization;
using Reproduce.Compute;
using Reproduce.Compute.Cuda;

namespace Reproduce.Tests.Cuda;

/// <summary>The CUDA C of the Philox fill kernels, checked without a GPU: the whole kernel source is
/// compiled as host C++ (g++, ISO mode, no floating-point contraction) behind a prelude that defines
/// the CUDA built-ins it uses (<c>threadIdx</c>, <c>__umulhi</c>, <c>__dmul_rn</c>, …) by their
/// documented semantics, and the kernel is launched by a loop over a small grid (so the grid-stride
/// loop wraps several times). Its output must equal the C# CPU twin bit for bit: this tests the
/// kernel's index arithmetic, counters, word order, maps and float32 handling, and that its
/// constants and operation order match <see cref="PhiloxMath"/>. What it cannot test is NVRTC
/// itself; the GPU parity suite (`reproduce cuda check`) does that on a GPU machine.</summary>
public class CudaKernelEmulationTests
{
    private static readonly string Prelude = """
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cmath>
struct Dim3 { unsigned int x, y, z; };
static Dim3 threadIdx, blockIdx, blockDim, gridDim;
#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
static inline void __syncthreads() {}
""" + HostCpp.Intrinsics;

    private const string Main = """

// argv: kind n key first f32 grid block -> one hex word per element (unwritten elements stay all ones)
int main(int argc, char** argv) {
  // argv: bf16 bits... -> f32_to_bf16 (the bf16 GEMM option's conversion) of each float32 given by its hex bits
  if (argc >= 2 && strcmp(argv[1], "bf16") == 0) {
    long long n = argc - 2;
    float* x = (float*)malloc((size_t)n * 4 + 4); unsigned short* y = (unsigned short*)malloc((size_t)n * 2 + 2);
    for (long long i = 0; i < n; i++) { unsigned v = (unsigned)strtoul(argv[2 + i], 0, 16); memcpy(&x[i], &v, 4); }
    gridDim.x = 2; blockDim.x = 3;
    for (unsigned b = 0; b < gridDim.x; b++)
      for (unsigned t = 0; t < blockDim.x; t++) { blockIdx.x = b; threadIdx.x = t; f32_to_bf16(n, x, y); }
    for (long long i = 0; i < n; i++) printf("%04x\n", y[i]);
    return 0;
  }
  if (argc != 8) return 2;
  int kind = atoi(argv[1]); long long n = atoll(argv[2]); unsigned long long key = strtoull(argv[3], 0, 10);
  long long first = atoll(argv[4]); int f32 = atoi(argv[5]);
  gridDim.x = (unsigned)atoi(argv[6]); blockDim.x = (unsigned)atoi(argv[7]);
  void* out = malloc((size_t)n * (f32 ? 4 : 8) + 8);
  memset(out, 0xFF, (size_t)n * (f32 ? 4 : 8));
  for (unsigned b = 0; b < gridDim.x; b++)
    for (unsigned t = 0; t < blockDim.x; t++) {
      blockIdx.x = b; threadIdx.x = t;
      if (f32) philox_fill_f32(kind, n, key, first, (float*)out); else philox_fill_f64(kind, n, key, first, (double*)out);
    }
  for (long long i = 0; i < n; i++) {
    if (f32) { unsigned v; memcpy(&v, (char*)out + 4 * i, 4); printf("%08x\n", v); }
    else { unsigned long long v; memcpy(&v, (char*)out + 8 * i, 8); printf("%016llx\n", v); }
  }
  return 0;
}
""";

    private static readonly Lazy<string> Executable = new(Build);

    private static string Build() =>
        HostCpp.Compile("kernels_host", Prelude + CudaKernelSource.Source + Main, "-std=c++17 -O2", "the CUDA kernel source");

    private static (int Rc, string Output) Run(string file, string args) => HostCpp.Run(file, args);

    public static TheoryData<RandomKind, bool> Kinds()
    {
        var d = new TheoryData<RandomKind, bool>();
        foreach (var kind in Enum.GetValues<RandomKind>()) { d.Add(kind, false); d.Add(kind, true); }
        return d;
    }

    [HostCompilerFact]
    public void TheKernelSourceCompilesAsHostCpp() => Assert.True(File.Exists(Executable.Value));

    [HostCompilerTheory]
    [MemberData(nameof(Kinds))]
    public void TheEmulatedKernelEqualsTheCpuTwinBitForBit(RandomKind kind, bool f32)
    {
        var cases = new (long First, int N, ulong Key, int Grid, int Block)[]
        {
            (0, 1, 1, 1, 1), (0, 1000, 0x0123456789ABCDEFUL, 3, 7), (1, 999, 42, 2, 32), (127, 300, ulong.MaxValue, 5, 3),
            ((1L << 33) - 7, 64, 7, 1, 13), ((1L << 62) + 12_345, 257, 0x9E3779B97F4A7C15UL, 4, 16), (long.MaxValue - 100, 101, 3, 2, 8),
        };
        foreach (var (first, n, key, grid, block) in cases)
        {
            var (rc, output) = Run(Executable.Value, string.Join(' ', (int)kind, n, key, first, f32 ? 1 : 0, grid, block));
            Assert.True(rc == 0, output);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(n, lines.Length);
            if (f32)
            {
                var expected = new float[n];
                Philox.Fill(kind, key, first, expected);
                for (int i = 0; i < n; i++)
                    Assert.True(uint.Parse(lines[i], NumberStyles.HexNumber) == BitConverter.SingleToUInt32Bits(expected[i]),
                        $"{kind} f32 first {first} element {i}: kernel {lines[i]}, CPU {BitConverter.SingleToUInt32Bits(expected[i]):x8} ({expected[i]:R})");
            }
            else
            {
                var expected = new double[n];
                Philox.Fill(kind, key, first, expected);
                for (int i = 0; i < n; i++)
                    Assert.True(ulong.Parse(lines[i], NumberStyles.HexNumber) == BitConverter.DoubleToUInt64Bits(expected[i]),
                        $"{kind} f64 first {first} element {i}: kernel {lines[i]}, CPU {BitConverter.DoubleToUInt64Bits(expected[i]):x16} ({expected[i]:R})");
            }
        }
    }

    /// <summary>The bf16 GEMM option's conversion kernel (<c>f32_to_bf16</c>) against <see cref="Reproduce.Nn.Bf16.Bits"/>:
    /// ties in both directions, just above and below a tie, the largest values, infinities, NaNs,
    /// subnormals, zeros of both signs, and random floats over a wide range.</summary>
    [HostCompilerFact]
    public void TheBf16ConversionKernelRoundsAsTheHost()
    {
        var bits = new List<uint> { 0x3F808000, 0x3F818000, 0x3F808001, 0x3F807FFF, 0x7F7FFFFF, 0x7F7F8000, 0x7F7F7FFF, 0x7F800000, 0xFF800000,
            0x7FC00000, 0x7F800001, 0xFFFFFFFF, 0x00000001, 0x00008000, 0x00018000, 0x807FFFFF, 0x00000000, 0x80000000 };
        var rng = new Rng(11);
        for (int i = 0; i < 200; i++) bits.Add(BitConverter.SingleToUInt32Bits((float)(rng.Normal() * Math.Exp(rng.Normal() * 20))));
        var (rc, output) = Run(Executable.Value, "bf16 " + string.Join(' ', bits.Select(b => b.ToString("x8", CultureInfo.InvariantCulture))));
        Assert.True(rc == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(bits.Count, lines.Length);
        for (int i = 0; i < bits.Count; i++)
        {
            ushort expected = Reproduce.Nn.Bf16.Bits(BitConverter.UInt32BitsToSingle(bits[i]));
            Assert.True(ushort.Parse(lines[i], NumberStyles.HexNumber) == expected, $"{bits[i]:x8}: kernel {lines[i]}, host {expected:x4}");
        }
    }

    [Fact]
    public void TheKernelUsesExactlyTheCpuConstants()
    {
        // Each PhiloxMath coefficient must appear in the CUDA source as its exact hexadecimal literal.
        foreach (double c in PhiloxMath.Constants)
            Assert.Contains(HexLiteral(c), CudaKernelSource.Source);
    }

    /// <summary>A double as a C99/C++17 hexadecimal literal, "0x1.hhhhhhhhhhhhhp±e" (normal numbers).</summary>
    internal static string HexLiteral(double x)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(x);
        string sign = (bits >> 63) != 0 ? "-" : "";
        int exp = (int)((bits >> 52) & 0x7FF) - 1023;
        ulong mant = bits & 0x000FFFFFFFFFFFFFUL;
        return string.Create(CultureInfo.InvariantCulture, $"{sign}0x1.{mant:x13}p{(exp >= 0 ? "+" : "")}{exp}");
    }
}
