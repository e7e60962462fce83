namespace Reproduce.Compute;

/// <summary>Walker's alias table: O(1) draws from a fixed discrete distribution.</summary>
public sealed class AliasTable
{
    private readonly double[] _prob;
    private readonly int[] _alias;

    /// <summary>Builds the table from non-negative weights (not all zero, all finite).</summary>
    public AliasTable(ReadOnlySpan<double> weights)
    {
        int n = weights.Length;
        if (n == 0) throw new ArgumentException("Cannot sample from an empty set of weights.", nameof(weights));
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            if (!(weights[i] >= 0) || !double.IsFinite(weights[i])) throw new ArgumentException($"Weight {i} is {weights[i]}; weights must be finite and non-negative.", nameof(weights));
            total += weights[i];
        }
        if (total <= 0) throw new ArgumentException("All weights are zero; at least one must be positive.", nameof(weights));
        _prob = new double[n];
        _alias = new int[n];
        var scaled = new double[n];
        var small = new Stack<int>(); var large = new Stack<int>();
        for (int i = 0; i < n; i++) { scaled[i] = weights[i] * n / total; (scaled[i] < 1 ? small : large).Push(i); }
        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop(), l = large.Pop();
            _prob[s] = scaled[s]; _alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            (scaled[l] < 1 ? small : large).Push(l);
        }
        while (large.Count > 0) { int l = large.Pop(); _prob[l] = 1; _alias[l] = l; }
        while (small.Count > 0) { int s = small.Pop(); _prob[s] = 1; _alias[s] = s; }
    }

    /// <summary>One draw.</summary>
    public int Sample(Rng rng)
    {
        int i = rng.NextInt(_prob.Length);
        return rng.Uniform() < _prob[i] ? i : _alias[i];
    }

    /// <summary>k independent draws.</summary>
    public int[] Sample(Rng rng, int k)
    {
        var r = new int[k];
        for (int t = 0; t < k; t++) r[t] = Sample(rng);
        return r;
    }
}
