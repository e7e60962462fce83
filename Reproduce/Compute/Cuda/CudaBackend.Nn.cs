namespace Reproduce.Compute.Cuda;

/// <summary>Device versions of the neural-network engine's non-GEMM kernels (<see cref="NnKernelSource"/>)
/// and the batched GEMMs of attention, so a training step of Reproduce.Nn keeps its data on the GPU:
/// the only transfers per step are the token ids and targets going up and the loss coming down.
/// Callers (the layers in Reproduce/Nn) check shapes; these methods assume them.</summary>
public sealed unsafe partial class CudaBackend
{
    private readonly Dictionary<(int, DType), Matrix> _ones = [];

    /// <summary>Whether float32 GEMMs use TF32 tensor cores (inputs rounded to a 10-bit mantissa,
    /// float32 accumulation); off by default, and at start when REPRODUCE_TF32 is unset.</summary>
    public bool Tf32
    {
        get => _ctx.AllowTf32;
        set => _ctx.SetTf32(value);
    }

    /// <summary>Whether float32 GEMMs (<see cref="Gemm"/> and the strided batched GEMMs of attention)
    /// round both operands to bfloat16 (8-bit significand, round to nearest even, by an NVRTC kernel)
    /// and run cublasGemmEx with CUBLAS_COMPUTE_32F: products and sums in float32, float32 output, and
    /// everything else of a training step (master weights, optimizer, norms, softmax) stays float32.
    /// Off by default, and at start when REPRODUCE_BF16 is unset; takes precedence over <see cref="Tf32"/>.</summary>
    public bool Bf16
    {
        get => _ctx.AllowBf16;
        set => _ctx.AllowBf16 = value;
    }

    /// <summary>A device matrix whose contents are not initialised (every entry must be written).</summary>
    internal Matrix Empty(int rows, int cols, DType dtype) => Uninitialised(rows, cols, dtype);

    /// <summary>A cached n×1 column of ones (for bias broadcasts and row sums as GEMVs); never dispose it.</summary>
    internal Matrix Ones(int n, DType dtype)
    {
        lock (_ones)
        {
            if (_ones.TryGetValue((n, dtype), out var m)) return m;
            var h = Matrix.Zeros(n, 1, dtype);
            if (dtype == DType.F64) h.Span.Fill(1); else h.SpanF32.Fill(1);
            _ones[(n, dtype)] = m = Upload(h);
            return m;
        }
    }

    private void LaunchNn(string kernel, uint grid, void** args)
    {
        var f = _ctx.Function(kernel, NnKernelSource.Source, "reproduce_nn_kernels.cu");
        _ctx.MakeCurrent();
        CuDriver.Launch(f, grid, CudaKernelSource.Threads, args);
    }

    private static uint ColumnBlocks(long cols) => (uint)Math.Max(1, (cols + NnKernelSource.ColumnsPerBlock - 1) / NnKernelSource.ColumnsPerBlock);

    private static ulong POrZero(Matrix? m) => m is null ? 0UL : P(m);

    /// <summary>LayerNorm (rms false) or RMSNorm forward over the rows of each column of x.</summary>
    internal void NnNormForward(bool rms, Matrix x, Matrix gamma, Matrix? beta, Matrix y, Matrix? mean, Matrix rstd, double eps)
    {
        if (x.Length == 0) return;
        int r = rms ? 1 : 0, c = x.Rows, n = x.Cols;
        ulong px = P(x), pg = P(gamma), pb = POrZero(beta), py = P(y), pm = POrZero(mean), pr = P(rstd);
        void** args = stackalloc void*[10];
        args[0] = &r; args[1] = &c; args[2] = &n; args[3] = &px; args[4] = &pg; args[5] = &pb; args[6] = &py; args[7] = &pm; args[8] = &pr; args[9] = &eps;
        LaunchNn("nn_norm_fwd_" + Suffix(x), ColumnBlocks(n), args);
    }

