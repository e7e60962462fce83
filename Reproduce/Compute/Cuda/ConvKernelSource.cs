namespace Reproduce.Compute.Cuda;

/// <summary>CUDA C source of the convolutional layers' data movement (Reproduce.Nn.Conv2d and
/// MaxPool2d), compiled by NVRTC into a module of its own at first use. Images are columns in HWC
/// order (Reproduce.Nn.ImageShape). Each kernel mirrors its host loop: im2col and pooling copy values,
/// col2im sums a pixel's patch entries in increasing (ky, kx) as the host does, and max-pool backward is
/// a gather (non-overlapping windows), so CPU and GPU results agree bit for bit. All kernels are
/// grid-stride loops over their output entries (256 threads a block, CudaBackend.Blocks); no atomics.</summary>
internal static class ConvKernelSource
{
    public const string Source = """
// cols is (k k C) x (Ho Wo N): entry (r, q) at q * rows + r, r = (ky k + kx) C + ci, q = (oh Wo + ow) + Ho Wo n.
template <typename T> __device__ void im2col_k(int C, int H, int W, int k, int p, int N, const T* x, T* cols) {
  int Ho = H + 2 * p - k + 1, Wo = W + 2 * p - k + 1, rows = k * k * C;
  long long total = (long long)rows * Ho * Wo * N;
  for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total; e += (long long)gridDim.x * blockDim.x) {
    long long q = e / rows;
    int r = (int)(e - q * rows), ci = r % C, kk = r / C, ky = kk / k, kx = kk - ky * k;
    long long n = q / ((long long)Ho * Wo);
    int pix = (int)(q - n * Ho * Wo), oh = pix / Wo, ow = pix - oh * Wo, ih = oh + ky - p, iw = ow + kx - p;
    cols[e] = (ih < 0 || ih >= H || iw < 0 || iw >= W) ? (T)0 : x[n * H * W * C + ((long long)ih * W + iw) * C + ci];
  }
}

// dx (H W C x N) = adjoint of im2col: a pixel's patch entries summed in increasing ky, then kx.
template <typename T> __device__ void col2im_k(int C, int H, int W, int k, int p, int N, const T* cols, T* dx) {
  int Ho = H + 2 * p - k + 1, Wo = W + 2 * p - k + 1, rows = k * k * C;
  long long total = (long long)H * W * C * N;
  for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total; e += (long long)gridDim.x * blockDim.x) {
    long long n = e / ((long long)H * W * C);
    int f = (int)(e - n * H * W * C), ci = f % C, pix = f / C, ih = pix / W, iw = pix - ih * W;
    T acc = (T)0;
    for (int ky = 0; ky < k; ky++) {
      int oh = ih + p - ky;
      if (oh < 0 || oh >= Ho) continue;
      for (int kx = 0; kx < k; kx++) {
        int ow = iw + p - kx;
        if (ow < 0 || ow >= Wo) continue;
        acc += cols[(n * Ho * Wo + (long long)oh * Wo + ow) * rows + (ky * k + kx) * C + ci];
      }
    }
    dx[e] = acc;
  }
}

// first maximum (row-major in the window) of window (oh, ow), channel ci, of one image; an offset in the image
template <typename T> __device__ int pool_argmax(const T* img, int C, int W, int s, int oh, int ow, int ci) {
  int best = (oh * s * W + ow * s) * C + ci;
  for (int dy = 0; dy < s; dy++)
    for (int dx = 0; dx < s; dx++) {
      int at = ((oh * s + dy) * W + ow * s + dx) * C + ci;
      if (img[at] > img[best]) best = at;
    }
  return best;
}

// y (Ho Wo C x N), Ho = H / s: the window maxima.
template <typename T> __device__ void maxpool_fwd_k(int C, int H, int W, int s, int N, const T* x, T* y) {
  int Ho = H / s, Wo = W / s;
  long long fo = (long long)Ho * Wo * C, total = fo * N;
  for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total; e += (long long)gridDim.x * blockDim.x) {
    long long n = e / fo;
    int f = (int)(e - n * fo), ci = f % C, pix = f / C, oh = pix / Wo, ow = pix - oh * Wo;
    const T* img = x + n * H * W * C;
    y[e] = img[pool_argmax(img, C, W, s, oh, ow, ci)];
  }
}

// dx (H W C x N): dy of the window where this entry is the window's first maximum, else 0.
template <typename T> __device__ void maxpool_bwd_k(int C, int H, int W, int s, int N, const T* dy, const T* x, T* dx) {
  int Ho = H / s, Wo = W / s;
  long long fi = (long long)H * W * C, fo = (long long)Ho * Wo * C, total = fi * N;
  for (long long e = blockIdx.x * (long long)blockDim.x + threadIdx.x; e < total; e += (long long)gridDim.x * blockDim.x) {
    long long n = e / fi;
    int at = (int)(e - n * fi), ci = at % C, pix = at / C, ih = pix / W, iw = pix - ih * W, oh = ih / s, ow = iw / s;
    const T* img = x + n * fi;
    bool routed = oh < Ho && ow < Wo && pool_argmax(img, C, W, s, oh, ow, ci) == at;
    dx[e] = routed ? dy[n * fo + ((long long)oh * Wo + ow) * C + ci] : (T)0;
  }
}

#define CONV_INSTANTIATE(T, S) \
extern "C" __global__ void conv_im2col_##S(int C, int H, int W, int k, int p, int N, const T* x, T* cols) { im2col_k<T>(C, H, W, k, p, N, x, cols); } \
extern "C" __global__ void conv_col2im_##S(int C, int H, int W, int k, int p, int N, const T* cols, T* dx) { col2im_k<T>(C, H, W, k, p, N, cols, dx); } \
extern "C" __global__ void conv_maxpool_fwd_##S(int C, int H, int W, int s, int N, const T* x, T* y) { maxpool_fwd_k<T>(C, H, W, s, N, x, y); } \
extern "C" __global__ void conv_maxpool_bwd_##S(int C, int H, int W, int s, int N, const T* dy, const T* x, T* dx) { maxpool_bwd_k<T>(C, H, W, s, N, dy, x, dx); }

CONV_INSTANTIATE(double, f64)
CONV_INSTANTIATE(float, f32)
""";
}
