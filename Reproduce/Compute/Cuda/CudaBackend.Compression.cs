namespace Reproduce.Compute.Cuda;

/// <summary>Launchers of <see cref="CompressionKernelSource"/> for the device paths of SparseGPT and ALPS
/// (Reproduce.Compression.SparseGpt/Alps with Device = CUDA). All operands are float64 device matrices in the
/// layouts the host loops use; masks are byte buffers (1 = keep).</summary>
public sealed unsafe partial class CudaBackend
{
    private void LaunchCmp(string kernel, uint grid, void** args)
    {
        var f = _ctx.Function(kernel, CompressionKernelSource.Source, "reproduce_compression_kernels.cu");
        _ctx.MakeCurrent();
        CuDriver.Launch(f, grid, CudaKernelSource.Threads, args);
    }

    private static void F64Only(Matrix m, string what)
    {
        if (m.DType != DType.F64) throw new ComputeException($"{what} needs a float64 matrix, got {m}.");
    }

    /// <summary>A device buffer of <paramref name="n"/> bytes (contents undefined).</summary>
    internal CudaBuffer AllocateBytes(long n) { _ctx.MakeCurrent(); return _ctx.Pool.Allocate(Math.Max(1, n)); }

    /// <summary>Sets a buffer to zero bytes.</summary>
    internal void ZeroBytes(ulong ptr, long bytes) { _ctx.MakeCurrent(); if (bytes > 0) CuDriver.Zero(ptr, bytes); }

    /// <summary>keep[i] = 1 for the <paramref name="kept"/> largest of the <paramref name="n"/> float64 scores at
    /// <paramref name="x"/> (of |x| when <paramref name="absval"/>), ties to the lower index: PruningMask.TopK on the device.</summary>
    internal void TopKMask(ulong x, long n, bool absval, long kept, CudaBuffer keep)
    {
        if (kept < 0 || kept > n) throw new ArgumentOutOfRangeException(nameof(kept), kept, $"kept must lie in 0..{n}.");
        if (n >= uint.MaxValue) throw new ComputeException($"top-k over {n} entries: the device selection counts in 32 bits; split the matrix.");
        if (n == 0) return;
        _ctx.MakeCurrent();
        if (kept == 0) { CuDriver.Zero(keep.Ptr, n); return; }
        using var st = _ctx.Pool.Allocate(32);
        using var hist = _ctx.Pool.Allocate(256 * 4);
        ulong ps = st.Ptr, ph = hist.Ptr, pk = keep.Ptr;
        int abs = absval ? 1 : 0;
        void** a = stackalloc void*[6];
        a[0] = &ps; a[1] = &kept; a[2] = &ph;
        LaunchCmp("cmp_select_init", 1, a);
        for (int shift = 56; shift >= 0; shift -= 8)
        {
            a[0] = &n; a[1] = &x; a[2] = &abs; a[3] = &ps; a[4] = &shift; a[5] = &ph;
            LaunchCmp("cmp_select_hist", Blocks(n), a);
            a[0] = &shift; a[1] = &ph; a[2] = &ps;
            LaunchCmp("cmp_select_pick", 1, a);
        }
        a[0] = &n; a[1] = &x; a[2] = &abs; a[3] = &ps; a[4] = &pk;
        LaunchCmp("cmp_select_mark", Blocks(n), a);
        LaunchCmp("cmp_select_ties", 1, a);
    }

    /// <summary>J a J (entry (i, j) = a[n−1−i, n−1−j]) of a square float64 matrix, with the strict lower triangle zeroed when <paramref name="upper"/>.</summary>
    internal Matrix Flip(Matrix a, bool upper)
    {
        F64Only(a, "Flip");
        int n = a.Rows, up = upper ? 1 : 0;
        var b = Uninitialised(n, n, DType.F64);
        if (n == 0) return b;
        ulong pa = P(a), pb = P(b);
        void** args = stackalloc void*[4];
        args[0] = &n; args[1] = &up; args[2] = &pa; args[3] = &pb;
        LaunchCmp("cmp_flip", Blocks((long)n * n), args);
        return b;
    }