    /// <summary>Norm backward: writes dx, accumulates dγ += Σₙ dy∘x̂ and (LayerNorm) dβ += Σₙ dy.</summary>
    internal void NnNormBackward(bool rms, Matrix dy, Matrix x, Matrix? mean, Matrix rstd, Matrix gamma, Matrix dx, Matrix dGamma, Matrix? dBeta)
    {
        if (x.Length == 0) return;
        using var dyxhat = Uninitialised(x.Rows, x.Cols, x.DType);
        int r = rms ? 1 : 0, c = x.Rows, n = x.Cols;
        ulong pdy = P(dy), px = P(x), pm = POrZero(mean), pr = P(rstd), pg = P(gamma), pdx = P(dx), pt = P(dyxhat);
        void** args = stackalloc void*[10];
        args[0] = &r; args[1] = &c; args[2] = &n; args[3] = &pdy; args[4] = &px; args[5] = &pm; args[6] = &pr; args[7] = &pg; args[8] = &pdx; args[9] = &pt;
        LaunchNn("nn_norm_bwd_" + Suffix(x), ColumnBlocks(n), args);
        var ones = Ones(n, x.DType);
        Gemv(dyxhat, false, ones, dGamma, 1, 1);
        if (dBeta is not null) Gemv(dy, false, ones, dBeta, 1, 1);
    }

    /// <summary>y = f(x) entrywise; kind as Reproduce.Nn.ActivationKind (0 ReLU, 1 GELU-tanh, 2 SiLU).</summary>
    internal void NnActivationForward(int kind, Matrix x, Matrix y)
    {
        long n = x.Length;
        if (n == 0) return;
        ulong px = P(x), py = P(y);
        void** args = stackalloc void*[4];
        args[0] = &kind; args[1] = &n; args[2] = &px; args[3] = &py;
        LaunchNn("nn_act_fwd_" + Suffix(x), Blocks(n), args);
    }

    /// <summary>dx = f'(x)∘dy.</summary>
    internal void NnActivationBackward(int kind, Matrix dy, Matrix x, Matrix dx)
    {
        long n = x.Length;
        if (n == 0) return;
        ulong pdy = P(dy), px = P(x), pdx = P(dx);
        void** args = stackalloc void*[5];
        args[0] = &kind; args[1] = &n; args[2] = &pdy; args[3] = &px; args[4] = &pdx;
        LaunchNn("nn_act_bwd_" + Suffix(x), Blocks(n), args);
    }

    /// <summary>Softmax of each column of z into p; returns the mean over columns of lse − z[target].</summary>
    internal double NnCrossEntropyForward(Matrix z, int[] targets, Matrix p)
    {
        int v = z.Rows, n = z.Cols;
        if (n == 0) return 0;
        using var dy = UploadInts(targets);
        using var loss = _ctx.Pool.Allocate(8L * n);
        using var total = _ctx.Pool.Allocate(8);
        ulong pz = P(z), py = dy.Ptr, pp = P(p), pl = loss.Ptr, pt = total.Ptr;
        void** args = stackalloc void*[6];
        args[0] = &v; args[1] = &n; args[2] = &pz; args[3] = &py; args[4] = &pp; args[5] = &pl;
        LaunchNn("nn_xent_fwd_" + Suffix(z), ColumnBlocks(n), args);
        args[0] = &n; args[1] = &pl; args[2] = &pt;
        LaunchNn("nn_sum_f64", 1, args);
        double sum;
        CuDriver.CopyDtoH(&sum, pt, 8);
        return sum / n;
    }

    /// <summary>Tempered softmaxes q (student) and p (teacher) per column; returns the mean over columns
    /// of KL(p ‖ q) (unscaled).</summary>
    internal double NnKlForward(Matrix zs, Matrix zt, double invT, Matrix q, Matrix p)
    {
        int v = zs.Rows, n = zs.Cols;
        if (n == 0) return 0;
        using var loss = _ctx.Pool.Allocate(8L * n);
        using var total = _ctx.Pool.Allocate(8);
        ulong ps = P(zs), pt = P(zt), pq = P(q), pp = P(p), pl = loss.Ptr, po = total.Ptr;
        void** args = stackalloc void*[8];
        args[0] = &v; args[1] = &n; args[2] = &ps; args[3] = &pt; args[4] = &invT; args[5] = &pq; args[6] = &pp; args[7] = &pl;
        LaunchNn("nn_kl_fwd_" + Suffix(zs), ColumnBlocks(n), args);
        args[0] = &n; args[1] = &pl; args[2] = &po;
        LaunchNn("nn_sum_f64", 1, args);
        double sum;
        CuDriver.CopyDtoH(&sum, po, 8);
        return sum / n;
    }

