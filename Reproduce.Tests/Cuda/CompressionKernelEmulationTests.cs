using System.Runtime.InteropServices;
using Reproduce.Compression;
using Reproduce.Compute;
using Reproduce.Compute.Cuda;

namespace Reproduce.Tests.Cuda;

/// <summary>The pruning kernels (<see cref="CompressionKernelSource"/>) checked without a GPU: the source is compiled
/// as host C++ behind <see cref="NnKernelEmulationTests.Prelude"/> (each thread of a block an OS thread, so
/// <c>__syncthreads</c> is a real rendezvous; shared-memory and global atomics are real atomics), the C++ main below
/// launches the kernels in the order and with the geometry of <see cref="CudaBackend"/> (256 threads a block,
/// Blocks(n) = clamp(⌈n/256⌉, 1, 8192); also a single block, so every grid-stride loop wraps), and the outputs are
/// compared with the host code they replace: the top-k masks with <see cref="PruningMask.TopK"/> (exactly, ties
/// included), a whole SparseGPT sweep with <see cref="SparseGpt"/> given the same U (bit for bit in one block; in
/// several blocks the lazy update here is a plain loop, so the masks must agree and the weights to rounding), and
/// ALPS's projection and updates with <see cref="Alps.Project"/> and the host formulas (bit for bit).</summary>
public class CompressionKernelEmulationTests
{
    private const string Atomics = """
static inline unsigned int atomicAdd(unsigned int* p, unsigned int v) { return __atomic_fetch_add(p, v, __ATOMIC_RELAXED); }
static inline unsigned long long atomicAdd(unsigned long long* p, unsigned long long v) { return __atomic_fetch_add(p, v, __ATOMIC_RELAXED); }
static inline float __fadd_rn(float a, float b) { return a + b; }
#include <string>

""";

