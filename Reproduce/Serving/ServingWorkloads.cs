using Reproduce.Compute;

namespace Reproduce.Serving;

/// <summary>Synthetic query streams of the k-LPM study (the paper's 360Brew data set is internal and
/// unreleased). Tokens are integer ids in [0, <see cref="Vocabulary"/>); a shared segment (instruction,
/// a user's profile, a Definition-4 group prefix) is one id array reused by every prompt that has it.</summary>
public static class ServingWorkloads
{
    /// <summary>Token vocabulary size (2¹⁵, so one 64-bit draw gives four tokens).</summary>
    public const int Vocabulary = 32_768;

    /// <summary>A random token segment.</summary>
    public static int[] Segment(Rng rng, int length)
    {
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(length), length, "Segment length must be >= 0 tokens.");
        var s = new int[length];
        ulong bits = 0;
        for (int i = 0; i < length; i++)
        {
            if ((i & 3) == 0) bits = rng.NextUInt64();
            s[i] = (int)(bits & (Vocabulary - 1));
            bits >>= 16;
        }
        return s;
    }

    private static int[] Concat(params int[][] parts)
    {
        var r = new int[parts.Sum(p => p.Length)];
        int o = 0;
        foreach (var p in parts) { p.CopyTo(r, o); o += p.Length; }
        return r;
    }

    private static Query[] Stamp(IReadOnlyList<(int[] Tokens, int Group)> prompts, double[] arrivals, int outputTokens = 1)
    {
        var q = new Query[prompts.Count];
        for (int i = 0; i < q.Length; i++) q[i] = new Query(i, arrivals[i], prompts[i].Tokens, prompts[i].Group, outputTokens);
        return q;
    }

    /// <summary>Skewed recurring prefixes: each of <paramref name="queries"/> queries picks a user with
    /// Zipf(<paramref name="zipfS"/>) popularity over <paramref name="users"/> users; prompt = global
    /// instruction + the user's profile + a fresh question; Poisson arrivals at <paramref name="rate"/>.</summary>
    public static Query[] ZipfProfiles(Rng rng, int queries, int users, double zipfS, double rate,
        int instructionTokens = 100, int profileTokens = 700, int questionTokens = 200)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (users < 1) throw new ArgumentOutOfRangeException(nameof(users), users, "Need at least one user.");
        if (queries < 0) throw new ArgumentOutOfRangeException(nameof(queries), queries, "The number of queries must be >= 0.");
        if (!(zipfS >= 0) || !double.IsFinite(zipfS)) throw new ArgumentOutOfRangeException(nameof(zipfS), zipfS, "The Zipf exponent must be finite and >= 0 (1.0 in the brief).");
        var data = rng.Fork("tokens");
        var instruction = Segment(data, instructionTokens);
        var profiles = Enumerable.Range(0, users).Select(_ => Segment(data, profileTokens)).ToArray();
        var weights = Enumerable.Range(1, users).Select(r => Math.Pow(r, -zipfS)).ToArray();
        var who = rng.Fork("users").SampleWithReplacement(weights, queries);
        var prompts = new (int[], int)[queries];
        for (int i = 0; i < queries; i++) prompts[i] = (Concat(instruction, profiles[who[i]], Segment(data, questionTokens)), who[i]);
        return Stamp(prompts, Arrivals.Poisson(rng.Fork("arrivals"), queries, rate));
    }

    /// <summary>360Brew-like: <paramref name="users"/> users × <paramref name="questionsPerUser"/> questions;
    /// prompt = instruction + member profile + interaction history + question; shuffled, then Poisson arrivals.</summary>
    public static Query[] Brew360(Rng rng, int users, int questionsPerUser, double rate,
        int instructionTokens = 100, int profileTokens = 400, int historyTokens = 300, int questionTokens = 200)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (users < 1) throw new ArgumentOutOfRangeException(nameof(users), users, "Need at least one user.");
        if (questionsPerUser < 1) throw new ArgumentOutOfRangeException(nameof(questionsPerUser), questionsPerUser, "Need at least one question per user.");
        var data = rng.Fork("tokens");
        var instruction = Segment(data, instructionTokens);
        var prompts = new List<(int[], int)>();
        for (int u = 0; u < users; u++)
        {
            var userPart = Concat(Segment(data, profileTokens), Segment(data, historyTokens));
            for (int q = 0; q < questionsPerUser; q++) prompts.Add((Concat(instruction, userPart, Segment(data, questionTokens)), u));
        }
        rng.Fork("shuffle").Shuffle(prompts);
        return Stamp(prompts, Arrivals.Poisson(rng.Fork("arrivals"), prompts.Count, rate));
    }

    /// <summary>The paper's Definition 4 ("regular arrival shuffled queue"): a height-two prefix tree —
    /// <paramref name="groups"/> prefixes of <paramref name="prefixTokens"/> tokens, each followed by
    /// <paramref name="perGroup"/> unique suffixes of <paramref name="suffixTokens"/> tokens — arriving
    /// every <paramref name="gap"/> seconds in a globally shuffled order.</summary>
    public static Query[] Definition4(Rng rng, int groups, int perGroup, int prefixTokens, int suffixTokens, double gap)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (groups < 1) throw new ArgumentOutOfRangeException(nameof(groups), groups, "Need at least one prefix group.");
        if (perGroup < 1) throw new ArgumentOutOfRangeException(nameof(perGroup), perGroup, "Need at least one query per group.");
        var data = rng.Fork("tokens");
        var prompts = new List<(int[], int)>();
        for (int g = 0; g < groups; g++)
        {
            var prefix = Segment(data, prefixTokens);
            for (int j = 0; j < perGroup; j++) prompts.Add((Concat(prefix, Segment(data, suffixTokens)), g));
        }
        rng.Fork("shuffle").Shuffle(prompts);
        return Stamp(prompts, Arrivals.Regular(prompts.Count, gap));
    }

    /// <summary>A stream of <paramref name="queries"/> Poisson arrivals that reuses a pool of prompts
    /// (the arrays are shared, so a million queries fit in memory); used for simulator throughput.</summary>
    public static Query[] FromPool(Rng rng, IReadOnlyList<Query> pool, int queries, double rate)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.Count == 0) throw new ArgumentException("The prompt pool is empty.", nameof(pool));
        var arr = Arrivals.Poisson(rng.Fork("arrivals"), queries, rate);
        var pick = rng.Fork("pick");
        var q = new Query[queries];
        for (int i = 0; i < queries; i++)
        {
            var p = pool[pick.NextInt(pool.Count)];
            q[i] = new Query(i, arr[i], p.Tokens, p.Group, p.OutputTokens);
        }
        return q;
    }
}
