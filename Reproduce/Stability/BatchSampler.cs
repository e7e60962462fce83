using Reproduce.Compute;

namespace Reproduce.Stability;

/// <summary>Draws mini-batches of sample indices for one linearized SGD run under a
/// <see cref="SamplingModel"/>. Without replacement uses a partial Fisher–Yates shuffle of a
/// persistent permutation (O(B) per draw, indices from 32-bit halves of the stream by Lemire's method, uniform B-subsets whatever the array's current order);
/// Bernoulli includes every index independently with probability B/n, drawn as geometric gaps (O(B) expected); with replacement draws B uniform indices.
/// Not thread-safe: one sampler per run.</summary>
public sealed class BatchSampler
{
    private readonly int[] _perm;
    private readonly int[] _batch;
    private ulong _bits;
    private bool _haveHalf;

    /// <summary>Creates a sampler for n samples and batch size B ∈ 1..n.</summary>
    public BatchSampler(int n, int batchSize, SamplingModel model)
    {
        SgdNoise.CheckBatch(n, batchSize);
        if (!Enum.IsDefined(model)) throw new ArgumentOutOfRangeException(nameof(model), model, "Unknown sampling model.");
        N = n;
        BatchSize = batchSize;
        Model = model;
        _perm = Enumerable.Range(0, n).ToArray();
        _batch = new int[n];
    }

    /// <summary>Number of samples n.</summary>
    public int N { get; }

    /// <summary>Nominal batch size B (the update's divisor).</summary>
    public int BatchSize { get; }

    /// <summary>Sampling model.</summary>
    public SamplingModel Model { get; }

    /// <summary>Draws the next batch; the returned span (valid until the next call) lists the sampled
    /// indices, with repeats under sampling with replacement.</summary>
    public ReadOnlySpan<int> Next(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        switch (Model)
        {
            case SamplingModel.WithoutReplacement:
                for (int k = 0; k < BatchSize; k++)
                {
                    int j = k + Bounded(rng, (uint)(N - k));
                    (_perm[k], _perm[j]) = (_perm[j], _perm[k]);
                }
                return _perm.AsSpan(0, BatchSize);
            case SamplingModel.WithReplacement:
                for (int k = 0; k < BatchSize; k++) _batch[k] = Bounded(rng, (uint)N);
                return _batch.AsSpan(0, BatchSize);
            default:
                if (BatchSize == N)
                {
                    for (int i = 0; i < N; i++) _batch[i] = i;
                    return _batch.AsSpan(0, N);
                }
                // Independent inclusion with probability p ⇔ geometric gaps between included indices.
                double logQ = Math.Log(1 - (double)BatchSize / N);
                int count = 0;
                double next = -1;
                while (true)
                {
                    next += 1 + Math.Floor(Math.Log(1 - rng.Uniform()) / logQ);
                    if (next >= N) break;
                    _batch[count++] = (int)next;
                }
                return _batch.AsSpan(0, count);
        }
    }

    /// <summary>Unbiased uniform integer in [0, n) from 32 random bits (Lemire's multiply-and-reject,
    /// dividing only on the rare rejection path); each 64-bit draw supplies two 32-bit halves.</summary>
    private int Bounded(Rng rng, uint n)
    {
        ulong m = (ulong)Next32(rng) * n;
        uint low = (uint)m;
        if (low < n)
        {
            uint threshold = (uint)(-(int)n) % n;
            while (low < threshold)
            {
                m = (ulong)Next32(rng) * n;
                low = (uint)m;
            }
        }
        return (int)(m >> 32);
    }

    private uint Next32(Rng rng)
    {
        if (_haveHalf)
        {
            _haveHalf = false;
            return (uint)(_bits >> 32);
        }
        _bits = rng.NextUInt64();
        _haveHalf = true;
        return (uint)_bits;
    }
}