    private const string Main = HostCpp.SequentialLaunch + """

template <class F> static void launch_thr(unsigned grid, F f) {
  gridDim.x = grid; blockDim.x = THREADS;
  std::barrier<> bb(THREADS), done(THREADS); g_block_bar = &bb;
  std::vector<std::thread> th;
  for (unsigned t = 0; t < THREADS; t++)
    th.emplace_back([t, grid, &f, &done] { for (unsigned b = 0; b < grid; b++) { blockIdx.x = b; threadIdx.x = t; f(); done.arrive_and_wait(); } });
  for (auto& x : th) x.join();
}
static std::vector<double> readd(const std::string& path, long long n) {
  std::vector<double> d(n); FILE* f = fopen(path.c_str(), "rb");
  if (!f || fread(d.data(), 8, n, f) != (size_t)n) { fprintf(stderr, "cannot read %s\n", path.c_str()); exit(3); }
  fclose(f); return d;
}
static void writed(const std::string& path, const double* v, long long n) { FILE* f = fopen(path.c_str(), "wb"); fwrite(v, 8, n, f); fclose(f); }
static void writeb(const std::string& path, const unsigned char* k, long long n) { std::vector<double> d(k, k + n); writed(path, d.data(), n); }

// CudaBackend.TopKMask
static void topk(const double* x, long long n, int absval, long long kept, unsigned char* keep, bool oneBlock) {
  if (kept == 0) { std::fill(keep, keep + n, 0); return; }
  SelectState st; unsigned int hist[256];
  unsigned g = oneBlock ? 1 : Blocks(n);
  launch_thr(1, [&] { cmp_select_init(&st, kept, hist); });
  for (int shift = 56; shift >= 0; shift -= 8) {
    launch_thr(g, [&] { cmp_select_hist(n, x, absval, &st, shift, hist); });
    launch_thr(1, [&] { cmp_select_pick(shift, hist, &st); });
  }
  launch_seq(g, [&] { cmp_select_mark(n, x, absval, &st, keep); });
  launch_thr(1, [&] { cmp_select_ties(n, x, absval, &st, keep); });
}

int main(int argc, char** argv) {
  std::string cmd = argv[1], dir = argv[2];
  if (cmd == "topk") {  // dir n kept absval oneBlock
    long long n = atoll(argv[3]), kept = atoll(argv[4]); int absval = atoi(argv[5]), one = atoi(argv[6]);
    auto x = readd(dir + "/x.bin", n);
    std::vector<unsigned char> keep(n, 7);
    topk(x.data(), n, absval, kept, keep.data(), one);
    writeb(dir + "/keep.bin", keep.data(), n);
    return 0;
  }
  if (cmd == "sparsegpt") {  // dir rows n bs N M keptFull keptLast: SparseGpt.PruneCuda
    int rows = atoi(argv[3]), n = atoi(argv[4]), bs = atoi(argv[5]), N = atoi(argv[6]), M = atoi(argv[7]);
    long long keptFull = atoll(argv[8]), keptLast = atoll(argv[9]);
    auto w = readd(dir + "/w.bin", (long long)rows * n), u = readd(dir + "/u.bin", (long long)n * n);
    std::vector<double> err((size_t)rows * bs), score((size_t)rows * bs);
    std::vector<unsigned char> keep((size_t)rows * bs);
    unsigned rb = (rows + THREADS - 1) / THREADS;
    for (int i1 = 0; i1 < n; i1 += bs) {
      int i2 = std::min(i1 + bs, n), count = i2 - i1;
      if (M == 0) {
        long long len = (long long)rows * count;
        launch_seq(Blocks(len), [&] { cmp_obs_scores(rows, n, i1, count, w.data(), u.data(), score.data()); });
        topk(score.data(), len, 0, i2 == n ? keptLast : keptFull, keep.data(), false);
        launch_seq(rb, [&] { cmp_obs_block(rows, n, i1, count, w.data(), u.data(), keep.data(), 0, 0, err.data()); });
      } else launch_seq(rb, [&] { cmp_obs_block(rows, n, i1, count, w.data(), u.data(), nullptr, N, M, err.data()); });
      for (int c = i2; c < n; c++)   // the DGEMM W[:, i2:] -= Err U[i1:i2, i2:], as a plain loop
        for (int r = 0; r < rows; r++) {
          double s = 0;
          for (int i = 0; i < count; i++) s += err[(size_t)i * rows + r] * u[(size_t)c * n + i1 + i];
          w[(size_t)c * rows + r] -= s;
        }
    }
    writed(dir + "/wout.bin", w.data(), w.size());
    return 0;
  }
  if (cmd == "alps") {  // dir rows n N M kept rho: Alps.AdmmCuda's kernels on transposed iterates (n x rows)
    int rows = atoi(argv[3]), n = atoi(argv[4]), N = atoi(argv[5]), M = atoi(argv[6]);
    long long kept = atoll(argv[7]), len = (long long)rows * n; double rho = atof(argv[8]);
    auto v = readd(dir + "/v.bin", len), c = readd(dir + "/c.bin", len), u = readd(dir + "/u.bin", len), z = readd(dir + "/z.bin", len), y = readd(dir + "/y.bin", len);
    auto lastd = readd(dir + "/last.bin", len);
    std::vector<unsigned char> last(lastd.begin(), lastd.end()), keep(len);
    std::vector<double> proj(len, NAN), rhs(len, NAN), vv(len, NAN);
    if (M > 0) launch_seq(Blocks(len / M), [&] { cmp_nm_project(len / M, N, M, v.data(), proj.data()); });
    else {
      topk(v.data(), len, 1, kept, keep.data(), false);
      launch_seq(Blocks(len), [&] { cmp_apply_mask(len, v.data(), keep.data(), proj.data()); });
    }
    launch_seq(Blocks(len), [&] { cmp_alps_rhs(len, c.data(), u.data(), z.data(), rho, rhs.data()); });
    launch_seq(Blocks(len), [&] { cmp_alps_v(len, y.data(), u.data(), rho, vv.data()); });
    launch_seq(Blocks(len), [&] { cmp_alps_dual(len, y.data(), z.data(), rho, u.data()); });
    unsigned long long changed = 0;
    launch_thr(Blocks(len), [&] { cmp_support_changes(len, z.data(), last.data(), &changed); });
    writed(dir + "/proj.bin", proj.data(), len); writed(dir + "/rhs.bin", rhs.data(), len); writed(dir + "/v-out.bin", vv.data(), len);
    writed(dir + "/dual.bin", u.data(), len); writeb(dir + "/last-out.bin", last.data(), len);
    printf("%llu\n", changed);
    return 0;
  }
  if (cmd == "flip") {  // dir n
    int n = atoi(argv[3]); long long nn = (long long)n * n;
    auto a = readd(dir + "/a.bin", nn);
    std::vector<double> f0(nn), f1(nn), d(a);
    std::vector<float> d32(a.begin(), a.end());
    launch_seq(Blocks(nn), [&] { cmp_flip(n, 0, a.data(), f0.data()); });
    launch_seq(1, [&] { cmp_flip(n, 1, a.data(), f1.data()); });
    launch_seq(Blocks(n), [&] { cmp_add_diag_f64(n, d.data(), 0.1); });
    launch_seq(Blocks(n), [&] { cmp_add_diag_f32(n, d32.data(), (float)0.1); });
    std::vector<double> d32d(d32.begin(), d32.end());
    writed(dir + "/flip0.bin", f0.data(), nn); writed(dir + "/flip1.bin", f1.data(), nn);
    writed(dir + "/diag.bin", d.data(), nn); writed(dir + "/diag32.bin", d32d.data(), nn);
    return 0;
  }
  return 2;
}
""";