    /// <summary>y = rotary(x) on packed QKV (sign +1) or its transpose (sign −1, the backward).</summary>
    internal void NnRotary(Matrix x, Matrix y, int seqLen, int heads, double sign, double theta)
    {
        long total = x.Length;
        if (total == 0) return;
        int c = x.Rows / 3, d = c / heads, t = seqLen;
        ulong px = P(x), py = P(y);
        void** args = stackalloc void*[8];
        args[0] = &c; args[1] = &d; args[2] = &t; args[3] = &total; args[4] = &px; args[5] = &py; args[6] = &sign; args[7] = &theta;
        LaunchNn("nn_rope_" + Suffix(x), Blocks(total), args);
    }

    /// <summary>dz = f·(p − onehot(targets)).</summary>
    internal void NnCrossEntropyBackward(Matrix p, int[] targets, Matrix dz, double f)
    {
        int v = p.Rows;
        long total = p.Length;
        if (total == 0) return;
        using var dy = UploadInts(targets);
        ulong pp = P(p), py = dy.Ptr, pdz = P(dz);
        void** args = stackalloc void*[6];
        args[0] = &v; args[1] = &total; args[2] = &pp; args[3] = &py; args[4] = &pdz; args[5] = &f;
        LaunchNn("nn_xent_bwd_" + Suffix(p), Blocks(total), args);
    }

    /// <summary>Head-major attention, rotary positions, distillation KL and layer outputs allocated
    /// without a memset. On by default since `nn check --device cuda` passed with them on an H100
    /// (142 of 142 checks, 2026-12-06, tools/nn/results/h100-2026-12-06-b); REPRODUCE_NN_NEW_KERNELS=0
    /// turns them off (attention then batches per head, rotary and KL run on host copies, outputs are
    /// zeroed), for comparing against the path that passed first.</summary>
    public static bool NewKernels { get; set; } = Environment.GetEnvironmentVariable("REPRODUCE_NN_NEW_KERNELS") != "0";

    /// <summary>How the attention GEMMs are batched: true copies Q, K, V into head-major order first, so
    /// one strided batched GEMM covers all B·H blocks (6 GEMM calls a layer); false runs one batched
    /// GEMM per head on the packed layout (6·H calls; verified on an H100). Follows
    /// <see cref="NewKernels"/> unless set.</summary>
    public static bool HeadMajorAttention { get => _headMajor ?? NewKernels; set => _headMajor = value; }

    private static bool? _headMajor;

    private void HeadsPermute(int parts, int c, int heads, int seqLen, int batch, Matrix x, Matrix xh, int dir)
    {
        int d = c / heads;
        ulong px = P(x), ph = P(xh);
        void** args = stackalloc void*[9];
        args[0] = &parts; args[1] = &c; args[2] = &d; args[3] = &heads; args[4] = &seqLen; args[5] = &batch; args[6] = &px; args[7] = &ph; args[8] = &dir;
        LaunchNn("nn_heads_permute_" + Suffix(x), Blocks(x.Length), args);
    }

    /// <summary>Causal attention core on packed QKV (3C×N, N = B·T): scores S = KᵀQ/√D by strided batched
    /// GEMMs, the causal softmax in place in <paramref name="probs"/> (T × T·B·H, column (b·H + h)·T + t),
    /// then Y = V·P.</summary>
    internal void NnAttentionForward(Matrix qkv, int batch, int seqLen, int heads, Matrix y, Matrix probs)
    {
        if (HeadMajorAttention) { AttentionForwardHeadMajor(qkv, batch, seqLen, heads, y, probs); return; }
        int c = qkv.Rows / 3, d = c / heads, ld = 3 * c, t = seqLen;
        long sQkv = (long)t * ld, sP = (long)heads * t * t, sY = (long)t * c;
        double scale = 1 / Math.Sqrt(d);
        for (int h = 0; h < heads; h++) // S[u, t] = scale · k_u · q_t
            GemmBatched(true, false, t, t, d, scale, qkv, c + h * d, ld, sQkv, qkv, h * d, ld, sQkv, 0, probs, (long)h * t * t, t, sP, batch);
        int cols = t * batch * heads;
        ulong pp = P(probs);
        void** args = stackalloc void*[3];
        args[0] = &t; args[1] = &cols; args[2] = &pp;
        LaunchNn("nn_causal_softmax_" + Suffix(qkv), ColumnBlocks(cols), args);
        for (int h = 0; h < heads; h++) // Y = V · P
            GemmBatched(false, false, d, t, t, 1, qkv, 2 * c + h * d, ld, sQkv, probs, (long)h * t * t, t, sP, 0, y, h * d, c, sY, batch);
    }

