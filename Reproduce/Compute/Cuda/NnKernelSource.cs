namespace Reproduce.Compute.Cuda;

/// <summary>CUDA C source of the neural-network engine's non-GEMM kernels (Reproduce.Nn), compiled by
/// NVRTC into a module of its own at first use. Each kernel mirrors the host kernel of the same layer
/// step for step (same formulas, statistics accumulated in double), so CPU/GPU parity is a matter of
/// summation order only; <c>reproduce nn check --device cuda</c> compares them.
/// Column kernels give one warp (32 lanes) to each column of a column-major matrix: a token's
/// features for the norms, a token's logits for the loss, a query's scores for attention; lanes
/// stride over the rows, so reads are coalesced, and a butterfly of shuffles reduces the warp (every
/// lane of a warp handles the same column, so a warp leaves together and the shuffles are full).
/// Launch: 256 threads a block, ceil(columns / 8) blocks.</summary>
internal static class NnKernelSource
{
    /// <summary>Columns handled by one block of 256 threads (one per warp).</summary>
    public const int ColumnsPerBlock = 8;

    public const string Source = """
typedef long long i64;

__device__ __forceinline__ double warp_sum(double v) {
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
  return v;
}

__device__ __forceinline__ double warp_max(double v) {
  for (int o = 16; o > 0; o >>= 1) v = fmax(v, __shfl_xor_sync(0xffffffffu, v, o));
  return v;
}

__device__ __forceinline__ double neg_inf() { return __longlong_as_double(0xfff0000000000000ll); }

// ---- LayerNorm (rms = 0) and RMSNorm (rms = 1) over the C features of each of N columns ----
template <typename T> __device__ void norm_fwd_k(int rms, int C, int N, const T* x, const T* g, const T* b,
                                                T* y, T* mean, T* rstd, double eps) {
  int col = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5), lane = threadIdx.x & 31;
  if (col >= N) return;
  const T* xc = x + (i64)col * C;
  T* yc = y + (i64)col * C;
  double mu = 0;
  if (!rms) {
    double s = 0;
    for (int k = lane; k < C; k += 32) s += (double)xc[k];
    mu = warp_sum(s) / C;
  }
  double v = 0;
  for (int k = lane; k < C; k += 32) { double d = (double)xc[k] - mu; v += d * d; }
  double r = 1.0 / sqrt(warp_sum(v) / C + eps);
  for (int k = lane; k < C; k += 32) {
    double o = ((double)xc[k] - mu) * r * (double)g[k];
    if (!rms) o += (double)b[k];
    yc[k] = (T)o;
  }
  if (lane == 0) {
    if (!rms) mean[col] = (T)mu;
    rstd[col] = (T)r;
  }
}

// dx per column; dyxhat = dy * xhat, whose row sums (a GEMV with ones) are the weight's gradient.
template <typename T> __device__ void norm_bwd_k(int rms, int C, int N, const T* dy, const T* x, const T* mean,
                                                const T* rstd, const T* g, T* dx, T* dyxhat) {
  int col = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5), lane = threadIdx.x & 31;
  if (col >= N) return;
  i64 o = (i64)col * C;
  double mu = rms ? 0.0 : (double)mean[col], r = (double)rstd[col];
  double sg = 0, sgx = 0;
  for (int k = lane; k < C; k += 32) {
    double xh = ((double)x[o + k] - mu) * r, gk = (double)dy[o + k] * (double)g[k];
    sg += gk;
    sgx += gk * xh;
  }
  sg = warp_sum(sg) / C;
  sgx = warp_sum(sgx) / C;
  if (rms) sg = 0;
  for (int k = lane; k < C; k += 32) {
    double d = (double)dy[o + k], xh = ((double)x[o + k] - mu) * r;
    dx[o + k] = (T)(r * (d * (double)g[k] - sg - xh * sgx));
    dyxhat[o + k] = (T)(d * xh);
  }
}

// ---- pointwise nonlinearities: kind 0 ReLU, 1 GELU (tanh), 2 SiLU (Reproduce.Nn.ActivationKind) ----
__device__ __forceinline__ double sigmoid_d(double x) { return x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x)); }

__device__ __forceinline__ double act_value(int kind, double x) {
  if (kind == 0) return x > 0 ? x : 0.0;
  if (kind == 1) return 0.5 * x * (1.0 + tanh(0.7978845608028654 * (x + 0.044715 * x * x * x)));
  return x * sigmoid_d(x);
}

__device__ __forceinline__ double act_deriv(int kind, double x) {
  if (kind == 0) return x > 0 ? 1.0 : 0.0;
  if (kind == 1) {
    double t = tanh(0.7978845608028654 * (x + 0.044715 * x * x * x));
    return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * 0.7978845608028654 * (1.0 + 3.0 * 0.044715 * x * x);
  }
  double s = sigmoid_d(x);
  return s * (1.0 + x * (1.0 - s));
}

template <typename T> __device__ void act_fwd_k(int kind, i64 n, const T* x, T* y) {
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x)
    y[i] = (T)act_value(kind, (double)x[i]);
}

template <typename T> __device__ void act_bwd_k(int kind, i64 n, const T* dy, const T* x, T* dx) {
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x)
    dx[i] = (T)(act_deriv(kind, (double)x[i]) * (double)dy[i]);
}

// ---- softmax cross-entropy: per column the probabilities and lse - z[y] (summed afterwards) ----
template <typename T> __device__ void xent_fwd_k(int V, int N, const T* z, const int* y, T* p, double* loss) {
  int col = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5), lane = threadIdx.x & 31;
  if (col >= N) return;
  const T* zc = z + (i64)col * V;
  T* pc = p + (i64)col * V;
  double m = neg_inf();
  for (int k = lane; k < V; k += 32) m = fmax(m, (double)zc[k]);
  m = warp_max(m);
  double s = 0;
  for (int k = lane; k < V; k += 32) s += exp((double)zc[k] - m);
  s = warp_sum(s);
  for (int k = lane; k < V; k += 32) pc[k] = (T)(exp((double)zc[k] - m) / s);
  if (lane == 0) loss[col] = m + log(s) - (double)zc[y[col]];
}

// dz = f (p - onehot(y)), f = scale / N.
template <typename T> __device__ void xent_bwd_k(int V, i64 total, const T* p, const int* y, T* dz, double f) {
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < total; i += (i64)gridDim.x * blockDim.x) {
    i64 n = i / V;
    int k = (int)(i - n * V);
    dz[i] = (T)(f * ((double)p[i] - (k == y[n] ? 1.0 : 0.0)));
  }
}

// ---- distillation KL at temperature 1/invT: per column q = softmax(zs invT), p = softmax(zt invT) and
// sum_k p (log p - log q), the logs taken from the logits (exact where a probability underflows) ----
template <typename T> __device__ void kl_fwd_k(int V, int N, const T* zs, const T* zt, double invT, T* q, T* p, double* loss) {
  int col = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5), lane = threadIdx.x & 31;
  if (col >= N) return;
  const T* a = zs + (i64)col * V;
  const T* b = zt + (i64)col * V;
  double ms = neg_inf(), mt = neg_inf();
  for (int k = lane; k < V; k += 32) { ms = fmax(ms, (double)a[k] * invT); mt = fmax(mt, (double)b[k] * invT); }
  ms = warp_max(ms);
  mt = warp_max(mt);
  double ss = 0, st = 0;
  for (int k = lane; k < V; k += 32) { ss += exp((double)a[k] * invT - ms); st += exp((double)b[k] * invT - mt); }
  ss = warp_sum(ss);
  st = warp_sum(st);
  double lse_s = ms + log(ss), lse_t = mt + log(st), l = 0;
  for (int k = lane; k < V; k += 32) {
    double qk = exp((double)a[k] * invT - ms) / ss, pk = exp((double)b[k] * invT - mt) / st;
    q[(i64)col * V + k] = (T)qk;
    p[(i64)col * V + k] = (T)pk;
    if (pk > 0) l += pk * (((double)b[k] * invT - lse_t) - ((double)a[k] * invT - lse_s));
  }
  l = warp_sum(l);
  if (lane == 0) loss[col] = l;
}

// ---- rotary positions on packed QKV (3C x N, column n = position n % Tn): rows [0, 2C) (queries,
// keys) rotated pairwise (j, j + D/2) in each head by sign * t * theta^(-2i/D); values copied ----
template <typename T> __device__ void rope_k(int C, int D, int Tn, i64 total, const T* x, T* y, double sign, double theta) {
  int half = D / 2;
  for (i64 e = blockIdx.x * (i64)blockDim.x + threadIdx.x; e < total; e += (i64)gridDim.x * blockDim.x) {
    i64 n = e / (3 * C);
    int r = (int)(e - n * 3 * C);
    if (r >= 2 * C) { y[e] = x[e]; continue; }
    int j = r % D, i = j < half ? j : j - half;
    double a = sign * (double)(n % Tn) * pow(theta, -2.0 * i / D), c = cos(a), s = sin(a);
    double v = (double)x[e];
    y[e] = j < half ? (T)(v * c - (double)x[e + half] * s) : (T)(v * c + (double)x[e - half] * s);
  }
}

// ---- head-major copies for attention: x is (P C) x (B Tn) column-major (P = 3 for packed QKV, 1 for
// Y), xh is [P][B][H][Tn][D], so each head of each sequence is a D x Tn block at a uniform stride and
// one strided batched GEMM covers all B H of them. dir 0: xh <- x; dir 1: x <- xh ----
template <typename T> __device__ void heads_permute_k(int P, int C, int D, int H, int Tn, int B, T* x, T* xh, int dir) {
  i64 rows = (i64)P * C, total = rows * B * Tn;
  for (i64 e = blockIdx.x * (i64)blockDim.x + threadIdx.x; e < total; e += (i64)gridDim.x * blockDim.x) {
    i64 n = e / rows;
    int r = (int)(e - n * rows), part = r / C, rr = r - part * C, h = rr / D, j = rr - h * D;
    int b = (int)(n / Tn), t = (int)(n - (i64)b * Tn);
    i64 hi = ((((i64)part * B + b) * H + h) * Tn + t) * D + j;
    if (dir == 0) xh[hi] = x[e]; else x[e] = xh[hi];
  }
}

// ---- causal attention: scores S (Tn x cols, column (b H + h) Tn + t = query t, already scaled)
// become probabilities over keys u <= t in place, zeros above ----
template <typename T> __device__ void causal_softmax_k(int Tn, int cols, T* s) {
  int col = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5), lane = threadIdx.x & 31;
  if (col >= cols) return;
  int t = col % Tn;
  T* sc = s + (i64)col * Tn;
  double m = neg_inf();
  for (int u = lane; u <= t; u += 32) m = fmax(m, (double)sc[u]);
  m = warp_max(m);
  double z = 0;
  for (int u = lane; u <= t; u += 32) z += exp((double)sc[u] - m);
  z = warp_sum(z);
  for (int u = lane; u < Tn; u += 32) sc[u] = u <= t ? (T)(exp((double)sc[u] - m) / z) : (T)0;
}

// d holds dP; becomes dS = P (dP - sum_u P dP) scale for u <= t, zeros above.
template <typename T> __device__ void causal_softmax_bwd_k(int Tn, int cols, const T* p, T* d, double scale) {
  int col = blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5), lane = threadIdx.x & 31;
  if (col >= cols) return;
  int t = col % Tn;
  const T* pc = p + (i64)col * Tn;
  T* dc = d + (i64)col * Tn;
  double s = 0;
  for (int u = lane; u <= t; u += 32) s += (double)pc[u] * (double)dc[u];
  s = warp_sum(s);
  for (int u = lane; u < Tn; u += 32) dc[u] = u <= t ? (T)((double)pc[u] * ((double)dc[u] - s) * scale) : (T)0;
}

// ---- embedding backward: grad[:, v] += sum of dx[:, n] over the tokens n with id v, in increasing
// n (order[offsets[v] .. offsets[v+1]) lists them, built on the host), as the host loop adds ----
template <typename T> __device__ void embed_bwd_k(int C, int V, const int* offsets, const int* order, const T* dx, T* grad) {
  i64 total = (i64)C * V;
  for (i64 t = blockIdx.x * (i64)blockDim.x + threadIdx.x; t < total; t += (i64)gridDim.x * blockDim.x) {
    int v = (int)(t / C), k = (int)(t - (i64)v * C);
    int a = offsets[v], e = offsets[v + 1];
    if (a == e) continue;
    T acc = grad[t];
    for (int j = a; j < e; j++) acc += dx[(i64)order[j] * C + k];
    grad[t] = acc;
  }
}

// ---- optimizers (Reproduce.Nn.AdamW and Sgd, in double) ----
template <typename T> __device__ void adamw_k(i64 n, const T* g, T* w, T* m, T* v, double lr, double wd,
                                             double b1, double b2, double bc1, double bc2, double eps) {
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) {
    double gi = (double)g[i], wi = (double)w[i];
    wi -= lr * wd * wi;
    double mi = b1 * (double)m[i] + (1.0 - b1) * gi;
    double vi = b2 * (double)v[i] + (1.0 - b2) * gi * gi;
    wi -= lr * (mi / bc1) / (sqrt(vi / bc2) + eps);
    m[i] = (T)mi; v[i] = (T)vi; w[i] = (T)wi;
  }
}

template <typename T> __device__ void sgd_k(i64 n, const T* g, T* w, T* b, double lr, double momentum, double wd) {
  for (i64 i = blockIdx.x * (i64)blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) {
    double wi = (double)w[i], gi = (double)g[i] + wd * wi;
    double bi = momentum * (double)b[i] + gi;
    b[i] = (T)bi; w[i] = (T)(wi - lr * bi);
  }
}

#define NN_INSTANTIATE(T, S) \
extern "C" __global__ void nn_norm_fwd_##S(int rms, int C, int N, const T* x, const T* g, const T* b, T* y, T* mean, T* rstd, double eps) { norm_fwd_k<T>(rms, C, N, x, g, b, y, mean, rstd, eps); } \
extern "C" __global__ void nn_norm_bwd_##S(int rms, int C, int N, const T* dy, const T* x, const T* mean, const T* rstd, const T* g, T* dx, T* dyxhat) { norm_bwd_k<T>(rms, C, N, dy, x, mean, rstd, g, dx, dyxhat); } \
extern "C" __global__ void nn_act_fwd_##S(int kind, i64 n, const T* x, T* y) { act_fwd_k<T>(kind, n, x, y); } \
extern "C" __global__ void nn_act_bwd_##S(int kind, i64 n, const T* dy, const T* x, T* dx) { act_bwd_k<T>(kind, n, dy, x, dx); } \
extern "C" __global__ void nn_xent_fwd_##S(int V, int N, const T* z, const int* y, T* p, double* loss) { xent_fwd_k<T>(V, N, z, y, p, loss); } \
extern "C" __global__ void nn_xent_bwd_##S(int V, i64 total, const T* p, const int* y, T* dz, double f) { xent_bwd_k<T>(V, total, p, y, dz, f); } \
extern "C" __global__ void nn_kl_fwd_##S(int V, int N, const T* zs, const T* zt, double invT, T* q, T* p, double* loss) { kl_fwd_k<T>(V, N, zs, zt, invT, q, p, loss); } \
extern "C" __global__ void nn_rope_##S(int C, int D, int Tn, i64 total, const T* x, T* y, double sign, double theta) { rope_k<T>(C, D, Tn, total, x, y, sign, theta); } \
extern "C" __global__ void nn_heads_permute_##S(int P, int C, int D, int H, int Tn, int B, T* x, T* xh, int dir) { heads_permute_k<T>(P, C, D, H, Tn, B, x, xh, dir); } \
extern "C" __global__ void nn_causal_softmax_##S(int Tn, int cols, T* s) { causal_softmax_k<T>(Tn, cols, s); } \
extern "C" __global__ void nn_causal_softmax_bwd_##S(int Tn, int cols, const T* p, T* d, double scale) { causal_softmax_bwd_k<T>(Tn, cols, p, d, scale); } \
extern "C" __global__ void nn_embed_bwd_##S(int C, int V, const int* offsets, const int* order, const T* dx, T* grad) { embed_bwd_k<T>(C, V, offsets, order, dx, grad); } \
extern "C" __global__ void nn_adamw_##S(i64 n, const T* g, T* w, T* m, T* v, double lr, double wd, double b1, double b2, double bc1, double bc2, double eps) { adamw_k<T>(n, g, w, m, v, lr, wd, b1, b2, bc1, bc2, eps); } \
extern "C" __global__ void nn_sgd_##S(i64 n, const T* g, T* w, T* b, double lr, double momentum, double wd) { sgd_k<T>(n, g, w, b, lr, momentum, wd); }

NN_INSTANTIATE(double, f64)
NN_INSTANTIATE(float, f32)

// Deterministic sum of n doubles by one block of 256 threads.
extern "C" __global__ void nn_sum_f64(int n, const double* a, double* out) {
  __shared__ double buf[256];
  double acc = 0;
  for (int i = threadIdx.x; i < n; i += blockDim.x) acc += a[i];
  buf[threadIdx.x] = acc;
  __syncthreads();
  for (int s = blockDim.x / 2; s > 0; s >>= 1) {
    if (threadIdx.x < s) buf[threadIdx.x] += buf[threadIdx.x + s];
    __syncthreads();
  }
  if (threadIdx.x == 0) out[0] = buf[0];
}
""";
}
