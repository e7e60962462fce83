namespace Reproduce.Compute.Cuda;

/// <summary>CUDA C source of the elementwise, reduction, gather and scaling kernels, compiled by
/// NVRTC at first use. Each kernel is a template instantiated for double (_f64) and float (_f32).
/// Reductions accumulate in double and use a fixed grid, so results are deterministic run to run.
/// Op codes match <see cref="CudaBackend"/>'s mapping from <see cref="UnaryOp"/>/<see cref="BinaryOp"/>.
/// <c>philox_fill_f64/_f32</c> implement the counter-based random fills of <see cref="Philox"/>,
/// bit-identical to the CPU (no library math; checked on the host by CudaKernelEmulationTests).</summary>
internal static class CudaKernelSource
{
    public const int ReduceBlocks = 1024;
    public const int Threads = 256;

    public const string Source = """
typedef long long i64;

template <typename T> __device__ T unary_op(int op, T x, T a, T b) {
  switch (op) {
    case 0: return x;
    case 1: return -x;
    case 2: return fabs(x);
    case 3: return x > T(0) ? T(1) : (x < T(0) ? T(-1) : T(0));
    case 4: return exp(x);
    case 5: return log(x);
    case 6: return log1p(x);
    case 7: return x >= T(0) ? T(1) / (T(1) + exp(-x)) : exp(x) / (T(1) + exp(x));
    case 8: return sqrt(x);
    case 9: return x * x;
    case 10: return T(1) / x;
    case 11: return x * a;
    case 12: return x + a;
    case 13: return (x != x) ? x : fmax(x, a);
    case 14: return (x != x) ? x : fmin(x, a);
    case 15: return fmin(fmax(x, a), b);
    case 16: return pow(x, a);
  }
  return x;
}

template <typename T> __device__ T binary_op(int op, T x, T y) {
  switch (op) {
    case 0: return x + y;
    case 1: return x - y;
    case 2: return x * y;
    case 3: return x / y;
    case 4: return fmax(x, y);
    case 5: return fmin(x, y);
  }
  return x;
}

template <typename T> __device__ void map_k(int op, i64 n, const T* x, T* y, double a, double b) {
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x)
    y[i] = unary_op<T>(op, x[i], (T)a, (T)b);
}

template <typename T> __device__ void zip_k(int op, i64 n, const T* x, const T* y, T* z) {
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x)
    z[i] = binary_op<T>(op, x[i], y[i]);
}

// kind: 0 sum, 1 sum |x|, 2 sum x^2, 3 max |x|
__device__ double combine(int kind, double acc, double v) { return kind == 3 ? fmax(acc, v) : acc + v; }
__device__ double lift(int kind, double x) { return kind == 0 ? x : (kind == 2 ? x * x : fabs(x)); }

__device__ double block_reduce(int kind, double v) {
  __shared__ double buf[256];
  buf[threadIdx.x] = v;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) buf[threadIdx.x] = combine(kind, buf[threadIdx.x], buf[threadIdx.x + s]);
    __syncthreads();
  }
  return buf[0];
}

template <typename T> __device__ void reduce_partial_k(int kind, i64 n, const T* x, double* partial) {
  double acc = 0;
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x)
    acc = combine(kind, acc, lift(kind, (double)x[i]));
  double r = block_reduce(kind, acc);
  if (threadIdx.x == 0) partial[blockIdx.x] = r;
}

extern "C" __global__ void reduce_final(int kind, int m, const double* partial, double* out) {
  double acc = 0;
  for (int i = threadIdx.x; i < m; i += blockDim.x) acc = combine(kind, acc, partial[i]);
  double r = block_reduce(kind, acc);
  if (threadIdx.x == 0) out[0] = r;
}

// Row reductions of a column-major rows x cols matrix: one thread per row (coalesced reads).
// kind: 0 sum, 2 sum of squares then sqrt
template <typename T> __device__ void row_reduce_k(int kind, int rows, int cols, const T* x, T* out) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= rows) return;
  double acc = 0;
  for (int j = 0; j < cols; j++) { double v = (double)x[(i64)j * rows + i]; acc += kind == 2 ? v * v : v; }
  out[i] = (T)(kind == 2 ? sqrt(acc) : acc);
}

// Column reductions: one block per column.
template <typename T> __device__ void col_reduce_k(int kind, int rows, const T* x, T* out) {
  int j = blockIdx.x;
  double acc = 0;
  for (int i = threadIdx.x; i < rows; i += blockDim.x) { double v = (double)x[(i64)j * rows + i]; acc += kind == 2 ? v * v : v; }
  double r = block_reduce(0, acc);
  if (threadIdx.x == 0) out[j] = (T)(kind == 2 ? sqrt(r) : r);
}

// want_max: 1 argmax, 0 argmin; first index on ties.
template <typename T> __device__ void arg_row_k(int want_max, int rows, int cols, const T* x, int* out) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= rows) return;
  int best = 0;
  T bv = cols > 0 ? x[i] : T(0);
  for (int j = 1; j < cols; j++) {
    T v = x[(i64)j * rows + i];
    if (want_max ? (v > bv) : (v < bv)) { bv = v; best = j; }
  }
  out[i] = cols > 0 ? best : -1;
}

template <typename T> __device__ void gather_rows_k(int rows, int k, int cols, const T* x, const int* idx, T* out) {
  i64 n = (i64)k * cols;
  for (i64 t = blockIdx.x * (i64)blockDim.x + threadIdx.x; t < n; t += (i64)gridDim.x * blockDim.x) {
    i64 j = t / k; int r = (int)(t - j * k);
    out[t] = x[j * rows + idx[r]];
  }
}

template <typename T> __device__ void gather_cols_k(int rows, int k, const T* x, const int* idx, T* out) {
  i64 n = (i64)k * rows;
  for (i64 t = blockIdx.x * (i64)blockDim.x + threadIdx.x; t < n; t += (i64)gridDim.x * blockDim.x) {
    i64 j = t / rows; int i = (int)(t - j * rows);
    out[t] = x[(i64)idx[j] * rows + i];
  }
}

// by_row: 1 -> out = diag(d) x ; 0 -> out = x diag(d)
template <typename T> __device__ void scale_k(int by_row, int rows, int cols, const T* x, const T* d, T* out) {
  i64 n = (i64)rows * cols;
  for (i64 t = blockIdx.x * (i64)blockDim.x + threadIdx.x; t < n; t += (i64)gridDim.x * blockDim.x) {
    i64 j = t / rows; int i = (int)(t - j * rows);
    out[t] = x[t] * (by_row ? d[i] : d[j]);
  }
}

// Copies the lower triangle onto the upper one (after syrk, which fills only one triangle).
template <typename T> __device__ void symmetrize_k(int n, T* a) {
  i64 total = (i64)n * n;
  for (i64 t = blockIdx.x * (i64)blockDim.x + threadIdx.x; t < total; t += (i64)gridDim.x * blockDim.x) {
    i64 j = t / n; int i = (int)(t - j * n);
    if (i < j) a[t] = a[(i64)i * n + j];
  }
}

// out (n x n) = upper triangle of the leading n x n block of a (lda = m); zero elsewhere.
// lower = 1 instead keeps the lower triangle.
template <typename T> __device__ void triangle_k(int lower, int m, int n, const T* a, T* out) {
  i64 total = (i64)n * n;
  for (i64 t = blockIdx.x * (i64)blockDim.x + threadIdx.x; t < total; t += (i64)gridDim.x * blockDim.x) {
    i64 j = t / n; int i = (int)(t - j * n);
    bool keep = lower ? (i >= j) : (i <= j);
    out[t] = keep ? a[j * m + i] : T(0);
  }
}

extern "C" __global__ void f64_to_f32(i64 n, const double* x, float* y) {
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) y[i] = (float)x[i];
}
// float32 → bfloat16 bits, round to nearest even (as __float2bfloat16_rn; written out so that no
// header is needed): add 0x7FFF plus the lowest kept bit, keep the top 16 bits; NaNs stay quiet NaNs.
extern "C" __global__ void f32_to_bf16(i64 n, const float* x, unsigned short* y) {
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) {
    unsigned int u = __float_as_uint(x[i]);
    y[i] = (u & 0x7FFFFFFFu) > 0x7F800000u ? (unsigned short)((u >> 16) | 0x40u) : (unsigned short)((u + 0x7FFFu + ((u >> 16) & 1u)) >> 16);
  }
}
extern "C" __global__ void f32_to_f64(i64 n, const float* x, double* y) {
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) y[i] = (double)x[i];
}

#define INSTANTIATE(T, S) \
extern "C" __global__ void map_##S(int op, i64 n, const T* x, T* y, double a, double b) { map_k<T>(op, n, x, y, a, b); } \
extern "C" __global__ void zip_##S(int op, i64 n, const T* x, const T* y, T* z) { zip_k<T>(op, n, x, y, z); } \
extern "C" __global__ void reduce_partial_##S(int kind, i64 n, const T* x, double* p) { reduce_partial_k<T>(kind, n, x, p); } \
extern "C" __global__ void row_reduce_##S(int kind, int rows, int cols, const T* x, T* o) { row_reduce_k<T>(kind, rows, cols, x, o); } \
extern "C" __global__ void col_reduce_##S(int kind, int rows, const T* x, T* o) { col_reduce_k<T>(kind, rows, x, o); } \
extern "C" __global__ void arg_row_##S(int want_max, int rows, int cols, const T* x, int* o) { arg_row_k<T>(want_max, rows, cols, x, o); } \
extern "C" __global__ void gather_rows_##S(int rows, int k, int cols, const T* x, const int* idx, T* o) { gather_rows_k<T>(rows, k, cols, x, idx, o); } \
extern "C" __global__ void gather_cols_##S(int rows, int k, const T* x, const int* idx, T* o) { gather_cols_k<T>(rows, k, x, idx, o); } \
extern "C" __global__ void scale_##S(int by_row, int rows, int cols, const T* x, const T* d, T* o) { scale_k<T>(by_row, rows, cols, x, d, o); } \
extern "C" __global__ void symmetrize_##S(int n, T* a) { symmetrize_k<T>(n, a); } \
extern "C" __global__ void triangle_##S(int lower, int m, int n, const T* a, T* o) { triangle_k<T>(lower, m, n, a, o); }

INSTANTIATE(double, f64)
INSTANTIATE(float, f32)

// ---- Philox4x32-10 random fills: the element -> value map documented on Reproduce.Compute.Philox ----
typedef unsigned int u32;
typedef unsigned long long u64;

// Counter (c0, c1, c2, c3), key (k0, k1); Salmon et al. SC'11, as Random123's philox4x32_R(10, ...).
__device__ __forceinline__ void philox4x32_10(u32& c0, u32& c1, u32& c2, u32& c3, u32 k0, u32 k1) {
  #pragma unroll
  for (int r = 0; r < 10; r++) {
    if (r > 0) { k0 += 0x9E3779B9u; k1 += 0xBB67AE85u; }
    u32 hi0 = __umulhi(0xD2511F53u, c0), lo0 = 0xD2511F53u * c0;
    u32 hi1 = __umulhi(0xCD9E8D57u, c2), lo1 = 0xCD9E8D57u * c2;
    u32 n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
    c0 = n0; c1 = lo1; c2 = n2; c3 = lo0;
  }
}

// Block b of stream (key, kind) as 64-bit words lo = x0 | x1 << 32, hi = x2 | x3 << 32.
__device__ __forceinline__ void philox_words(u64 key, u64 b, int kind, u64& lo, u64& hi) {
  u32 c0 = (u32)b, c1 = (u32)(b >> 32), c2 = (u32)kind, c3 = 0u;
  philox4x32_10(c0, c1, c2, c3, (u32)key, (u32)(key >> 32));
  lo = (u64)c0 | ((u64)c1 << 32);
  hi = (u64)c2 | ((u64)c3 << 32);
}

__device__ __forceinline__ double rademacher_bit(u64 lo, u64 hi, int c) {
  u64 w = c < 64 ? lo : hi;
  return ((w >> (c & 63)) & 1ull) ? 1.0 : -1.0;
}

// Float32 uniform: the top 24 bits (never rounds up to 1.0f); float64: the top 53 bits.
__device__ __forceinline__ float uniform_f32(u64 w) { return (float)__dmul_rn((double)(w >> 40), 0x1.0000000000000p-24); }
__device__ __forceinline__ double uniform_f64(u64 w) { return __dmul_rn((double)(w >> 11), 0x1.0000000000000p-53); }

template <typename T> __device__ __forceinline__ void put_uniform(T* out, i64 i, u64 w);
template <> __device__ __forceinline__ void put_uniform<double>(double* out, i64 i, u64 w) { out[i] = uniform_f64(w); }
template <> __device__ __forceinline__ void put_uniform<float>(float* out, i64 i, u64 w) { out[i] = uniform_f32(w); }

// Box-Muller from IEEE basic operations only, step for step as Reproduce.Compute.PhiloxMath, so that
// GPU and CPU normals are bit-identical: every product and sum is an explicit round-to-nearest
// intrinsic (__dmul_rn / __dadd_rn / __ddiv_rn / __dsqrt_rn, which the compiler never contracts;
// x - y is written __dadd_rn(x, -y), the same IEEE result) or an explicit fma. The constants are
// PhiloxMath's doubles written in hexadecimal (a test checks that the two lists agree).
__device__ __forceinline__ double philox_log(double u) {   // u in [2^-52, 1]
  u64 bits = (u64)__double_as_longlong(u);
  double e = __dadd_rn((double)(bits >> 52), -1023.0);
  double m = __longlong_as_double((long long)((bits & 0x000FFFFFFFFFFFFFull) | 0x3FF0000000000000ull));
  if (m >= 0x1.6a09e667f3bcdp+0) { m = __dmul_rn(m, 0.5); e = __dadd_rn(e, 1.0); }
  double f = __dadd_rn(m, -1.0);
  double s = __ddiv_rn(f, __dadd_rn(2.0, f));
  double z = __dmul_rn(s, s);
  double q = fma(0x1.8618618618618p-5, z, 0x1.af286bca1af28p-5);
  q = fma(q, z, 0x1.e1e1e1e1e1e1ep-5);
  q = fma(q, z, 0x1.1111111111111p-4);
  q = fma(q, z, 0x1.3b13b13b13b14p-4);
  q = fma(q, z, 0x1.745d1745d1746p-4);
  q = fma(q, z, 0x1.c71c71c71c71cp-4);
  q = fma(q, z, 0x1.2492492492492p-3);
  q = fma(q, z, 0x1.999999999999ap-3);
  q = fma(q, z, 0x1.5555555555555p-2);
  double s2 = __dadd_rn(s, s);
  double lm = fma(__dmul_rn(s2, z), q, s2);
  return fma(e, 0x1.62e42fefa39efp-1, lm);
}

// sin and cos of 2*pi*j*2^-53 for a 53-bit integer j.
__device__ __forceinline__ void philox_sincos_turns(u64 j, double& sin_out, double& cos_out) {
  u64 q = (j + (1ull << 50)) >> 51;                 // nearest quarter turn, 0..4
  long long t = (long long)j - (long long)(q << 51); // |t| <= 2^50
  double a = __dmul_rn((double)t, 0x1.0000000000000p-53);
  double w = __dmul_rn(a, a);
  double sp = fma(0x1.aaec32af93359p-4, w, -0x1.6fadb9f155744p-1);
  sp = fma(sp, w, 0x1.e8f434d018d63p+1);
  sp = fma(sp, w, -0x1.e3074fde8871fp+3);
  sp = fma(sp, w, 0x1.50783487ee782p+5);
  sp = fma(sp, w, -0x1.32d2cce62bd86p+6);
  sp = fma(sp, w, 0x1.466bc6775aae2p+6);
  sp = fma(sp, w, -0x1.4abbce625be53p+5);
  sp = fma(sp, w, 0x1.921fb54442d18p+2);
  double sn = __dmul_rn(a, sp);
  double cp = fma(0x1.20c62c2f2d7f5p-2, w, -0x1.b6e24f44b128fp+0);
  cp = fma(cp, w, 0x1.f9d38a3763cc3p+2);
  cp = fma(cp, w, -0x1.a6d1f2a204a8cp+4);
  cp = fma(cp, w, 0x1.e1f506891babbp+5);
  cp = fma(cp, w, -0x1.55d3c7e3cbffap+6);
  cp = fma(cp, w, 0x1.03c1f081b5ac4p+6);
  cp = fma(cp, w, -0x1.3bd3cc9be45dep+4);
  cp = fma(cp, w, 0x1.0000000000000p+0);
  bool swap = (q & 1ull) != 0;
  double sv = swap ? cp : sn, cv = swap ? sn : cp;
  if (q & 2ull) sv = -sv;
  if ((q + 1ull) & 2ull) cv = -cv;
  sin_out = sv; cos_out = cv;
}

// out[i] = element first + i of stream (kind, key), i < n; kind 0 normal, 1 uniform, 2 Rademacher.
// Thread t handles the pair of elements (2p, 2p + 1), p = first / 2 + t, and writes those in range.
template <typename T> __device__ void philox_fill_k(int kind, i64 n, u64 key, i64 first, T* out) {
  i64 p0 = first >> 1;
  i64 pairs = ((first + n - 1) >> 1) - p0 + 1;
  for (i64 t = blockIdx.x * (i64)blockDim.x + threadIdx.x; t < pairs; t += (i64)gridDim.x * blockDim.x) {
    i64 k = 2 * (p0 + t);            // absolute index of the even element
    i64 i = k - first;               // its position in out (-1 when only the odd one is in range)
    bool even_in = i >= 0, odd_in = i + 1 < n;
    if (kind == 0) {
      u64 lo, hi;
      philox_words(key, (u64)(p0 + t), 0, lo, hi);
      double u1 = __dadd_rn(2.0, -__longlong_as_double((long long)((lo >> 12) | 0x3FF0000000000000ull)));
      double r = __dsqrt_rn(__dmul_rn(-2.0, philox_log(u1)));
      double s, c;
      philox_sincos_turns(hi >> 11, s, c);
      if (even_in) out[i] = (T)__dmul_rn(r, c);
      if (odd_in) out[i + 1] = (T)__dmul_rn(r, s);
    } else if (kind == 1) {
      u64 lo, hi;
      philox_words(key, (u64)(p0 + t), 1, lo, hi);
      if (even_in) put_uniform<T>(out, i, lo);
      if (odd_in) put_uniform<T>(out, i + 1, hi);
    } else {
      u64 lo, hi;
      philox_words(key, (u64)(k >> 7), 2, lo, hi);   // k even: k and k + 1 share the block
      int c = (int)(k & 127);
      if (even_in) out[i] = (T)rademacher_bit(lo, hi, c);
      if (odd_in) out[i + 1] = (T)rademacher_bit(lo, hi, c + 1);
    }
  }
}

extern "C" __global__ void philox_fill_f64(int kind, i64 n, u64 key, i64 first, double* out) { philox_fill_k<double>(kind, n, key, first, out); }
extern "C" __global__ void philox_fill_f32(int kind, i64 n, u64 key, i64 first, float* out) { philox_fill_k<float>(kind, n, key, first, out); }
""";
}
