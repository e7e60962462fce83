using Reproduce.Compute.Cuda;

namespace Reproduce.Tests.Cuda;

/// <summary>The NVRTC kernels of the neural-network engine (<see cref="NnKernelSource"/>) and the reductions
/// and maps of <see cref="CudaKernelSource"/> that training uses (gradient norm for clipping, its scale),
/// checked without a GPU at the compression teacher's sizes (d = 256, FFN 1024, context 128, 8 heads of 32,
/// vocabulary 76; AdamW on the largest weight and on 3 M entries, past the 8192-block clamp of the grid):
/// the sources are compiled as host C++ behind a prelude in which each thread of a block is an OS thread
/// (so <c>__shfl_xor_sync</c> and <c>__syncthreads</c> are real rendezvous), and each kernel is launched with
/// the geometry CudaBackend uses (256 threads a block; <c>Blocks(n)</c> = clamp(⌈n/256⌉, 1, 8192) for
/// grid-stride kernels, ⌈columns/8⌉ blocks for the warp-per-column kernels, 1024 + 1 blocks for reductions).
/// Outputs are compared with plain double-precision loops of the same formulas. Written to rule out a
/// size-dependent kernel bug behind the paper-scale teacher's failure to learn on an H100 (it ruled it out).</summary>
public class NnKernelEmulationTests
{
    internal static readonly string Prelude = """
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <cmath>
#include <thread>
#include <barrier>
#include <vector>
#include <memory>
#include <algorithm>
struct Dim3 { unsigned int x, y, z; };
static thread_local Dim3 threadIdx, blockIdx;
static Dim3 blockDim, gridDim;
#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
static std::barrier<>* g_block_bar;
static std::barrier<>* g_warp_bar[32];
static double g_xch[32][32];
static inline void __syncthreads() { g_block_bar->arrive_and_wait(); }
static inline double __shfl_xor_sync(unsigned, double v, int o) {
  int w = threadIdx.x >> 5, l = threadIdx.x & 31;
  g_xch[w][l] = v; g_warp_bar[w]->arrive_and_wait();
  double r = g_xch[w][l ^ o]; g_warp_bar[w]->arrive_and_wait();
  return r;
}
""" + HostCpp.Intrinsics;

