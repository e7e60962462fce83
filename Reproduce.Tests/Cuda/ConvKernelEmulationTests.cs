using System.Runtime.InteropServices;
using Reproduce.Compute;
using Reproduce.Compute.Cuda;
using Reproduce.Nn;

namespace Reproduce.Tests.Cuda;

/// <summary>The NVRTC convolution kernels (<see cref="ConvKernelSource"/>: im2col, col2im, max-pool
/// forward and backward) checked without a GPU: the source is compiled as host C++ behind the prelude of
/// <see cref="NnKernelEmulationTests"/>, each kernel runs with the launch geometry of CudaBackend
/// (256 threads a block, Blocks(n) blocks) and with a single block (so every thread loops over the grid
/// stride), on inputs written by this test, and the outputs must equal the C# host loops of
/// <see cref="Conv2d"/> and <see cref="MaxPool2d"/> bit for bit, in float64 and float32 (both copy
/// values, and col2im sums in the same order).</summary>
public class ConvKernelEmulationTests
{
    private const string Main = HostCpp.SequentialLaunch + """

template <class T> static std::vector<T> readv(const std::string& path, long long n) {
  std::vector<double> d(n); FILE* f = fopen(path.c_str(), "rb");
  if (!f || fread(d.data(), 8, n, f) != (size_t)n) { fprintf(stderr, "cannot read %s\n", path.c_str()); exit(3); }
  fclose(f); return std::vector<T>(d.begin(), d.end());
}
template <class T> static void writev(const std::string& path, const std::vector<T>& v) {
  std::vector<double> d(v.begin(), v.end()); FILE* f = fopen(path.c_str(), "wb"); fwrite(d.data(), 8, d.size(), f); fclose(f);
}
template <class T> static void run(const std::string& dir, const char* tag, int C, int H, int W, int k, int p, int N, int s, bool oneBlock) {
  int Ho = H + 2 * p - k + 1, Wo = W + 2 * p - k + 1;
  long long nx = (long long)H * W * C * N, nc = (long long)k * k * C * Ho * Wo * N, np = (long long)(H / s) * (W / s) * C * N;
  auto x = readv<T>(dir + "/x.bin", nx), dcols = readv<T>(dir + "/dcols.bin", nc), dpool = readv<T>(dir + "/dpool.bin", np);
  std::vector<T> cols(nc, (T)NAN), dx(nx, (T)NAN), y(np, (T)NAN), dxp(nx, (T)NAN);
  auto g = [&](long long n) { return oneBlock ? 1u : Blocks(n); };
  bool f64 = sizeof(T) == 8;
  launch_seq(g(nc), [&] { if (f64) conv_im2col_f64(C, H, W, k, p, N, (const double*)x.data(), (double*)cols.data()); else conv_im2col_f32(C, H, W, k, p, N, (const float*)x.data(), (float*)cols.data()); });
  launch_seq(g(nx), [&] { if (f64) conv_col2im_f64(C, H, W, k, p, N, (const double*)dcols.data(), (double*)dx.data()); else conv_col2im_f32(C, H, W, k, p, N, (const float*)dcols.data(), (float*)dx.data()); });
  launch_seq(g(np), [&] { if (f64) conv_maxpool_fwd_f64(C, H, W, s, N, (const double*)x.data(), (double*)y.data()); else conv_maxpool_fwd_f32(C, H, W, s, N, (const float*)x.data(), (float*)y.data()); });
  launch_seq(g(nx), [&] { if (f64) conv_maxpool_bwd_f64(C, H, W, s, N, (const double*)dpool.data(), (const double*)x.data(), (double*)dxp.data()); else conv_maxpool_bwd_f32(C, H, W, s, N, (const float*)dpool.data(), (const float*)x.data(), (float*)dxp.data()); });
  std::string t = dir + "/" + tag;
  writev(t + "-cols.bin", cols); writev(t + "-col2im.bin", dx); writev(t + "-pool.bin", y); writev(t + "-poolbwd.bin", dxp);
}
// argv: dir C H W k p N s
int main(int argc, char** argv) {
  if (argc != 9) return 2;
  std::string dir = argv[1];
  int C = atoi(argv[2]), H = atoi(argv[3]), W = atoi(argv[4]), k = atoi(argv[5]), p = atoi(argv[6]), N = atoi(argv[7]), s = atoi(argv[8]);
  run<double>(dir, "f64", C, H, W, k, p, N, s, false);
  run<double>(dir, "f64-oneblock", C, H, W, k, p, N, s, true);
  run<float>(dir, "f32", C, H, W, k, p, N, s, false);
  return 0;
}
""";

    private static readonly Lazy<string> Exe = new(() => HostCpp.Compile("conv_kernels_host",
        NnKernelEmulationTests.Prelude + "\n#include <string>\n" + ConvKernelSource.Source + Main, "-std=c++20 -O1 -pthread", "the convolution kernel source"));

    private static (int Rc, string Output) Run(string file, string args) => HostCpp.Run(file, args);

    private static void Write(string path, Matrix m) => File.WriteAllBytes(path, MemoryMarshal.AsBytes(m.ToArray().AsSpan()).ToArray());

    private static double[] Read(string path) => MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(path)).ToArray();

    /// <summary>3-channel 7×6 images (odd height: pooling drops a row), batch 4, 3×3 kernel with padding 1,
    /// and 2-channel 6×5 images with a 5×5 kernel and padding 2 (wider than the 6×5 image's margin).</summary>
    [HostCompilerTheory]
    [InlineData(3, 7, 6, 3, 1, 4, 2)]
    [InlineData(2, 6, 5, 5, 2, 3, 2)]
    [InlineData(1, 9, 9, 3, 0, 2, 3)]
    public void ConvKernelsEqualTheHostLoopsBitForBit(int c, int h, int w, int k, int p, int n, int s)
    {
        var dir = Directory.CreateTempSubdirectory("conv-emu").FullName;
        var exe = Exe.Value;
        var shape = new ImageShape(c, h, w);
        var rng = new Rng(17);
        var x = rng.NormalMatrix(shape.Features, n);
        var o = Conv2d.OutputShape("conv", shape, 1, k, p);
        var dcols = rng.NormalMatrix(k * k * c, o.Pixels * n);
        var dpool = rng.NormalMatrix(MaxPool2d.OutputShape("pool", shape, s).Features, n);
        Write(Path.Combine(dir, "x.bin"), x); Write(Path.Combine(dir, "dcols.bin"), dcols); Write(Path.Combine(dir, "dpool.bin"), dpool);
        var (rc, output) = Run(exe, string.Join(' ', dir, c, h, w, k, p, n, s));
        Assert.True(rc == 0, output);
        foreach (var (tag, dt) in new[] { ("f64", DType.F64), ("f64-oneblock", DType.F64), ("f32", DType.F32) })
        {
            var xt = x.AsType(dt); var dct = dcols.AsType(dt); var dpt = dpool.AsType(dt);
            Assert.Equal(Conv2d.Im2Col(xt, shape, k, p).ToArray(), Read(Path.Combine(dir, tag + "-cols.bin")));
            Assert.Equal(Conv2d.Col2Im(dct, shape, k, p, n).ToArray(), Read(Path.Combine(dir, tag + "-col2im.bin")));
            Assert.Equal(MaxPool2d.Forward("pool", xt, shape, s).ToArray(), Read(Path.Combine(dir, tag + "-pool.bin")));
            Assert.Equal(MaxPool2d.Backward("pool", dpt, xt, shape, s).ToArray(), Read(Path.Combine(dir, tag + "-poolbwd.bin")));
        }
    }
}
