using System.Globalization;
using Reproduce.Compute;

namespace Reproduce.Sparsifiers;

/// <summary>Seeded random simple d-regular graphs (brief §2.5): configuration model (a uniformly random
/// pairing of n·d stubs), then every self-loop or parallel edge is removed by random double-edge
/// switches {a,b},{c,e} → {a,c},{b,e} that create no new defect; restarts from a fresh pairing if the
/// repair stalls. (The result is close to, not exactly, uniform over simple d-regular graphs; Friedman's
/// bound λ ≤ 2√(d−1) + o(1) is what matters and is certified by Lanczos afterwards.)</summary>
public static class RandomRegularGraph
{
    /// <summary>Generates the graph; needs n·d even and 1 ≤ d &lt; n.</summary>
    public static RegularGraph Generate(int n, int d, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (d < 1 || d >= n)
            throw new ArgumentOutOfRangeException(nameof(d), d, $"A simple d-regular graph on n = {n} vertices needs 1 ≤ d < n.");
        if ((long)n * d % 2 != 0)
            throw new ArgumentException($"n·d = {(long)n * d} is odd; a d-regular graph needs n·d even (use an even d or n).", nameof(d));
        for (int attempt = 0; attempt < 50; attempt++)
        {
            var g = TryGenerate(n, d, rng);
            if (g is not null) return g;
        }
        throw new InvalidOperationException($"Could not generate a simple {d}-regular graph on {n} vertices after 50 restarts.");
    }

    private static RegularGraph? TryGenerate(int n, int d, Rng rng)
    {
        int m = n * d / 2;
        var stubs = new int[n * d];
        for (int i = 0; i < stubs.Length; i++) stubs[i] = i / d;
        rng.Shuffle(stubs);
        var ea = new int[m];
        var eb = new int[m];
        var count = new Dictionary<long, int>(m);
        long Key(int a, int b) => a < b ? (long)a * n + b : (long)b * n + a;
        for (int e = 0; e < m; e++)
        {
            ea[e] = stubs[2 * e];
            eb[e] = stubs[2 * e + 1];
            long k = Key(ea[e], eb[e]);
            count[k] = count.GetValueOrDefault(k) + 1;
        }
        bool Bad(int e) => ea[e] == eb[e] || count[Key(ea[e], eb[e])] > 1;
        var bad = new List<int>();
        for (int e = 0; e < m; e++) if (Bad(e)) bad.Add(e);
        long budget = 200L * (bad.Count + 10) * 10;
        while (bad.Count > 0)
        {
            if (--budget < 0) return null;
            int bi = rng.NextInt(bad.Count);
            int e = bad[bi];
            if (!Bad(e)) { bad[bi] = bad[^1]; bad.RemoveAt(bad.Count - 1); continue; }
            int f = rng.NextInt(m);
            if (f == e) continue;
            int a = ea[e], b = eb[e];
            int c = ea[f], x = eb[f];
            if (rng.Rademacher() > 0) (c, x) = (x, c);
            if (a == c || b == x) continue;
            if (count.GetValueOrDefault(Key(a, c)) > 0 || count.GetValueOrDefault(Key(b, x)) > 0) continue;
            if (Key(a, c) == Key(b, x)) continue;
            void Dec(long k) { if (--count[k] == 0) count.Remove(k); }
            Dec(Key(a, b));
            Dec(Key(ea[f], eb[f]));
            ea[e] = a; eb[e] = c;
            ea[f] = b; eb[f] = x;
            count[Key(a, c)] = 1;
            count[Key(b, x)] = 1;
            if (Bad(f)) bad.Add(f);
        }
        var fill = new int[n];
        var neighbors = new int[n * d];
        for (int e = 0; e < m; e++)
        {
            neighbors[ea[e] * d + fill[ea[e]]++] = eb[e];
            neighbors[eb[e] * d + fill[eb[e]]++] = ea[e];
        }
        return new RegularGraph(n, d, neighbors, string.Create(CultureInfo.InvariantCulture, $"random {d}-regular, n = {n}"));
    }
}
