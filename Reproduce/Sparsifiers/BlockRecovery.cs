using Reproduce.Compute;

namespace Reproduce.Sparsifiers;

/// <summary>Recovery of a PSD {−1, 0, 1} matrix from deterministic queries along an expander (brief §2.7; the
/// paper's Õ(n/ε)-query algorithm is not available, this reading scheme is a labelled proposal): read the
/// diagonal and A_ij on every edge {i, j} of a d-regular graph; rows with A_ii = 0 are zero; connected
/// components of the observed nonzero entries give blocks and signs propagate along spanning trees. Blocks
/// of at least εn rows are kept, Â = Σ s sᵀ over kept components; the rest cost spectral error &lt; εn.</summary>
public static class BlockRecovery
{
    /// <summary>Outcome: the recovered components (row lists with signs), entries read and kept blocks.</summary>
    public sealed record Result(List<(int[] Rows, double[] Signs)> Blocks, long EntriesRead);

    /// <summary>Reads A on the diagonal and on the edges of <paramref name="g"/> (each edge once) and
    /// keeps components of size ≥ <paramref name="minBlock"/>.</summary>
    public static Result Recover(SymmetricTestMatrix a, RegularGraph g, int minBlock)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(g);
        if (a.N != g.N) throw new ArgumentException($"Matrix n = {a.N} differs from graph n = {g.N}.", nameof(g));
        int n = a.N;
        long reads = 0;
        var diag = new double[n];
        for (int i = 0; i < n; i++) { diag[i] = a.Entry(i, i); reads++; }
        var adj = new List<(int To, double Value)>[n];
        for (int i = 0; i < n; i++) adj[i] = [];
        for (int i = 0; i < n; i++)
            foreach (int j in g.NeighborsOf(i))
            {
                if (j <= i) continue; // each undirected edge once
                double v = a.Entry(i, j);
                reads++;
                if (v != 0 && diag[i] != 0 && diag[j] != 0) { adj[i].Add((j, v)); adj[j].Add((i, v)); }
            }
        var sign = new double[n];
        var seen = new bool[n];
        var blocks = new List<(int[] Rows, double[] Signs)>();
        var queue = new Queue<int>();
        for (int s = 0; s < n; s++)
        {
            if (seen[s] || diag[s] == 0) continue;
            var rows = new List<int>();
            seen[s] = true; sign[s] = 1; queue.Enqueue(s);
            while (queue.Count > 0)
            {
                int u = queue.Dequeue();
                rows.Add(u);
                foreach (var (w, v) in adj[u])
                    if (!seen[w]) { seen[w] = true; sign[w] = sign[u] * v; queue.Enqueue(w); }
            }
            if (rows.Count >= minBlock) blocks.Add((rows.ToArray(), rows.Select(r => sign[r]).ToArray()));
        }
        return new Result(blocks, reads);
    }

    /// <summary>‖A − Â‖₂ by Lanczos, with Â = Σ s sᵀ over the recovered blocks applied implicitly.</summary>
    public static double Error(SymmetricTestMatrix a, Result r, Rng rng, int steps = SpectralNorm.DefaultSteps)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(r);
        return SpectralNorm.Of((x, y) =>
        {
            a.Apply(x, y);
            foreach (var (rows, signs) in r.Blocks)
            {
                double s = 0;
                for (int k = 0; k < rows.Length; k++) s += signs[k] * x[rows[k]];
                for (int k = 0; k < rows.Length; k++) y[rows[k]] -= signs[k] * s;
            }
        }, a.N, steps, rng);
    }
}
