namespace Reproduce.Compute.Cuda;

/// <summary>CUDA C source of the elementwise, reduction, gather and scaling kernels, compiled by
/// NVRTC at first use. Each kernel is a template instantiated for double (_f64) and float (_f32).
/// Reductions accumulate in double and use a fixed grid, so results are deterministic run to run.
/// Op codes match <see cref="CudaBackend"/>'s mapping from <see cref="UnaryOp"/>/<see cref="BinaryOp"/>.</summary>
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
""";
}