    /// <summary>dQKV from dY: dP = VᵀdY, dV = dY·Pᵀ, dS = P∘(dP − Σ P∘dP)/√D, dQ = K·dS, dK = Q·dSᵀ.</summary>
    internal void NnAttentionBackward(Matrix dy, Matrix qkv, Matrix probs, int batch, int seqLen, int heads, Matrix dqkv)
    {
        if (HeadMajorAttention) { AttentionBackwardHeadMajor(dy, qkv, probs, batch, seqLen, heads, dqkv); return; }
        int c = qkv.Rows / 3, d = c / heads, ld = 3 * c, t = seqLen;
        long sQkv = (long)t * ld, sP = (long)heads * t * t, sY = (long)t * c;
        double scale = 1 / Math.Sqrt(d);
        using var dp = Uninitialised(probs.Rows, probs.Cols, probs.DType);
        for (int h = 0; h < heads; h++)
        {
            long ph = (long)h * t * t;
            GemmBatched(true, false, t, t, d, 1, qkv, 2 * c + h * d, ld, sQkv, dy, h * d, c, sY, 0, dp, ph, t, sP, batch);       // dP = Vᵀ dY
            GemmBatched(false, true, d, t, t, 1, dy, h * d, c, sY, probs, ph, t, sP, 0, dqkv, 2 * c + h * d, ld, sQkv, batch);   // dV = dY Pᵀ
        }
        int cols = t * batch * heads;
        ulong pp = P(probs), pd = P(dp);
        void** args = stackalloc void*[5];
        args[0] = &t; args[1] = &cols; args[2] = &pp; args[3] = &pd; args[4] = &scale;
        LaunchNn("nn_causal_softmax_bwd_" + Suffix(qkv), ColumnBlocks(cols), args);
        for (int h = 0; h < heads; h++)
        {
            long ph = (long)h * t * t;
            GemmBatched(false, false, d, t, t, 1, qkv, c + h * d, ld, sQkv, dp, ph, t, sP, 0, dqkv, h * d, ld, sQkv, batch);      // dQ = K dS
            GemmBatched(false, true, d, t, t, 1, qkv, h * d, ld, sQkv, dp, ph, t, sP, 0, dqkv, c + h * d, ld, sQkv, batch);      // dK = Q dSᵀ
        }
    }

    // Head-major: Q, K, V of head h of sequence b are D×T blocks (leading dimension D) at offsets
    // part·C·N + (b·H + h)·T·D, so every product is one strided batched GEMM over the B·H blocks, and the
    // probabilities' block (b·H + h) sits at (b·H + h)·T·T as before.
    private void AttentionForwardHeadMajor(Matrix qkv, int batch, int seqLen, int heads, Matrix y, Matrix probs)
    {
        int c = qkv.Rows / 3, d = c / heads, t = seqLen, bh = batch * heads;
        long cn = (long)c * qkv.Cols, sH = (long)t * d, sP = (long)t * t;
        double scale = 1 / Math.Sqrt(d);
        using var qkvh = Uninitialised(qkv.Rows, qkv.Cols, qkv.DType);
        using var yh = Uninitialised(y.Rows, y.Cols, y.DType);
        HeadsPermute(3, c, heads, t, batch, qkv, qkvh, 0);
        GemmBatched(true, false, t, t, d, scale, qkvh, cn, d, sH, qkvh, 0, d, sH, 0, probs, 0, t, sP, bh);        // S = scale·KᵀQ
        int cols = t * bh;
        ulong pp = P(probs);
        void** args = stackalloc void*[3];
        args[0] = &t; args[1] = &cols; args[2] = &pp;
        LaunchNn("nn_causal_softmax_" + Suffix(qkv), ColumnBlocks(cols), args);
        GemmBatched(false, false, d, t, t, 1, qkvh, 2 * cn, d, sH, probs, 0, t, sP, 0, yh, 0, d, sH, bh);        // Y = V·P
        HeadsPermute(1, c, heads, t, batch, y, yh, 1);
    }