    private const string Main = HostCpp.SequentialLaunch + """

// ---- launches mimicking CudaBackend: Threads = 256 a block; Blocks(n) = clamp(ceil(n/256), 1, 8192);
// ColumnBlocks(cols) = ceil(cols/8); reductions 1024 blocks then one ----
static unsigned ColumnBlocks(long long cols) { return (unsigned)std::max(1LL, (cols + 7) / 8); }
// one OS thread per thread of a block (256, reused for every block in turn), so warp shuffles and
// __syncthreads are real rendezvous; a barrier after each block keeps blocks apart (they share __shared__)
template <class F> static void launch_thr(unsigned grid, F f) {
  gridDim.x = grid; blockDim.x = THREADS;
  std::barrier<> bb(THREADS), done(THREADS); g_block_bar = &bb;
  std::vector<std::unique_ptr<std::barrier<>>> wb;
  for (unsigned w = 0; w < THREADS / 32; w++) { wb.emplace_back(new std::barrier<>(32)); g_warp_bar[w] = wb.back().get(); }
  std::vector<std::thread> th;
  for (unsigned t = 0; t < THREADS; t++)
    th.emplace_back([t, grid, &f, &done] {
      for (unsigned b = 0; b < grid; b++) { blockIdx.x = b; threadIdx.x = t; f(); done.arrive_and_wait(); }
    });
  for (auto& x : th) x.join();
}

static unsigned long long g_seed = 12345;
static double urand() { g_seed = g_seed * 6364136223846793005ULL + 1442695040888963407ULL; return ((g_seed >> 11) * (1.0 / 9007199254740992.0)); }
static double nrand() { return (urand() - 0.5) * 4; }
static std::vector<float> randv(long long n, double s = 1) { std::vector<float> v(n); for (auto& x : v) x = (float)(nrand() * s); return v; }

static int failures = 0;
static void check(const char* what, const float* got, const double* want, long long n, double tol) {
  double worst = 0; long long at = -1;
  for (long long i = 0; i < n; i++) {
    double e = std::fabs((double)got[i] - want[i]) / (std::fabs(want[i]) + 1e-3);
    if (!(e <= worst)) { worst = e; at = i; }
  }
  bool ok = worst <= tol;
  if (!ok) failures++;
  printf("%s %s: worst rel err %.3g at %lld of %lld\n", ok ? "ok  " : "FAIL", what, worst, at, n);
}
static void checkd(const char* what, const double* got, const double* want, long long n, double tol) {
  std::vector<float> g(got, got + n); // compare in double precision below
  double worst = 0; long long at = -1;
  for (long long i = 0; i < n; i++) { double e = std::fabs(got[i] - want[i]) / (std::fabs(want[i]) + 1e-3); if (!(e <= worst)) { worst = e; at = i; } }
  bool ok = worst <= tol; if (!ok) failures++;
  printf("%s %s: worst rel err %.3g at %lld of %lld\n", ok ? "ok  " : "FAIL", what, worst, at, n);
}

// argv: B T C H F V n_big
int main(int argc, char** argv) {
  if (argc != 8) return 2;
  int B = atoi(argv[1]), T = atoi(argv[2]), C = atoi(argv[3]), H = atoi(argv[4]), F = atoi(argv[5]), V = atoi(argv[6]);
  long long nBig = atoll(argv[7]);
  int N = B * T, D = C / H;
  const double tol = 2e-5;

  // LayerNorm / RMSNorm forward and backward at rows C and F
  for (int rows : {C, F}) for (int rms = 0; rms < 2; rms++) {
    auto x = randv((long long)rows * N), g = randv(rows), b = randv(rows), dy = randv((long long)rows * N);
    for (auto& v : x) v += 0.5f;
    std::vector<float> y((size_t)rows * N, NAN), mean(N, NAN), rstd(N, NAN), dx((size_t)rows * N, NAN), dyx((size_t)rows * N, NAN);
    double eps = 1e-5;
    launch_thr(ColumnBlocks(N), [&] { nn_norm_fwd_f32(rms, rows, N, x.data(), g.data(), rms ? nullptr : b.data(), y.data(), rms ? nullptr : mean.data(), rstd.data(), eps); });
    launch_thr(ColumnBlocks(N), [&] { nn_norm_bwd_f32(rms, rows, N, dy.data(), x.data(), rms ? nullptr : mean.data(), rstd.data(), g.data(), dx.data(), dyx.data()); });
    std::vector<double> ry((size_t)rows * N), rdx((size_t)rows * N), rdyx((size_t)rows * N), rr(N);
    for (int n = 0; n < N; n++) {
      const float* xc = &x[(size_t)n * rows]; double mu = 0, v = 0;
      if (!rms) { for (int k = 0; k < rows; k++) mu += xc[k]; mu /= rows; }
      for (int k = 0; k < rows; k++) v += (xc[k] - mu) * (xc[k] - mu);
      double r = 1 / std::sqrt(v / rows + eps); rr[n] = r;
      double sg = 0, sgx = 0;
      for (int k = 0; k < rows; k++) {
        double xh = (xc[k] - mu) * r; ry[(size_t)n * rows + k] = xh * g[k] + (rms ? 0 : b[k]);
        double gk = (double)dy[(size_t)n * rows + k] * g[k]; sg += gk; sgx += gk * xh;
      }
      sg /= rows; sgx /= rows; if (rms) sg = 0;
      double muf = (float)mu, rf = (float)r;  // the backward reads mean and rstd from float32 buffers
      for (int k = 0; k < rows; k++) {
        double xh = (xc[k] - muf) * rf, d = dy[(size_t)n * rows + k];
        rdx[(size_t)n * rows + k] = r * (d * g[k] - sg - xh * sgx); rdyx[(size_t)n * rows + k] = d * xh;
      }
    }
    char name[96];
    snprintf(name, sizeof name, "%s forward y (rows %d, cols %d)", rms ? "rmsnorm" : "layernorm", rows, N); check(name, y.data(), ry.data(), ry.size(), tol);
    snprintf(name, sizeof name, "%s forward rstd", rms ? "rmsnorm" : "layernorm"); check(name, rstd.data(), rr.data(), N, tol);
    snprintf(name, sizeof name, "%s backward dx (rows %d)", rms ? "rmsnorm" : "layernorm", rows); check(name, dx.data(), rdx.data(), rdx.size(), 1e-4);
    snprintf(name, sizeof name, "%s backward dy*xhat (rows %d)", rms ? "rmsnorm" : "layernorm", rows); check(name, dyx.data(), rdyx.data(), rdyx.size(), tol);
  }

  // GELU forward/backward on the FFN activations (F x N)
  {
    long long n = (long long)F * N; auto x = randv(n), dy = randv(n);
    std::vector<float> y(n, NAN), dx(n, NAN); std::vector<double> ry(n), rdx(n);
    launch_seq(Blocks(n), [&] { nn_act_fwd_f32(1, n, x.data(), y.data()); });
    launch_seq(Blocks(n), [&] { nn_act_bwd_f32(1, n, dy.data(), x.data(), dx.data()); });
    for (long long i = 0; i < n; i++) {
      double v = x[i], t = std::tanh(0.7978845608028654 * (v + 0.044715 * v * v * v));
      ry[i] = 0.5 * v * (1 + t);
      rdx[i] = dy[i] * (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * 0.7978845608028654 * (1 + 3 * 0.044715 * v * v));
    }
    check("gelu forward (F x N)", y.data(), ry.data(), n, tol); check("gelu backward", dx.data(), rdx.data(), n, 1e-4);
  }

  // softmax cross-entropy forward (+ nn_sum_f64 of the per-column losses) and backward, V x N logits
  {
    auto z = randv((long long)V * N, 3); std::vector<int> y(N); for (auto& t : y) t = (int)(urand() * V) % V;
    std::vector<float> p((size_t)V * N, NAN), dz((size_t)V * N, NAN); std::vector<double> loss(N, NAN); double total = NAN;
    launch_thr(ColumnBlocks(N), [&] { nn_xent_fwd_f32(V, N, z.data(), y.data(), p.data(), loss.data()); });
    launch_thr(1, [&] { nn_sum_f64(N, loss.data(), &total); });
    long long tot = (long long)V * N; double f = 1.0 / N;
    launch_seq(Blocks(tot), [&] { nn_xent_bwd_f32(V, tot, p.data(), y.data(), dz.data(), f); });
    std::vector<double> rp((size_t)V * N), rl(N), rdz((size_t)V * N); double rt = 0;
    for (int n = 0; n < N; n++) {
      const float* zc = &z[(size_t)n * V]; double m = -INFINITY, s = 0;
      for (int k = 0; k < V; k++) m = std::max(m, (double)zc[k]);
      for (int k = 0; k < V; k++) s += std::exp(zc[k] - m);
      for (int k = 0; k < V; k++) { rp[(size_t)n * V + k] = std::exp(zc[k] - m) / s; rdz[(size_t)n * V + k] = f * (rp[(size_t)n * V + k] - (k == y[n])); }
      rl[n] = m + std::log(s) - zc[y[n]]; rt += rl[n];
    }
    check("cross-entropy forward probabilities", p.data(), rp.data(), rp.size(), tol);
    checkd("cross-entropy forward losses", loss.data(), rl.data(), N, 1e-12);
    checkd("cross-entropy summed loss (nn_sum_f64)", &total, &rt, 1, 1e-12);
    check("cross-entropy backward", dz.data(), rdz.data(), rdz.size(), 1e-4);
  }

  // head-major permutation of packed QKV (3C x N) and back, then causal softmax forward/backward over T x (T B H)
  {
    long long rows = 3LL * C, tot = rows * N;
    auto x = randv(tot); std::vector<float> xh(tot, NAN), back(tot, NAN);
    int P3 = 3, dir0 = 0, dir1 = 1;
    launch_seq(Blocks(tot), [&] { nn_heads_permute_f32(P3, C, D, H, T, B, x.data(), xh.data(), dir0); });
    launch_seq(Blocks(tot), [&] { nn_heads_permute_f32(P3, C, D, H, T, B, back.data(), xh.data(), dir1); });
    std::vector<double> rxh(tot), rx(x.begin(), x.end());
    for (int n = 0; n < N; n++) for (int r = 0; r < rows; r++) {
      int part = r / C, rr = r % C, h = rr / D, j = rr % D, b = n / T, t = n % T;
      rxh[((((long long)part * B + b) * H + h) * T + t) * D + j] = x[(long long)n * rows + r];
    }
    check("heads permute QKV -> head-major", xh.data(), rxh.data(), tot, 0);
    check("heads permute head-major -> QKV", back.data(), rx.data(), tot, 0);

    long long cols = (long long)T * B * H; int icols = (int)cols;
    auto s = randv((long long)T * cols, 2); std::vector<float> pr(s), dp = randv((long long)T * cols), ds(dp);
    double scale = 1 / std::sqrt((double)D);
    launch_thr(ColumnBlocks(cols), [&] { nn_causal_softmax_f32(T, icols, pr.data()); });
    launch_thr(ColumnBlocks(cols), [&] { nn_causal_softmax_bwd_f32(T, icols, pr.data(), ds.data(), scale); });
    std::vector<double> rp((size_t)T * cols), rds((size_t)T * cols);
    for (long long c = 0; c < cols; c++) {
      int t = (int)(c % T); const float* sc = &s[c * T]; double m = -INFINITY, z = 0, acc = 0;
      for (int u = 0; u <= t; u++) m = std::max(m, (double)sc[u]);
      for (int u = 0; u <= t; u++) z += std::exp(sc[u] - m);
      for (int u = 0; u < T; u++) rp[c * T + u] = u <= t ? std::exp(sc[u] - m) / z : 0;
      for (int u = 0; u <= t; u++) acc += (double)pr[c * T + u] * dp[c * T + u];
      for (int u = 0; u < T; u++) rds[c * T + u] = u <= t ? (double)pr[c * T + u] * (dp[c * T + u] - acc) * scale : 0;
    }
    check("causal softmax forward (T x T B H)", pr.data(), rp.data(), rp.size(), tol);
    check("causal softmax backward", ds.data(), rds.data(), rds.size(), 1e-4);
  }

  // embedding backward: C x V table, N tokens (offsets/order built as CudaBackend.NnEmbeddingBackward does)
  {
    std::vector<int> ids(N); for (auto& t : ids) t = (int)(urand() * V) % V;
    auto dx = randv((long long)C * N), grad = randv((long long)C * V);
    std::vector<double> rg(grad.begin(), grad.end());
    std::vector<int> off(V + 1, 0), order(N);
    for (int id : ids) off[id + 1]++;
    for (int i = 0; i < V; i++) off[i + 1] += off[i];
    std::vector<int> next(off); for (int i = 0; i < N; i++) order[next[ids[i]]++] = i;
    launch_seq(Blocks((long long)C * V), [&] { nn_embed_bwd_f32(C, V, off.data(), order.data(), dx.data(), grad.data()); });
    std::vector<float> acc(rg.begin(), rg.end());  // float32 sums in increasing n, as the host loop adds
    for (int n = 0; n < N; n++) for (int k = 0; k < C; k++) acc[(size_t)ids[n] * C + k] += dx[(size_t)n * C + k];
    for (size_t i = 0; i < rg.size(); i++) rg[i] = acc[i];
    check("embedding backward (C x V)", grad.data(), rg.data(), rg.size(), 0);
  }

  // AdamW on the largest weight (C x F) and on nBig entries (past the 8192-block clamp of Blocks)
  for (long long n : {(long long)C * F, nBig}) {
    auto g = randv(n), w = randv(n), m = randv(n, 0.1), v = randv(n, 0.1);
    for (auto& t : v) t = std::fabs(t);
    std::vector<double> rw(n), rm(n), rv(n);
    double lr = 3e-3, wd = 0.1, b1 = 0.9, b2 = 0.999, bc1 = 1 - std::pow(b1, 7), bc2 = 1 - std::pow(b2, 7), eps = 1e-8;
    for (long long i = 0; i < n; i++) {
      double wi = w[i]; wi -= lr * wd * wi;
      double mi = b1 * m[i] + (1 - b1) * g[i], vi = b2 * v[i] + (1 - b2) * (double)g[i] * g[i];
      wi -= lr * (mi / bc1) / (std::sqrt(vi / bc2) + eps); rw[i] = wi; rm[i] = mi; rv[i] = vi;
    }
    launch_seq(Blocks(n), [&] { nn_adamw_f32(n, g.data(), w.data(), m.data(), v.data(), lr, wd, b1, b2, bc1, bc2, eps); });
    char name[96]; snprintf(name, sizeof name, "adamw w (n = %lld, grid %u)", n, Blocks(n));
    check(name, w.data(), rw.data(), n, 1e-6); check("adamw m", m.data(), rm.data(), n, 1e-6); check("adamw v", v.data(), rv.data(), n, 1e-6);
  }

  // global-norm reduction (Ops.Norm -> reduce_partial (1024 blocks) + reduce_final (1 block)) and the clip's scale map
  for (long long n : {(long long)C * F, nBig}) {
    auto x = randv(n); std::vector<double> part(1024, NAN); double out = NAN, ref = 0;
    int kind = 2, m = 1024;
    launch_thr(1024, [&] { reduce_partial_f32(kind, n, x.data(), part.data()); });
    launch_thr(1, [&] { reduce_final(kind, m, part.data(), &out); });
    for (long long i = 0; i < n; i++) ref += (double)x[i] * x[i];
    char name[96]; snprintf(name, sizeof name, "sum of squares (n = %lld)", n); checkd(name, &out, &ref, 1, 1e-12);
    std::vector<float> y(n, NAN); double a = 0.37, b0 = 0; int op = 11; std::vector<double> ry(n);
    for (long long i = 0; i < n; i++) ry[i] = (double)(float)((float)x[i] * (float)a);
    launch_seq(Blocks(n), [&] { map_f32(op, n, x.data(), y.data(), a, b0); });
    snprintf(name, sizeof name, "clip scale map (n = %lld)", n); check(name, y.data(), ry.data(), n, 0);
  }
  printf("%d failures\n", failures);
  return failures == 0 ? 0 : 1;
}
""";

    private static string Build() =>
        HostCpp.Compile("nn_kernels_host", Prelude + CudaKernelSource.Source + NnKernelSource.Source + Main, "-std=c++20 -O2 -pthread", "the NN kernel source");

    private static (int Rc, string Output) Run(string file, string args) => HostCpp.Run(file, args);

    /// <summary>Batch 2 × context 128 (the per-column work is the teacher's; batch only adds columns),
    /// d = 256, 8 heads, FFN 1024, vocabulary 76, and a 3,000,000-entry vector for AdamW and the norm.</summary>
    [HostCompilerFact]
    public void EveryNnKernelMatchesTheReferenceAtTheTeachersSizes()
    {
        var (rc, output) = Run(Build(), "2 128 256 8 1024 76 3000000");
        Assert.True(rc == 0, output);
        Assert.Contains("0 failures", output);
    }
}
