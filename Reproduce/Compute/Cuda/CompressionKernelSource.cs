namespace Reproduce.Compute.Cuda;

/// <summary>CUDA C source of the layer-wise pruning kernels (SparseGPT's OBS sweep, ALPS's ADMM steps and the
/// top-k mask selection both use), compiled by NVRTC into a module of its own at first use. Every kernel
/// mirrors a host loop of Reproduce.Compression with the same IEEE operations in the same order (the
/// <c>__d*_rn</c> intrinsics keep NVRTC from contracting a product and a sum into one FMA, which the host
/// never does), so where the inputs agree bit for bit the outputs do too; checked on the host by
/// CompressionKernelEmulationTests. Launched with 256 threads a block (CudaBackend.Compression).
///
/// Top-k (<c>cmp_select_*</c>): the kept-th largest score is found by a most-significant-digit radix
/// selection on the scores' order-preserving 64-bit keys, 8 bits a pass (a 256-bin histogram fits a block's
/// shared memory; the CPU's PruningMask.TopK uses 16-bit digits, the threshold is the same key either way),
/// all on the device (the state lives in a 32-byte <c>SelectState</c>, so no host round trip per pass).
/// Ties at the threshold go to the lower index, as on the CPU: entries above it are kept in parallel, and so are
/// the entries equal to it when all of them are needed (the usual case: one); only when some must be dropped
/// does one block assign them in index order.</summary>
internal static class CompressionKernelSource
{
    /// <summary>Largest M of an N:M pattern the kernels take (a row's group mask is a 32-bit word).</summary>
    public const int MaxM = 32;

