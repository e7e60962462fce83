using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Reproduce.Compute;

/// <summary>The managed GEMM: C ← α·op(A)·op(B) + β·C on column-major arrays with leading
/// dimensions. Goto-style blocking: B is packed into NR-wide micro-panels of KC rows, A into
/// MR-tall micro-panels, and a register-tiled SIMD micro-kernel (Vector256 with FMA) computes
/// each MR×NR tile of C. Work is split into disjoint (row block × column block) tasks of C with
/// Parallel.For; the k-dimension is never split, and block sizes do not depend on the thread
/// count, so every entry of C is summed in the same order whatever the number of threads
/// (bit-identical results with 1 or many threads).</summary>
internal static unsafe class ManagedGemm
{
    private const int KC = 256;        // depth of a packed panel
    private const int MC = 144;        // rows per task (A block stays in L2)
    private const int NC = 3072;       // columns per packed B panel
    private const int MOuter = 4608;   // rows packed at once (bounds the A buffer)
    private const int TaskCols = 96;   // columns per task
    private const int SmallWork = 24 * 24 * 24;

    private const int MRd = 8, NRd = 6;   // float64 tile: 2 vectors × 6 columns = 12 accumulators
    private const int MRs = 16, NRs = 6;  // float32 tile

    /// <summary>Number of threads used when a caller passes 0.</summary>
    public static int DefaultThreads => Environment.ProcessorCount;