    /// <summary>a += v·I in place (float64, or float32 with v rounded to float32 first, as the host adds (float)ρ).</summary>
    internal void AddDiagonal(Matrix a, double v)
    {
        int n = a.Rows;
        if (n == 0) return;
        ulong pa = P(a);
        void** args = stackalloc void*[3];
        args[0] = &n; args[1] = &pa;
        if (a.DType == DType.F64) { args[2] = &v; LaunchCmp("cmp_add_diag_f64", Blocks(n), args); }
        else { float f = (float)v; args[2] = &f; LaunchCmp("cmp_add_diag_f32", Blocks(n), args); }
    }

    /// <summary>Replaces the diagonal of square float64 <paramref name="a"/> by <paramref name="d"/>.</summary>
    internal void SetDiagonal(Matrix a, double[] d)
    {
        F64Only(a, "SetDiagonal");
        int n = a.Rows;
        if (n == 0) return;
        using var dd = Upload(Matrix.FromColumnMajor(n, 1, d));
        ulong pa = P(a), pd = P(dd);
        void** args = stackalloc void*[3];
        args[0] = &n; args[1] = &pa; args[2] = &pd;
        LaunchCmp("cmp_set_diag", Blocks(n), args);
    }

    /// <summary>SparseGPT's block saliency w²/U_qq² of columns i1 .. i1+count−1 into <paramref name="score"/> (rows × count doubles).</summary>
    internal void ObsScores(Matrix w, Matrix u, int i1, int count, CudaBuffer score)
    {
        int rows = w.Rows, n = w.Cols;
        ulong pw = P(w), pu = P(u), psc = score.Ptr;
        void** args = stackalloc void*[7];
        args[0] = &rows; args[1] = &n; args[2] = &i1; args[3] = &count; args[4] = &pw; args[5] = &pu; args[6] = &psc;
        LaunchCmp("cmp_obs_scores", Blocks((long)rows * count), args);
    }

    /// <summary>The OBS sweep of columns i1 .. i1+count−1 (one thread per row), pruning where <paramref name="keep"/> is 0
    /// (unstructured) or by N:M groups chosen in the sweep (<paramref name="keep"/> null, <paramref name="nmM"/> &gt; 0);
    /// the block's scaled errors go to <paramref name="err"/> (rows × count).</summary>
    internal void ObsBlock(Matrix w, Matrix u, int i1, int count, CudaBuffer? keep, int nmN, int nmM, CudaBuffer err)
    {
        F64Only(w, "ObsBlock"); F64Only(u, "ObsBlock");
        if (keep is null == nmM <= 0) throw new ArgumentException("ObsBlock: give either an unstructured mask or an N:M pattern.");
        if (nmM > CompressionKernelSource.MaxM) throw new ArgumentException($"N:M with M = {nmM} > {CompressionKernelSource.MaxM} has no CUDA kernel; use --device cpu.");
        int rows = w.Rows, n = w.Cols;
        ulong pw = P(w), pu = P(u), pk = keep?.Ptr ?? 0UL, pe = err.Ptr;
        void** args = stackalloc void*[10];
        args[0] = &rows; args[1] = &n; args[2] = &i1; args[3] = &count; args[4] = &pw; args[5] = &pu; args[6] = &pk;
        args[7] = &nmN; args[8] = &nmM; args[9] = &pe;
        LaunchCmp("cmp_obs_block", (uint)((rows + CudaKernelSource.Threads - 1) / CudaKernelSource.Threads), args);
    }

    /// <summary>The lazy update W[:, i2:] −= Err · U[i1:i2, i2:] (one cuBLAS DGEMM on sub-matrices in place).</summary>
    internal void ObsLazyUpdate(Matrix w, Matrix u, int i1, int i2, CudaBuffer err)
    {
        int rows = w.Rows, n = w.Cols, count = i2 - i1, rest = n - i2;
        if (rest <= 0 || count <= 0 || rows == 0) return;
        _ctx.MakeCurrent();
        double alpha = -1, beta = 1;
        ulong pb = P(u) + 8UL * (ulong)((long)i2 * n + i1), pc = P(w) + 8UL * (ulong)((long)i2 * rows);
        CuBlas.Check(CuBlas.Dgemm(_ctx.Blas, CuBlas.OpN, CuBlas.OpN, rows, rest, count, &alpha, err.Ptr, rows, pb, n, &beta, pc, rows), "cublasDgemm (SparseGPT lazy update)");
    }

