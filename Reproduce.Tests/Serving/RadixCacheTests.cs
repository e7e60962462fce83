using Reproduce.Compute;
using Reproduce.Serving;

namespace Reproduce.Tests.Serving;

public class RadixCacheTests
{
    private static int BruteMatch(IEnumerable<int[]> stored, int[] x) =>
        stored.Select(s => x.AsSpan().CommonPrefixLength(s)).DefaultIfEmpty(0).Max();

    // Small alphabet and shared stems so prompts overlap and nodes split often.
    private static int[] RandomPrompt(Rng rng, int[][] stems)
    {
        var stem = stems[rng.NextInt(stems.Length)];
        int keep = rng.NextInt(stem.Length + 1);
        int extra = rng.NextInt(6);
        var p = new int[keep + extra];
        stem.AsSpan(0, keep).CopyTo(p);
        for (int i = keep; i < p.Length; i++) p[i] = rng.NextInt(4);
        return p;
    }

    [Fact]
    public void UnboundedMatchEqualsBruteForceLongestCommonPrefix()
    {
        var rng = new Rng(11);
        var stems = Enumerable.Range(0, 5).Select(_ => Enumerable.Range(0, 12).Select(_ => rng.NextInt(4)).ToArray()).ToArray();
        var cache = new RadixCache(long.MaxValue);
        var stored = new List<int[]>();
        for (int step = 0; step < 400; step++)
        {
            var x = RandomPrompt(rng, stems);
            Assert.Equal(BruteMatch(stored, x), cache.Match(x));
            if (rng.Bernoulli(0.5))
            {
                int h = cache.Insert(x);
                Assert.Equal(BruteMatch(stored, x), h);
                stored.Add(x);
                Assert.Equal(x.Length, cache.Match(x));
            }
        }
        // Splits preserve every stored sequence: each is a prefix of some root-to-leaf path.
        var paths = cache.Sequences();
        foreach (var s in stored) Assert.Contains(paths, p => p.AsSpan().StartsWith(s));
        // And nothing is invented: every path is some stored sequence.
        foreach (var p in paths) Assert.Contains(stored, s => s.AsSpan().SequenceEqual(p));
    }

    [Fact]
    public void BoundedCacheNeverExceedsCapacityAndNeverEvictsLockedPaths()
    {
        var rng = new Rng(12);
        var stems = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, 10).Select(_ => rng.NextInt(4)).ToArray()).ToArray();
        var cache = new RadixCache(40);
        var everStored = new List<int[]>();
        var leases = new List<(RadixLease Lease, int[] Tokens)>();
        for (int step = 0; step < 2000; step++)
        {
            var x = RandomPrompt(rng, stems);
            double u = rng.Uniform();
            if (u < 0.15 && cache.LockedTokens + x.Length <= 20)
            {
                var lease = cache.InsertAndLock(x);
                everStored.Add(x);
                leases.Add((lease, x[..lease.StoredTokens]));
            }
            else if (u < 0.3 && leases.Count > 0)
            {
                int i = rng.NextInt(leases.Count);
                leases[i].Lease.Release();
                leases.RemoveAt(i);
            }
            else if (u < 0.4) cache.Evict(rng.NextInt(15));
            else
            {
                cache.Insert(x);
                everStored.Add(x);
            }
            Assert.InRange(cache.TotalTokens, 0, cache.Capacity);
            Assert.InRange(cache.LockedTokens, 0, cache.TotalTokens);
            foreach (var (_, tokens) in leases) Assert.Equal(tokens.Length, cache.Match(tokens));
            var y = RandomPrompt(rng, stems);
            int m = cache.Match(y);
            Assert.True(m <= BruteMatch(everStored, y));
            Assert.Equal(BruteMatch(cache.Sequences(), y), m);
        }
    }

    [Fact]
    public void SplitKeepsBothBranches()
    {
        var cache = new RadixCache(100);
        cache.Insert([1, 2, 3, 4, 5, 6]);
        Assert.Equal(3, cache.Insert([1, 2, 3, 7, 8]));
        Assert.Equal(5, cache.Match([1, 2, 3, 4, 5, 9]));
        Assert.Equal(5, cache.Match([1, 2, 3, 7, 8]));
        Assert.Equal(3, cache.NodeCount);
        Assert.Equal(8, cache.TotalTokens);
        Assert.Equal(2, cache.Sequences().Count);
    }

    [Fact]
    public void EvictsLeastRecentlyUsedLeafFirst()
    {
        var cache = new RadixCache(9);
        int[] a = [1, 1, 1], b = [2, 2, 2], c = [3, 3, 3], d = [4, 4, 4];
        cache.Insert(a); cache.Insert(b); cache.Insert(c);
        cache.Insert(a); // touch a: b is now the least recently used
        cache.Insert(d);
        Assert.Equal(0, cache.Match(b));
        Assert.Equal(3, cache.Match(a));
        Assert.Equal(3, cache.Match(c));
        Assert.Equal(3, cache.Match(d));
        Assert.Equal(3, cache.Stats.EvictedTokens);
    }

    [Fact]
    public void LockedLeafSurvivesPressure()
    {
        var cache = new RadixCache(6);
        var lease = cache.InsertAndLock([9, 9, 9]);
        for (int i = 0; i < 10; i++) cache.Insert([i, i + 1, i + 2]);
        Assert.Equal(3, cache.Match([9, 9, 9]));
        lease.Release();
        Assert.Throws<InvalidOperationException>(lease.Release);
        cache.Insert([50, 51, 52]); cache.Insert([60, 61, 62]);
        Assert.Equal(0, cache.Match([9, 9, 9]));
    }

    [Fact]
    public void PromptLongerThanCapacityIsStoredTruncated()
    {
        var cache = new RadixCache(4);
        Assert.Equal(0, cache.Insert([1, 2, 3, 4, 5, 6]));
        Assert.Equal(4, cache.TotalTokens);
        Assert.Equal(4, cache.Match([1, 2, 3, 4, 5, 6]));
    }

    [Fact]
    public void HitStatisticsCountTokens()
    {
        var cache = new RadixCache(100);
        cache.Insert([1, 2, 3, 4]);
        cache.Insert([1, 2, 5, 6]);
        Assert.Equal(2, cache.Stats.Lookups);
        Assert.Equal(8, cache.Stats.LookupTokens);
        Assert.Equal(2, cache.Stats.HitTokens);
        Assert.Equal(0.25, cache.Stats.TokenHitRate);
    }

    [Fact]
    public void ZeroCapacityIsRejected()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new RadixCache(0));
        Assert.Equal("capacityTokens", e.ParamName);
        Assert.Contains("positive", e.Message);
    }
}