    public static void Run<T>(bool transA, bool transB, int m, int n, int k, double alpha,
        T[] a, int aOff, int lda, T[] b, int bOff, int ldb, double beta, T[] c, int cOff, int ldc,
        int threads, bool lowerOnly = false) where T : unmanaged
    {
        if (m == 0 || n == 0) return;
        ScaleC(m, n, beta, c, cOff, ldc);
        if (k == 0 || alpha == 0) return;
        if ((long)m * n * k <= SmallWork)
        {
            Small(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
            return;
        }
        int mr = typeof(T) == typeof(double) ? MRd : MRs;
        int nr = typeof(T) == typeof(double) ? NRd : NRs;
        threads = threads <= 0 ? DefaultThreads : threads;
        int mOuterMax = Math.Min(m, MOuter);
        int bCap = RoundUp(Math.Min(n, NC), nr) * KC;
        int aCap = RoundUp(mOuterMax, mr) * KC;
        var bp = ArrayPool<T>.Shared.Rent(bCap);
        var ap = ArrayPool<T>.Shared.Rent(aCap);
        try
        {
            for (int i0 = 0; i0 < m; i0 += MOuter)
            {
                int mo = Math.Min(MOuter, m - i0);
                for (int jc = 0; jc < n; jc += NC)
                {
                    int nc = Math.Min(NC, n - jc);
                    // Lower-only: a column panel entirely right of this row range contributes nothing.
                    if (lowerOnly && jc > i0 + mo - 1) continue;
                    for (int pc = 0; pc < k; pc += KC)
                    {
                        int kc = Math.Min(KC, k - pc);
                        int nPanels = (nc + nr - 1) / nr, mPanels = (mo + mr - 1) / mr;
                        For(nPanels, threads, q => PackB(transB, b, bOff, ldb, pc, kc, jc + q * nr, Math.Min(nr, nc - q * nr), nr, bp, q * nr * kc));
                        For(mPanels, threads, q => PackA(transA, a, aOff, lda, i0 + q * mr, Math.Min(mr, mo - q * mr), pc, kc, mr, ap, q * mr * kc));
                        int rowBlocks = (mo + MC - 1) / MC, colBlocks = (nc + TaskCols - 1) / TaskCols;
                        For(rowBlocks * colBlocks, threads, t =>
                        {
                            int rb = t % rowBlocks, cb = t / rowBlocks;
                            int r0 = rb * MC, rows = Math.Min(MC, mo - r0);
                            int c0 = cb * TaskCols, cols = Math.Min(TaskCols, nc - c0);
                            if (lowerOnly && jc + c0 > i0 + r0 + rows - 1) return;
                            Block(ap, bp, kc, r0, rows, c0, cols, mr, nr, alpha, c, cOff + i0 + r0 + (jc + c0) * ldc, ldc, lowerOnly, i0 + r0 - (jc + c0));
                        });
                    }
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(bp);
            ArrayPool<T>.Shared.Return(ap);
        }
    }

    private static int RoundUp(int x, int r) => (x + r - 1) / r * r;

    private static void For(int count, int threads, Action<int> body)
    {
        if (threads == 1 || count == 1) { for (int i = 0; i < count; i++) body(i); return; }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = threads }, body);
    }

    private static void ScaleC<T>(int m, int n, double beta, T[] c, int cOff, int ldc) where T : unmanaged
    {
        if (beta == 1) return;
        for (int j = 0; j < n; j++)
        {
            if (typeof(T) == typeof(double))
            {
                var col = Unsafe.As<double[]>(c).AsSpan(cOff + j * ldc, m);
                if (beta == 0) col.Clear(); else System.Numerics.Tensors.TensorPrimitives.Multiply(col, beta, col);
            }
            else
            {
                var col = Unsafe.As<float[]>(c).AsSpan(cOff + j * ldc, m);
                if (beta == 0) col.Clear(); else System.Numerics.Tensors.TensorPrimitives.Multiply(col, (float)beta, col);
            }
        }
    }

    /// <summary>Plain loops for tiny products (no packing); the p-sum runs in order, in float64.</summary>
    private static void Small<T>(bool transA, bool transB, int m, int n, int k, double alpha, T[] a, int aOff, int lda, T[] b, int bOff, int ldb, T[] c, int cOff, int ldc) where T : unmanaged
    {
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = Get(a, aOff + (transA ? i * lda + p : p * lda + i));
                    double y = Get(b, bOff + (transB ? p * ldb + j : j * ldb + p));
                    s += x * y;
                }
                int at = cOff + j * ldc + i;
                Set(c, at, Get(c, at) + alpha * s);
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Get<T>(T[] x, int i) where T : unmanaged =>
        typeof(T) == typeof(double) ? Unsafe.As<double[]>(x)[i] : Unsafe.As<float[]>(x)[i];

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Set<T>(T[] x, int i, double v) where T : unmanaged
    {
        if (typeof(T) == typeof(double)) Unsafe.As<double[]>(x)[i] = v;
        else Unsafe.As<float[]>(x)[i] = (float)v;
    }

    /// <summary>Packs op(A)[i0..i0+rows, pc..pc+kc] as one MR-tall micro-panel (p-major, zero padded).</summary>
    private static void PackA<T>(bool transA, T[] a, int aOff, int lda, int i0, int rows, int pc, int kc, int mr, T[] dst, int d0) where T : unmanaged
    {
        if (!transA)
        {
            for (int p = 0; p < kc; p++)
            {
                int src = aOff + (pc + p) * lda + i0, d = d0 + p * mr;
                Array.Copy(a, src, dst, d, rows);
                for (int r = rows; r < mr; r++) dst[d + r] = default;
            }
        }
        else
        {
            for (int r = 0; r < mr; r++)
            {
                if (r < rows)
                {
                    int src = aOff + (i0 + r) * lda + pc;
                    for (int p = 0; p < kc; p++) dst[d0 + p * mr + r] = a[src + p];
                }
                else for (int p = 0; p < kc; p++) dst[d0 + p * mr + r] = default;
            }
        }
    }

    /// <summary>Packs op(B)[pc..pc+kc, j0..j0+cols] as one NR-wide micro-panel (p-major, zero padded).</summary>
    private static void PackB<T>(bool transB, T[] b, int bOff, int ldb, int pc, int kc, int j0, int cols, int nr, T[] dst, int d0) where T : unmanaged
    {
        if (!transB)
        {
            for (int jj = 0; jj < nr; jj++)
            {
                if (jj < cols)
                {
                    int src = bOff + (j0 + jj) * ldb + pc;
                    for (int p = 0; p < kc; p++) dst[d0 + p * nr + jj] = b[src + p];
                }
                else for (int p = 0; p < kc; p++) dst[d0 + p * nr + jj] = default;
            }
        }
        else
        {
            for (int p = 0; p < kc; p++)
            {
                int src = bOff + (pc + p) * ldb + j0, d = d0 + p * nr;
                Array.Copy(b, src, dst, d, cols);
                for (int jj = cols; jj < nr; jj++) dst[d + jj] = default;
            }
        }
    }

    /// <summary>One task: rows r0..r0+rows of the packed A times columns c0..c0+cols of the packed B,
    /// added into C at cBase (C's (r0, c0) entry). diagOffset = global row − global column of that
    /// entry, used to skip strictly-upper tiles when only the lower triangle is wanted.</summary>
    private static void Block<T>(T[] ap, T[] bp, int kc, int r0, int rows, int c0, int cols, int mr, int nr, double alpha, T[] c, int cBase, int ldc, bool lowerOnly, int diagOffset) where T : unmanaged
    {
        fixed (T* apBase = ap, bpBase = bp, cPtr = c)
        {
            for (int jr = 0; jr < cols; jr += nr)
            {
                int ncur = Math.Min(nr, cols - jr);
                T* bPanel = bpBase + (c0 + jr) * kc;   // panel index (c0+jr)/nr, each nr·kc long
                for (int ir = 0; ir < rows; ir += mr)
                {
                    int mcur = Math.Min(mr, rows - ir);
                    // Tile rows diagOffset+ir .. +mcur−1 relative to its first column jr: strictly upper when jr > last row.
                    if (lowerOnly && jr > diagOffset + ir + mcur - 1) continue;
                    T* aPanel = apBase + (r0 + ir) * kc;
                    T* cTile = cPtr + cBase + ir + jr * ldc;
                    if (typeof(T) == typeof(double)) KernelF64(kc, (double*)aPanel, (double*)bPanel, (double*)cTile, ldc, mcur, ncur, alpha);
                    else KernelF32(kc, (float*)aPanel, (float*)bPanel, (float*)cTile, ldc, mcur, ncur, (float)alpha);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Fmad(Vector256<double> a, Vector256<double> b, Vector256<double> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Fmas(Vector256<float> a, Vector256<float> b, Vector256<float> c) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, c) : a * b + c;

    /// <summary>8×6 float64 micro-kernel: C[0..m, 0..n] += α·Ã·B̃ over kc.</summary>
    private static void KernelF64(int kc, double* a, double* b, double* c, int ldc, int m, int n, double alpha)
    {
        Vector256<double> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<double> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var a0 = Vector256.Load(a);
            var a1 = Vector256.Load(a + 4);
            var bb = Vector256.Create(b[0]); c00 = Fmad(a0, bb, c00); c01 = Fmad(a1, bb, c01);
            bb = Vector256.Create(b[1]); c10 = Fmad(a0, bb, c10); c11 = Fmad(a1, bb, c11);
            bb = Vector256.Create(b[2]); c20 = Fmad(a0, bb, c20); c21 = Fmad(a1, bb, c21);
            bb = Vector256.Create(b[3]); c30 = Fmad(a0, bb, c30); c31 = Fmad(a1, bb, c31);
            bb = Vector256.Create(b[4]); c40 = Fmad(a0, bb, c40); c41 = Fmad(a1, bb, c41);
            bb = Vector256.Create(b[5]); c50 = Fmad(a0, bb, c50); c51 = Fmad(a1, bb, c51);
            a += MRd; b += NRd;
        }
        var al = Vector256.Create(alpha);
        if (m == MRd && n == NRd)
        {
            Acc(c, c00, c01, al); Acc(c + ldc, c10, c11, al); Acc(c + 2 * ldc, c20, c21, al);
            Acc(c + 3 * ldc, c30, c31, al); Acc(c + 4 * ldc, c40, c41, al); Acc(c + 5 * ldc, c50, c51, al);
            return;
        }
        double* t = stackalloc double[MRd * NRd];
        (c00 * al).Store(t); (c01 * al).Store(t + 4); (c10 * al).Store(t + 8); (c11 * al).Store(t + 12);
        (c20 * al).Store(t + 16); (c21 * al).Store(t + 20); (c30 * al).Store(t + 24); (c31 * al).Store(t + 28);
        (c40 * al).Store(t + 32); (c41 * al).Store(t + 36); (c50 * al).Store(t + 40); (c51 * al).Store(t + 44);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) c[j * ldc + i] += t[j * MRd + i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Acc(double* c, Vector256<double> lo, Vector256<double> hi, Vector256<double> al)
    {
        (Vector256.Load(c) + lo * al).Store(c);
        (Vector256.Load(c + 4) + hi * al).Store(c + 4);
    }

    /// <summary>16×6 float32 micro-kernel.</summary>
    private static void KernelF32(int kc, float* a, float* b, float* c, int ldc, int m, int n, float alpha)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var a0 = Vector256.Load(a);
            var a1 = Vector256.Load(a + 8);
            var bb = Vector256.Create(b[0]); c00 = Fmas(a0, bb, c00); c01 = Fmas(a1, bb, c01);
            bb = Vector256.Create(b[1]); c10 = Fmas(a0, bb, c10); c11 = Fmas(a1, bb, c11);
            bb = Vector256.Create(b[2]); c20 = Fmas(a0, bb, c20); c21 = Fmas(a1, bb, c21);
            bb = Vector256.Create(b[3]); c30 = Fmas(a0, bb, c30); c31 = Fmas(a1, bb, c31);
            bb = Vector256.Create(b[4]); c40 = Fmas(a0, bb, c40); c41 = Fmas(a1, bb, c41);
            bb = Vector256.Create(b[5]); c50 = Fmas(a0, bb, c50); c51 = Fmas(a1, bb, c51);
            a += MRs; b += NRs;
        }
        var al = Vector256.Create(alpha);
        if (m == MRs && n == NRs)
        {
            AccF(c, c00, c01, al); AccF(c + ldc, c10, c11, al); AccF(c + 2 * ldc, c20, c21, al);
            AccF(c + 3 * ldc, c30, c31, al); AccF(c + 4 * ldc, c40, c41, al); AccF(c + 5 * ldc, c50, c51, al);
            return;
        }
        float* t = stackalloc float[MRs * NRs];
        (c00 * al).Store(t); (c01 * al).Store(t + 8); (c10 * al).Store(t + 16); (c11 * al).Store(t + 24);
        (c20 * al).Store(t + 32); (c21 * al).Store(t + 40); (c30 * al).Store(t + 48); (c31 * al).Store(t + 56);
        (c40 * al).Store(t + 64); (c41 * al).Store(t + 72); (c50 * al).Store(t + 80); (c51 * al).Store(t + 88);
        for (int j = 0; j < n; j++)
            for (int i = 0; i < m; i++) c[j * ldc + i] += t[j * MRs + i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AccF(float* c, Vector256<float> lo, Vector256<float> hi, Vector256<float> al)
    {
        (Vector256.Load(c) + lo * al).Store(c);
        (Vector256.Load(c + 8) + hi * al).Store(c + 8);
    }
}