    public const string Source = """
typedef long long i64;
typedef unsigned long long u64;

// prefix/mask: the key bits fixed so far; k: rank still sought among keys matching the prefix;
// equal: after the last pass, how many keys equal the threshold.
struct SelectState { u64 prefix; u64 mask; i64 k; i64 equal; };

// Unsigned order of the keys = order of the doubles; -0 and +0 map to one key (PruningMask.OrderKey).
__device__ __forceinline__ u64 order_key(double v) {
  if (v == 0) v = 0;
  u64 b = (u64)__double_as_longlong(v);
  return (b >> 63) ? ~b : (b | 0x8000000000000000ULL);
}

__device__ __forceinline__ u64 score_key(const double* x, i64 i, int absval) { double v = x[i]; return order_key(absval ? fabs(v) : v); }

extern "C" __global__ void cmp_select_init(SelectState* st, i64 kept, unsigned int* hist) {
  hist[threadIdx.x] = 0;
  if (threadIdx.x == 0) { st->prefix = 0; st->mask = 0; st->k = kept; st->equal = 0; }
}

// Histogram of digit (key >> shift) & 255 over the keys matching the prefix: per block in shared memory, then added.
extern "C" __global__ void cmp_select_hist(i64 n, const double* x, int absval, const SelectState* st, int shift, unsigned int* hist) {
  __shared__ unsigned int local[256];
  local[threadIdx.x] = 0;
  __syncthreads();
  u64 prefix = st->prefix, mask = st->mask;
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) {
    u64 key = score_key(x, i, absval);
    if ((key & mask) == prefix) atomicAdd(&local[(int)((key >> shift) & 255ULL)], 1u);
  }
  __syncthreads();
  if (local[threadIdx.x] != 0) atomicAdd(&hist[threadIdx.x], local[threadIdx.x]);
}

// One block: from the largest digit down until the k-th largest falls in the bucket (PruningMask.KthLargest), then clears the histogram.
extern "C" __global__ void cmp_select_pick(int shift, unsigned int* hist, SelectState* st) {
  if (threadIdx.x == 0) {
    i64 k = st->k;
    int digit = 255;
    for (; digit > 0; digit--) {
      if ((i64)hist[digit] >= k) break;
      k -= (i64)hist[digit];
    }
    st->prefix |= (u64)digit << shift;
    st->mask |= 255ULL << shift;
    st->k = k;
    if (shift == 0) st->equal = (i64)hist[digit];
  }
  __syncthreads();
  hist[threadIdx.x] = 0;
}

// keep = key > threshold, or key == threshold when every such key is kept.
extern "C" __global__ void cmp_select_mark(i64 n, const double* x, int absval, const SelectState* st, unsigned char* keep) {
  u64 thr = st->prefix;
  int allEqual = st->equal == st->k;
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) {
    u64 key = score_key(x, i, absval);
    keep[i] = (unsigned char)(key > thr || (key == thr && allEqual));
  }
}

// One block, only when some keys equal to the threshold must be dropped: the first k of them in index order are kept.
extern "C" __global__ void cmp_select_ties(i64 n, const double* x, int absval, const SelectState* st, unsigned char* keep) {
  __shared__ i64 before[256];
  i64 need = st->k;
  if (st->equal == need) return;
  u64 thr = st->prefix;
  i64 chunk = (n + blockDim.x - 1) / blockDim.x, lo = threadIdx.x * chunk, hi = lo + chunk;
  if (hi > n) hi = n;
  i64 c = 0;
  for (i64 i = lo; i < hi; i++) if (score_key(x, i, absval) == thr) c++;
  before[threadIdx.x] = c;
  __syncthreads();
  if (threadIdx.x == 0) {
    i64 s = 0;
    for (unsigned int t = 0; t < blockDim.x; t++) { i64 v = before[t]; before[t] = s; s += v; }
  }
  __syncthreads();
  i64 r = before[threadIdx.x];
  for (i64 i = lo; i < hi && r < need; i++)
    if (score_key(x, i, absval) == thr) { keep[i] = 1; r++; }
}

// b = J a J (b_ij = a_{n-1-i, n-1-j}), zero below the diagonal when upper (ObsSweep.UpperCholeskyOfInverse).
extern "C" __global__ void cmp_flip(int n, int upper, const double* a, double* b) {
  i64 total = (i64)n * n;
  for (i64 e = blockIdx.x * (i64)blockDim.x + threadIdx.x; e < total; e += (i64)gridDim.x * blockDim.x) {
    int j = (int)(e / n), i = (int)(e - (i64)j * n);
    b[e] = (upper && i > j) ? 0.0 : a[(i64)(n - 1 - j) * n + (n - 1 - i)];
  }
}

extern "C" __global__ void cmp_add_diag_f64(int n, double* a, double v) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) a[(i64)i * n + i] = __dadd_rn(a[(i64)i * n + i], v);
}

extern "C" __global__ void cmp_add_diag_f32(int n, float* a, float v) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) a[(i64)i * n + i] = __fadd_rn(a[(i64)i * n + i], v);
}

extern "C" __global__ void cmp_set_diag(int n, double* a, const double* d) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) a[(i64)i * n + i] = d[i];
}

// SparseGPT's unstructured saliency of a block: w^2 / U_qq^2 for columns i1 .. i1+count-1 (rows x count, column-major).
extern "C" __global__ void cmp_obs_scores(int rows, int n, int i1, int count, const double* w, const double* u, double* score) {
  i64 total = (i64)rows * count;
  for (i64 e = blockIdx.x * (i64)blockDim.x + threadIdx.x; e < total; e += (i64)gridDim.x * blockDim.x) {
    int c = (int)(e / rows), r = (int)(e - (i64)c * rows), col = i1 + c;
    double d = u[(i64)col * n + col], v = w[(i64)col * rows + r];
    score[e] = __ddiv_rn(__dmul_rn(v, v), __dmul_rn(d, d));
  }
}

// Of M scores, keep the N largest; ties to the lower index (a stable descending sort, as PruningMask.NM's for M <= 16).
__device__ __forceinline__ unsigned int nm_keep(const double* s, int N, int M) {
  unsigned int bits = 0;
  for (int k = 0; k < M; k++) {
    int rank = 0;
    for (int j = 0; j < M; j++) if (s[j] > s[k] || (s[j] == s[k] && j < k)) rank++;
    if (rank < N) bits |= 1u << k;
  }
  return bits;
}

// One OBS block (ObsSweep.Run's inner loop) for one row per thread: rows are independent inside a block given U.
// keep: the block's unstructured mask (rows x count), or null with nmM > 0: each row picks its N:M group masks
// when the sweep reaches a group's first column (scores from the weights as updated so far, as on the CPU).
// err receives (w - q) / U_qq for the lazy update of the columns after the block.
// (__restrict__: w, u and err never overlap, so the loads of one column's update need not wait for the previous store.)
extern "C" __global__ void cmp_obs_block(int rows, int n, int i1, int count, double* __restrict__ w, const double* __restrict__ u,
                                         const unsigned char* __restrict__ keep, int nmN, int nmM, double* __restrict__ err) {
  for (int r = blockIdx.x * blockDim.x + threadIdx.x; r < rows; r += gridDim.x * blockDim.x) {
    unsigned int group = 0;
    double s[32];
    for (int i = 0; i < count; i++) {
      int col = i1 + i;
      if (nmM > 0 && col % nmM == 0) {
        for (int k = 0; k < nmM; k++) {
          double d = u[(i64)(col + k) * n + col + k], v = w[(i64)(col + k) * rows + r];
          s[k] = __ddiv_rn(__dmul_rn(v, v), __dmul_rn(d, d));
        }
        group = nm_keep(s, nmN, nmM);
      }
      int prune = nmM > 0 ? !((group >> (col % nmM)) & 1u) : !keep[(i64)i * rows + r];
      double* wc = w + (i64)col * rows + r;
      double v = *wc, q = prune ? 0.0 : v;
      double e = __ddiv_rn(__dadd_rn(v, -q), u[(i64)col * n + col]);
      *wc = q;
      err[(i64)i * rows + r] = e;
      for (int j = i + 1; j < count; j++) {
        double uij = u[(i64)(i1 + j) * n + col];
        if (uij == 0) continue;
        double* wj = w + (i64)(i1 + j) * rows + r;
        *wj = __dadd_rn(*wj, -__dmul_rn(e, uij));
      }
    }
  }
}

// z = keep ? v : 0.
extern "C" __global__ void cmp_apply_mask(i64 n, const double* v, const unsigned char* keep, double* z) {
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) z[i] = keep[i] ? v[i] : 0.0;
}

// ALPS's N:M projection of a transposed iterate (d_in x d_out: a column is a layer row, so a group is M consecutive entries).
extern "C" __global__ void cmp_nm_project(i64 groups, int N, int M, const double* v, double* z) {
  double s[32];
  for (i64 g = blockIdx.x * (i64)blockDim.x + threadIdx.x; g < groups; g += (i64)gridDim.x * blockDim.x) {
    const double* vg = v + g * M;
    for (int k = 0; k < M; k++) s[k] = fabs(vg[k]);
    unsigned int bits = nm_keep(s, N, M);
    for (int k = 0; k < M; k++) z[g * M + k] = ((bits >> k) & 1u) ? vg[k] : 0.0;
  }
}

// ALPS: m = (c - u) + rho z (the W-update's right-hand side).
extern "C" __global__ void cmp_alps_rhs(i64 n, const double* c, const double* u, const double* z, double rho, double* m) {
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x)
    m[i] = __dadd_rn(__dadd_rn(c[i], -u[i]), __dmul_rn(rho, z[i]));
}

// ALPS: m = y + u / rho (the point the projection takes).
extern "C" __global__ void cmp_alps_v(i64 n, const double* y, const double* u, double rho, double* m) {
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x)
    m[i] = __dadd_rn(y[i], __ddiv_rn(u[i], rho));
}

// ALPS: u += rho (y - z).
extern "C" __global__ void cmp_alps_dual(i64 n, const double* y, const double* z, double rho, double* u) {
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x)
    u[i] = __dadd_rn(u[i], __dmul_rn(rho, __dadd_rn(y[i], -z[i])));
}

// Support change of ALPS's rho schedule: counts entries whose (z != 0) differs from last, then last = (z != 0).
extern "C" __global__ void cmp_support_changes(i64 n, const double* z, unsigned char* last, u64* changed) {
  __shared__ unsigned int local;
  if (threadIdx.x == 0) local = 0;
  __syncthreads();
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) {
    unsigned char s = z[i] != 0;
    if (s != last[i]) atomicAdd(&local, 1u);
    last[i] = s;
  }
  __syncthreads();
  if (threadIdx.x == 0 && local != 0) atomicAdd(changed, (u64)local);
}
""";
}
