using System.Text;

namespace Reproduce.Compute;

/// <summary>A seeded, splittable random stream (xoshiro256** seeded through SplitMix64).
/// <see cref="Fork(string)"/> derives an independent stream from this stream's seed and a name, so
/// each repeat or worker gets its own stream regardless of thread timing or call order.
/// Not thread-safe: give each thread its own fork.</summary>
public sealed class Rng
{
    private readonly ulong _seed;
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareNormal;

    /// <summary>A stream from a 64-bit seed.</summary>
    public Rng(ulong seed)
    {
        _seed = seed;
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    /// <summary>The seed this stream started from.</summary>
    public ulong Seed => _seed;

    /// <summary>An independent stream named by <paramref name="name"/>; depends only on this stream's seed and the name.</summary>
    public Rng Fork(string name)
    {
        // FNV-1a over the UTF-8 name, mixed with the seed through SplitMix64.
        ulong h = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(name)) { h ^= b; h *= 1099511628211UL; }
        ulong x = _seed ^ (h * 0x9E3779B97F4A7C15UL);
        return new Rng(SplitMix(ref x));
    }

    /// <summary>An independent stream numbered <paramref name="index"/> (e.g. repeat r).</summary>
    public Rng Fork(long index) => Fork("#" + index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotL(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotL(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double Uniform() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [lo, hi).</summary>
    public double Uniform(double lo, double hi) => lo + (hi - lo) * Uniform();

    /// <summary>Uniform integer in [0, n), unbiased (Lemire's method).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), $"NextInt needs n > 0, got {n}.");
        return (int)NextLong(n);
    }

    /// <summary>Uniform integer in [0, n), unbiased.</summary>
    public long NextLong(long n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), $"NextLong needs n > 0, got {n}.");
        ulong un = (ulong)n;
        ulong threshold = (0 - un) % un;
        while (true)
        {
            ulong x = NextUInt64();
            UInt128 m = (UInt128)x * un;
            if ((ulong)m >= threshold) return (long)(ulong)(m >> 64);
        }
    }

    /// <summary>Standard normal (Marsaglia polar method).</summary>
    public double Normal()
    {
        if (_spareNormal is { } s) { _spareNormal = null; return s; }
        double u, v, r;
        do { u = 2 * Uniform() - 1; v = 2 * Uniform() - 1; r = u * u + v * v; } while (r >= 1 || r == 0);
        double f = Math.Sqrt(-2 * Math.Log(r) / r);
        _spareNormal = v * f;
        return u * f;
    }

    /// <summary>Normal with mean and standard deviation.</summary>
    public double Normal(double mean, double sd) => mean + sd * Normal();

    /// <summary>±1 with equal probability.</summary>
    public double Rademacher() => (NextUInt64() >> 63) == 0 ? -1.0 : 1.0;

    /// <summary>True with probability p.</summary>
    public bool Bernoulli(double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), $"Bernoulli needs 0 ≤ p ≤ 1, got {p}.");
        return Uniform() < p;
    }

    /// <summary>Exponential with rate λ.</summary>
    public double Exponential(double rate) => -Math.Log(1 - Uniform()) / rate;

    /// <summary>A uniformly random permutation of 0..n-1 (Fisher–Yates).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Shuffle(p);
        return p;
    }

    /// <summary>Shuffles in place (Fisher–Yates).</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>k distinct indices from 0..n-1, uniformly (Floyd's algorithm), in sampled order.</summary>
    public int[] SampleWithoutReplacement(int n, int k)
    {
        if (k < 0 || k > n) throw new ArgumentOutOfRangeException(nameof(k), $"Cannot sample {k} distinct items from {n}.");
        var chosen = new HashSet<int>();
        var result = new int[k];
        int t = 0;
        for (int j = n - k; j < n; j++)
        {
            int r = NextInt(j + 1);
            int pick = chosen.Add(r) ? r : j;
            if (pick == j) chosen.Add(j);
            result[t++] = pick;
        }
        Shuffle(result);
        return result;
    }

    /// <summary>k indices drawn with replacement uniformly from 0..n-1.</summary>
    public int[] SampleWithReplacement(int n, int k)
    {
        var r = new int[k];
        for (int i = 0; i < k; i++) r[i] = NextInt(n);
        return r;
    }

    /// <summary>k indices drawn with replacement with probabilities proportional to weights
    /// (non-negative, not all zero), by Walker's alias method.</summary>
    public int[] SampleWithReplacement(ReadOnlySpan<double> weights, int k) => new AliasTable(weights).Sample(this, k);

    /// <summary>Fills a span with standard normals.</summary>
    public void FillNormal(Span<double> target) { for (int i = 0; i < target.Length; i++) target[i] = Normal(); }

    /// <summary>Fills a span with uniforms in [0, 1).</summary>
    public void FillUniform(Span<double> target) { for (int i = 0; i < target.Length; i++) target[i] = Uniform(); }

    /// <summary>A rows×cols CPU matrix of independent standard normals (column-major fill order).</summary>
    public Matrix NormalMatrix(int rows, int cols)
    {
        var m = Matrix.Zeros(rows, cols);
        FillNormal(m.Span);
        return m;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotL(ulong x, int k) => (x << k) | (x >> (64 - k));
}
