namespace Reproduce.Training;

/// <summary>The micro-batch convention of this package (brief §2.2). mSAM's m is a <b>count</b>:
/// <c>numMicroBatches</c> = m splits a batch of b examples into m disjoint, contiguous micro-batches
/// of b/m examples each, in batch order (the batch is already a random draw, so contiguous slices are
/// random disjoint shards). Foret et al.'s "m-sharpness" and the micro-batch <i>size</i> of other
/// code convert with <see cref="CountFromSize"/>. Remainder rule: m must divide b; a batch that
/// does not split evenly is an error (not a silent re-weighting), so every ĝⱼ has weight 1/m.</summary>
public static class MicroBatches
{
    /// <summary>m = b / <paramref name="microBatchSize"/>; the size must divide the batch size.</summary>
    public static int CountFromSize(int batchSize, int microBatchSize)
    {
        if (batchSize < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        if (microBatchSize < 1 || microBatchSize > batchSize)
            throw new ArgumentOutOfRangeException(nameof(microBatchSize), microBatchSize, $"The micro-batch size must be between 1 and the batch size {batchSize}.");
        if (batchSize % microBatchSize != 0)
            throw new ArgumentException($"A micro-batch size of {microBatchSize} does not divide the batch size {batchSize} (remainder {batchSize % microBatchSize}); " +
                                        $"choose a divisor of {batchSize} (e.g. {string.Join(", ", Divisors(batchSize))}).", nameof(microBatchSize));
        return batchSize / microBatchSize;
    }

    /// <summary>The size b/m of each of <paramref name="numMicroBatches"/> micro-batches of a batch of
    /// <paramref name="batchSize"/>; throws, naming both and the valid counts, unless m divides b.</summary>
    public static int SizeOf(int batchSize, int numMicroBatches)
    {
        if (batchSize < 1) throw new ArgumentException("The batch is empty; pass at least one example index.", nameof(batchSize));
        if (numMicroBatches < 1) throw new ArgumentOutOfRangeException(nameof(numMicroBatches), numMicroBatches, "numMicroBatches must be at least 1 (1 is SAM).");
        if (numMicroBatches > batchSize || batchSize % numMicroBatches != 0)
            throw new ArgumentException($"numMicroBatches = {numMicroBatches} does not split a batch of {batchSize} examples into equal micro-batches " +
                                        $"(remainder rule: m must divide the batch size). Use a batch size that is a multiple of {numMicroBatches}, " +
                                        $"or one of m ∈ {{{string.Join(", ", Divisors(batchSize))}}}.", nameof(numMicroBatches));
        return batchSize / numMicroBatches;
    }

    private static IEnumerable<int> Divisors(int n) => Enumerable.Range(1, n).Where(d => n % d == 0).Take(12);
}
