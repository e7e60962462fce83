namespace Reproduce.Compute.Cuda;

public sealed unsafe partial class CudaBackend
{
    /// <inheritdoc />
    /// <remarks>The NVRTC kernels <c>philox_fill_f64</c> / <c>philox_fill_f32</c> (see
    /// <see cref="CudaKernelSource"/>): one thread per Philox block of the normal and uniform maps
    /// (two elements), grid-stride loop, 64-bit indices. Nothing is transferred from the host but the
    /// key, so a 41,063×2,000 sketch costs one kernel launch instead of a host draw and an upload.</remarks>
    public void FillRandom(RandomKind kind, ulong key, long first, Matrix target)
    {
        Philox.CheckRange(first, target.Length, nameof(first));
        if (kind is not (RandomKind.Normal or RandomKind.Uniform or RandomKind.Rademacher)) throw Philox.UnknownKind(kind);
        long n = target.Length;
        if (n == 0) return;
        int code = (int)kind;
        ulong pt = P(target);
        // Pairs (2p, 2p + 1) that meet elements first … first + n − 1: one thread each.
        long pairs = ((first + n - 1) >> 1) - (first >> 1) + 1;
        void** args = stackalloc void*[5];
        args[0] = &code; args[1] = &n; args[2] = &key; args[3] = &first; args[4] = &pt;
        Launch("philox_fill_" + Suffix(target), Blocks(pairs), args);
    }
}