    /// <summary>z = keep ? v : 0.</summary>
    internal void ApplyMask(Matrix v, CudaBuffer keep, Matrix z)
    {
        long n = v.Length;
        if (n == 0) return;
        ulong pv = P(v), pk = keep.Ptr, pz = P(z);
        void** args = stackalloc void*[4];
        args[0] = &n; args[1] = &pv; args[2] = &pk; args[3] = &pz;
        LaunchCmp("cmp_apply_mask", Blocks(n), args);
    }

    /// <summary>N:M projection by |v| of a transposed iterate (each column a layer row; groups of M consecutive entries).</summary>
    internal void NmProject(Matrix v, int nmN, int nmM, Matrix z)
    {
        F64Only(v, "NmProject");
        if (nmM > CompressionKernelSource.MaxM) throw new ArgumentException($"N:M with M = {nmM} > {CompressionKernelSource.MaxM} has no CUDA kernel; use --device cpu.");
        long groups = v.Length / nmM;
        if (groups == 0) return;
        ulong pv = P(v), pz = P(z);
        void** args = stackalloc void*[5];
        args[0] = &groups; args[1] = &nmN; args[2] = &nmM; args[3] = &pv; args[4] = &pz;
        LaunchCmp("cmp_nm_project", Blocks(groups), args);
    }

    /// <summary>ALPS W-update right-hand side m = (c − u) + ρz.</summary>
    internal void AlpsRhs(Matrix c, Matrix u, Matrix z, double rho, Matrix m)
    {
        long n = c.Length;
        ulong pc = P(c), pu = P(u), pz = P(z), pm = P(m);
        void** args = stackalloc void*[6];
        args[0] = &n; args[1] = &pc; args[2] = &pu; args[3] = &pz; args[4] = &rho; args[5] = &pm;
        LaunchCmp("cmp_alps_rhs", Blocks(n), args);
    }

    /// <summary>ALPS projection point m = y + u/ρ.</summary>
    internal void AlpsV(Matrix y, Matrix u, double rho, Matrix m)
    {
        long n = y.Length;
        ulong py = P(y), pu = P(u), pm = P(m);
        void** args = stackalloc void*[5];
        args[0] = &n; args[1] = &py; args[2] = &pu; args[3] = &rho; args[4] = &pm;
        LaunchCmp("cmp_alps_v", Blocks(n), args);
    }

    /// <summary>ALPS dual update u += ρ(y − z).</summary>
    internal void AlpsDual(Matrix y, Matrix z, double rho, Matrix u)
    {
        long n = y.Length;
        ulong py = P(y), pz = P(z), pu = P(u);
        void** args = stackalloc void*[5];
        args[0] = &n; args[1] = &py; args[2] = &pz; args[3] = &rho; args[4] = &pu;
        LaunchCmp("cmp_alps_dual", Blocks(n), args);
    }

    /// <summary>Entries whose support (z ≠ 0) differs from <paramref name="last"/>; then last = support(z).</summary>
    internal long SupportChanges(Matrix z, CudaBuffer last)
    {
        long n = z.Length;
        if (n == 0) return 0;
        using var counter = _ctx.Pool.Allocate(8);
        CuDriver.Zero(counter.Ptr, 8);
        ulong pz = P(z), pl = last.Ptr, pc = counter.Ptr;
        void** args = stackalloc void*[4];
        args[0] = &n; args[1] = &pz; args[2] = &pl; args[3] = &pc;
        LaunchCmp("cmp_support_changes", Blocks(n), args);
        ulong changed;
        CuDriver.CopyDtoH(&changed, pc, 8);
        return (long)changed;
    }
}