    private static readonly Lazy<string> Exe = new(() => HostCpp.Compile("compression_kernels_host",
        NnKernelEmulationTests.Prelude + Atomics + CompressionKernelSource.Source + Main, "-std=c++20 -O2 -pthread", "the compression kernel source"));

    private static void Write(string path, double[] v) => File.WriteAllBytes(path, MemoryMarshal.AsBytes(v.AsSpan()).ToArray());

    private static double[] Read(string path) => MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(path)).ToArray();

    private static string Run(string args)
    {
        var (rc, output) = HostCpp.Run(Exe.Value, args);
        Assert.True(rc == 0, $"emulated kernels failed ({rc}): {output}");
        return output;
    }

    /// <summary>Scores with many exact ties (including −0 and +0, which the order key merges), so that the threshold
    /// falls inside a tie group and the one-block ordered tie pass runs; plain normal scores; a constant vector.</summary>
    public static TheoryData<string, int, long, bool, bool> TopKCases => new()
    {
        { "normal", 3001, 1500, false, false },
        { "normal", 3001, 1500, true, true },
        { "normal", 777, 1, true, false },
        { "normal", 777, 777, false, false },
        { "ties", 2000, 901, false, false },
        { "ties", 2000, 901, true, true },
        { "ties", 600, 0, false, false },
        { "constant", 1000, 3, false, false },
    };

    [HostCompilerTheory]
    [MemberData(nameof(TopKCases))]
    public void TopKKernelsEqualPruningMaskTopKTiesIncluded(string kind, int n, long kept, bool absval, bool oneBlock)
    {
        var rng = new Rng(3);
        var x = new double[n];
        for (int i = 0; i < n; i++)
            x[i] = kind switch
            {
                "normal" => rng.Normal(),
                "ties" => new[] { 0.0, -0.0, 1, 2, -1, 0.5 }[(int)(rng.Uniform() * 6)],
                _ => 0.25,
            };
        var dir = Directory.CreateTempSubdirectory("topk-emu").FullName;
        Write(Path.Combine(dir, "x.bin"), x);
        Run($"topk {dir} {n} {kept} {(absval ? 1 : 0)} {(oneBlock ? 1 : 0)}");
        var score = absval ? x.Select(Math.Abs).ToArray() : x;
        var want = PruningMask.TopK(score, kept).Select(b => b ? 1.0 : 0.0).ToArray();
        Assert.Equal(want, Read(Path.Combine(dir, "keep.bin")));
    }

    /// <summary>The SparseGPT device flow on U from <see cref="ObsSweep.UpperCholeskyOfInverse"/>: one block (d_in = block
    /// size) must give the host's weights bit for bit; three blocks (the last narrower) the host's mask and weights to
    /// 1e-10·max|W| (the lazy update sums 16 products in another order than BLAS: ~16ε relative per update, amplified by
    /// the later columns' updates; a wrong mask or update moves weights by O(max|W|)).</summary>
    [HostCompilerTheory]
    [InlineData("0.5", 40, 40)]
    [InlineData("0.7", 40, 16)]
    [InlineData("2:4", 40, 40)]
    [InlineData("2:4", 40, 16)]
    [InlineData("1:4", 40, 16)]
    public void SparseGptSweepEqualsTheHostSweep(string t, int dIn, int blockSize)
    {
        var target = t.Contains(':') ? SparsityTarget.ParsePattern(t) : SparsityTarget.Unstructured(double.Parse(t, System.Globalization.CultureInfo.InvariantCulture));
        var p = SyntheticLayer.Create(300, dIn, 64, new Rng(11));   // 300 rows: two row blocks of the one-thread-per-row kernel
        var u = ObsSweep.UpperCholeskyOfInverse(Damping.Damp(p, 0.01, [], "sparsegpt"), 0.01, "sparsegpt");
        var want = new SparseGpt { BlockSize = blockSize }.Prune(p, target).Weights.ToArray();
        var dir = Directory.CreateTempSubdirectory("sparsegpt-emu").FullName;
        Write(Path.Combine(dir, "w.bin"), p.W.ToArray());
        Write(Path.Combine(dir, "u.bin"), u.ToArray());
        int last = dIn - (dIn - 1) / blockSize * blockSize;
        long keptFull = target.IsPattern ? 0 : target.Kept((long)p.Rows * blockSize), keptLast = target.IsPattern ? 0 : target.Kept((long)p.Rows * last);
        Run($"sparsegpt {dir} {p.Rows} {dIn} {blockSize} {target.N} {target.M} {keptFull} {keptLast}");
        var got = Read(Path.Combine(dir, "wout.bin"));
        if (blockSize >= dIn) { Assert.Equal(want, got); return; }
        Assert.Equal(want.Select(v => v == 0), got.Select(v => v == 0));
        double scale = want.Max(Math.Abs);
        for (int i = 0; i < want.Length; i++) Assert.True(Math.Abs(want[i] - got[i]) <= 1e-10 * scale, $"entry {i}: host {want[i]:R}, emulated device {got[i]:R}");
    }

    /// <summary>ALPS's device projection (unstructured top-k by |v|, N:M on the transposed layout) against
    /// <see cref="Alps.Project"/>, and the ADMM updates and support-change count against the host's formulas, bit for bit.</summary>
    [HostCompilerTheory]
    [InlineData("0.6")]
    [InlineData("2:4")]
    [InlineData("1:2")]
    [InlineData("3:8")]
    public void AlpsKernelsEqualTheHostSteps(string t)
    {
        var target = t.Contains(':') ? SparsityTarget.ParsePattern(t) : SparsityTarget.Unstructured(double.Parse(t, System.Globalization.CultureInfo.InvariantCulture));
        int rows = 24, n = 40;
        long len = (long)rows * n;
        var rng = new Rng(5);
        double[] R() => Enumerable.Range(0, (int)len).Select(_ => rng.Normal()).ToArray();
        var v = R(); var c = R(); var u = R(); var y = R();
        var z = R().Select(x => x > 0.3 ? x : 0).ToArray();
        var last = R().Select(x => x > 0 ? 1.0 : 0.0).ToArray();
        double rho = 0.37;
        var dir = Directory.CreateTempSubdirectory("alps-emu").FullName;
        foreach (var (name, a) in new[] { ("v", v), ("c", c), ("u", u), ("z", z), ("y", y), ("last", last) }) Write(Path.Combine(dir, name + ".bin"), a);
        long kept = target.IsPattern ? 0 : target.Kept(len);
        var output = Run($"alps {dir} {rows} {n} {target.N} {target.M} {kept} {rho.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}");
        var vT = Matrix.FromColumnMajor(n, rows, v);   // the transposed iterate: column r is layer row r
        var wantProj = Ops.Transpose(Alps.Project(Ops.Transpose(vT), target)).ToArray();
        Assert.Equal(wantProj, Read(Path.Combine(dir, "proj.bin")));
        Assert.Equal(Enumerable.Range(0, (int)len).Select(i => c[i] - u[i] + rho * z[i]), Read(Path.Combine(dir, "rhs.bin")));
        Assert.Equal(Enumerable.Range(0, (int)len).Select(i => y[i] + u[i] / rho), Read(Path.Combine(dir, "v-out.bin")));
        Assert.Equal(Enumerable.Range(0, (int)len).Select(i => u[i] + rho * (y[i] - z[i])), Read(Path.Combine(dir, "dual.bin")));
        long changed = Enumerable.Range(0, (int)len).Count(i => (z[i] != 0) != (last[i] != 0));
        Assert.Equal(changed.ToString(System.Globalization.CultureInfo.InvariantCulture), output.Trim());
        Assert.Equal(z.Select(x => x != 0 ? 1.0 : 0.0), Read(Path.Combine(dir, "last-out.bin")));
    }

    /// <summary>The flip J A J (full and upper triangle, as <see cref="ObsSweep.UpperCholeskyOfInverse"/> builds J H J and U)
    /// and the diagonal shifts in float64 and float32 (ρ rounded to float32 first, as the host's ShiftedSolver adds it).</summary>
    [HostCompilerFact]
    public void FlipAndDiagonalShiftEqualTheHostLoops()
    {
        int n = 23;
        var rng = new Rng(9);
        var a = Matrix.Build(n, n, (_, _) => rng.Normal());
        var dir = Directory.CreateTempSubdirectory("flip-emu").FullName;
        Write(Path.Combine(dir, "a.bin"), a.ToArray());
        Run($"flip {dir} {n}");
        Assert.Equal(Matrix.Build(n, n, (i, j) => a[n - 1 - i, n - 1 - j]).ToArray(), Read(Path.Combine(dir, "flip0.bin")));
        Assert.Equal(Matrix.Build(n, n, (i, j) => i <= j ? a[n - 1 - i, n - 1 - j] : 0).ToArray(), Read(Path.Combine(dir, "flip1.bin")));
        Assert.Equal(Matrix.Build(n, n, (i, j) => i == j ? a[i, j] + 0.1 : a[i, j]).ToArray(), Read(Path.Combine(dir, "diag.bin")));
        var a32 = a.AsType(DType.F32);
        var s = a32.SpanF32;
        for (int j = 0; j < n; j++) s[j + j * n] += (float)0.1;
        Assert.Equal(a32.AsType(DType.F64).ToArray(), Read(Path.Combine(dir, "diag32.bin")));
    }
}
