using Reproduce.Compute;

namespace Reproduce.Sketching;

/// <summary>A turnstile stream whose final matrix is a given A [proposal, brief §3 demo-turnstile]:
/// every nonzero A_ij arrives as an insertion of A_ij + w followed (later) by a deletion of w,
/// and for every other nonzero a spurious entry of the same row gets +u and later −u, so about
/// 3·nnz updates with cancelling deletions. w, u are integers in 1..<see cref="MaxExtra"/>,
/// so integer data give integer updates. The order is random (seeded) subject to each deletion
/// following its insertion, so every row's running sum of entries stays ≥ 0 for non-negative A.</summary>
public static class TurnstileStream
{
    /// <summary>Largest extra mass w or u added and later removed.</summary>
    public const int MaxExtra = 16;

    /// <summary>The updates, materialised in stream order.</summary>
    public static EntryUpdate[] FromMatrix(Matrix a, Rng rng)
    {
        var h = a.Device.Kind == DeviceKind.Cpu ? a : a.ToCpu();
        int n = h.Rows, d = h.Cols;
        var s = h.Span;
        var times = new List<double>();
        var ups = new List<EntryUpdate>();
        void Add(double time, EntryUpdate u) { times.Add(time); ups.Add(u); }
        int nz = 0;
        for (int j = 0; j < d; j++)
            for (int i = 0; i < n; i++)
            {
                double v = s[i + j * n];
                if (v == 0) continue;
                double t1 = rng.Uniform(), t2 = rng.Uniform();
                double w = 1 + rng.NextInt(MaxExtra);
                Add(Math.Min(t1, t2), new EntryUpdate(i, j, v + w));
                Add(Math.Max(t1, t2), new EntryUpdate(i, j, -w));
                if (nz++ % 2 == 1)
                {
                    int j2 = rng.NextInt(d);
                    double u = 1 + rng.NextInt(MaxExtra);
                    double t3 = rng.Uniform(), t4 = rng.Uniform();
                    Add(Math.Min(t3, t4), new EntryUpdate(i, j2, u));
                    Add(Math.Max(t3, t4), new EntryUpdate(i, j2, -u));
                }
            }
        var keys = times.ToArray();
        var result = ups.ToArray();
        Array.Sort(keys, result);
        return result;
    }
}
