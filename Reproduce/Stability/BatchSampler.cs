using Reproduce.Compute;

namespace Reproduce.Stability;

/// <summary>Draws mini-batches of sample indices for one linearized SGD run under a
/// <see cref="SamplingModel"/>. Without replacement uses a partial Fisher–Yates shuffle of a
/// persistent permutation (O(B) per draw, uniform B-subsets whatever the array's current order);
/// Bernoulli tests every index with probability B/n (O(n)); with replacement draws B uniform indices.
/// Not thread-safe: one sampler per run.</summary>
public sealed class BatchSampler
{
    private readonly int[] _perm;
    private readonly int[] _batch;

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
                    int j = k + rng.NextInt(N - k);
                    (_perm[k], _perm[j]) = (_perm[j], _perm[k]);
                }
                return _perm.AsSpan(0, BatchSize);
            case SamplingModel.WithReplacement:
                for (int k = 0; k < BatchSize; k++) _batch[k] = rng.NextInt(N);
                return _batch.AsSpan(0, BatchSize);
            default:
                double p = (double)BatchSize / N;
                int count = 0;
                for (int i = 0; i < N; i++)
                    if (rng.Uniform() < p) _batch[count++] = i;
                return _batch.AsSpan(0, count);
        }
    }
}