    private void AttentionBackwardHeadMajor(Matrix dy, Matrix qkv, Matrix probs, int batch, int seqLen, int heads, Matrix dqkv)
    {
        int c = qkv.Rows / 3, d = c / heads, t = seqLen, bh = batch * heads;
        long cn = (long)c * qkv.Cols, sH = (long)t * d, sP = (long)t * t;
        double scale = 1 / Math.Sqrt(d);
        using var qkvh = Uninitialised(qkv.Rows, qkv.Cols, qkv.DType);
        using var dqkvh = Uninitialised(qkv.Rows, qkv.Cols, qkv.DType);
        using var dyh = Uninitialised(dy.Rows, dy.Cols, dy.DType);
        using var dp = Uninitialised(probs.Rows, probs.Cols, probs.DType);
        HeadsPermute(3, c, heads, t, batch, qkv, qkvh, 0);
        HeadsPermute(1, c, heads, t, batch, dy, dyh, 0);
        GemmBatched(true, false, t, t, d, 1, qkvh, 2 * cn, d, sH, dyh, 0, d, sH, 0, dp, 0, t, sP, bh);           // dP = VᵀdY
        GemmBatched(false, true, d, t, t, 1, dyh, 0, d, sH, probs, 0, t, sP, 0, dqkvh, 2 * cn, d, sH, bh);       // dV = dY·Pᵀ
        int cols = t * bh;
        ulong pp = P(probs), pd = P(dp);
        void** args = stackalloc void*[5];
        args[0] = &t; args[1] = &cols; args[2] = &pp; args[3] = &pd; args[4] = &scale;
        LaunchNn("nn_causal_softmax_bwd_" + Suffix(qkv), ColumnBlocks(cols), args);
        GemmBatched(false, false, d, t, t, 1, qkvh, cn, d, sH, dp, 0, t, sP, 0, dqkvh, 0, d, sH, bh);            // dQ = K·dS
        GemmBatched(false, true, d, t, t, 1, qkvh, 0, d, sH, dp, 0, t, sP, 0, dqkvh, cn, d, sH, bh);             // dK = Q·dSᵀ
        HeadsPermute(3, c, heads, t, batch, dqkv, dqkvh, 1);
    }

    /// <summary>grad[:, v] += Σ dx[:, n] over n with ids[n] = v, in increasing n (a counting sort on the
    /// host lists each id's tokens; the kernel gives a thread to each (feature, id)).</summary>
    internal void NnEmbeddingBackward(Matrix dx, int[] ids, Matrix grad)
    {
        int c = grad.Rows, v = grad.Cols, n = ids.Length;
        if (n == 0 || c == 0) return;
        var offsets = new int[v + 1];
        foreach (int id in ids) offsets[id + 1]++;
        for (int i = 0; i < v; i++) offsets[i + 1] += offsets[i];
        var order = new int[n];
        var next = (int[])offsets.Clone();
        for (int i = 0; i < n; i++) order[next[ids[i]]++] = i;
        using var dOff = UploadInts(offsets);
        using var dOrder = UploadInts(order);
        ulong po = dOff.Ptr, pr = dOrder.Ptr, pdx = P(dx), pg = P(grad);
        void** args = stackalloc void*[6];
        args[0] = &c; args[1] = &v; args[2] = &po; args[3] = &pr; args[4] = &pdx; args[5] = &pg;
        LaunchNn("nn_embed_bwd_" + Suffix(grad), Blocks((long)c * v), args);
    }

    /// <summary>One AdamW update of w, m, v from g (bias corrections bc1, bc2 precomputed).</summary>
    internal void NnAdamW(Matrix g, Matrix w, Matrix m, Matrix v, double lr, double wd, double b1, double b2, double bc1, double bc2, double eps)
    {
        long n = w.Length;
        if (n == 0) return;
        ulong pg = P(g), pw = P(w), pm = P(m), pv = P(v);
        void** args = stackalloc void*[12];
        args[0] = &n; args[1] = &pg; args[2] = &pw; args[3] = &pm; args[4] = &pv; args[5] = &lr; args[6] = &wd;
        args[7] = &b1; args[8] = &b2; args[9] = &bc1; args[10] = &bc2; args[11] = &eps;
        LaunchNn("nn_adamw_" + Suffix(w), Blocks(n), args);
    }

    /// <summary>One SGD-with-momentum update of w and the momentum buffer b from g.</summary>
    internal void NnSgd(Matrix g, Matrix w, Matrix b, double lr, double momentum, double wd)
    {
        long n = w.Length;
        if (n == 0) return;
        ulong pg = P(g), pw = P(w), pb = P(b);
        void** args = stackalloc void*[7];
        args[0] = &n; args[1] = &pg; args[2] = &pw; args[3] = &pb; args[4] = &lr; args[5] = &momentum; args[6] = &wd;
        LaunchNn("nn_sgd_" + Suffix(w), Blocks(n), args);
    }

    /// <summary>For the bf16 check (Reproduce.Nn.NnBf16Parity): <paramref name="batch"/> products
    /// op(A_i)·op(B_i) (m×n each) of host blocks stored side by side, through the strided batched GEMM
    /// that attention uses; returns the m×(n·batch) result on the host.</summary>
    internal double[] GemmBatchedForCheck(Matrix a, bool transA, Matrix b, bool transB, int m, int n, int batch)
    {
        using var ad = Upload(a); using var bd = Upload(b);
        using var c = Empty(m, n * batch, DType.F32);
        int k = transA ? a.Rows : a.Cols / batch;
        GemmBatched(transA, transB, m, n, k, 1, ad, 0, a.Rows, (long)a.Rows * (a.Cols / batch), bd, 0, b.Rows, (long)b.Rows * (b.Cols / batch), 0, c, 0, m, (long)m * n, batch);
        return c.ToArray();
    }

    /// <summary>cuBLAS strided batched GEMM on sub-blocks: offsets and strides in elements.</summary>
    private void GemmBatched(bool transA, bool transB, int m, int n, int k, double alpha,
        Matrix a, long offA, int lda, long strideA, Matrix b, long offB, int ldb, long strideB,
        double beta, Matrix c, long offC, int ldc, long strideC, int batch)
    {
        _ctx.MakeCurrent();
        int es = Size(a.DType);
        ulong pa = P(a) + (ulong)(offA * es), pb = P(b) + (ulong)(offB * es), pc = P(c) + (ulong)(offC * es);
        int ta = transA ? CuBlas.OpT : CuBlas.OpN, tb = transB ? CuBlas.OpT : CuBlas.OpN;
        if (a.DType == DType.F64)
            CuBlas.Check(CuBlas.DgemmStridedBatched(_ctx.Blas, ta, tb, m, n, k, &alpha, pa, lda, strideA, pb, ldb, strideB, &beta, pc, ldc, strideC, batch), "cublasDgemmStridedBatched");
        else if (_ctx.AllowBf16)
        {
            float fa = (float)alpha, fb = (float)beta;
            using var ha = ToBf16(a);
            using var hb = ReferenceEquals(a, b) ? null : ToBf16(b);
            ulong qa = ha.Ptr + (ulong)(offA * 2), qb = (hb ?? ha).Ptr + (ulong)(offB * 2);
            CuBlas.Check(CuBlas.GemmStridedBatchedEx(_ctx.Blas, ta, tb, m, n, k, &fa, qa, CuBlas.R16BF, lda, strideA, qb, CuBlas.R16BF, ldb, strideB,
                &fb, pc, CuBlas.R32F, ldc, strideC, batch, CuBlas.Compute32F, CuBlas.GemmDefault), "cublasGemmStridedBatchedEx (bf16 operands)");
        }
        else
        {
            float fa = (float)alpha, fb = (float)beta;
            CuBlas.Check(CuBlas.SgemmStridedBatched(_ctx.Blas, ta, tb, m, n, k, &fa, pa, lda, strideA, pb, ldb, strideB, &fb, pc, ldc, strideC, batch), "cublasSgemmStridedBatched");
        }
    }
}
