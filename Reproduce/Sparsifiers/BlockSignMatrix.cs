using Reproduce.Compute;

namespace Reproduce.Sparsifiers;

/// <summary>A PSD matrix with entries in {−1, 0, 1} (brief §2.7): after a random permutation, block-diagonal
/// with blocks vvᵀ, v ∈ {±1}^{size}; its nonzero eigenvalues are the block sizes. Every PSD {−1, 0, 1}
/// matrix with unit diagonal has this form.</summary>
public sealed class BlockSignMatrix : SymmetricTestMatrix
{
    private readonly int[] _block;
    private readonly double[] _sign;

    /// <summary>Blocks of the given sizes (summing to n), rows randomly permuted, random signs.</summary>
    public BlockSignMatrix(IReadOnlyList<int> blockSizes, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(blockSizes);
        ArgumentNullException.ThrowIfNull(rng);
        if (blockSizes.Count == 0 || blockSizes.Any(s => s < 1))
            throw new ArgumentException("Block sizes must be a non-empty list of positive integers.", nameof(blockSizes));
        BlockSizes = blockSizes.ToArray();
        int n = BlockSizes.Sum();
        var perm = rng.Permutation(n);
        _block = new int[n];
        _sign = new double[n];
        int pos = 0;
        for (int b = 0; b < BlockSizes.Length; b++)
            for (int t = 0; t < BlockSizes[b]; t++, pos++)
            {
                _block[perm[pos]] = b;
                _sign[perm[pos]] = rng.Rademacher();
            }
    }

    /// <summary>The brief's sizes 600/400/300/200/5×100 at n = 2000, scaled proportionally to n.</summary>
    public static BlockSignMatrix Standard(int n, Rng rng)
    {
        if (n < 20) throw new ArgumentOutOfRangeException(nameof(n), n, "The standard block family needs n ≥ 20.");
        int[] weights = [600, 400, 300, 200, 100, 100, 100, 100, 100];
        var sizes = weights.Select(w => Math.Max(1, (int)Math.Round(w * n / 2000.0))).ToArray();
        sizes[0] += n - sizes.Sum();
        return new BlockSignMatrix(sizes, rng);
    }

    /// <summary>Block sizes (= the nonzero eigenvalues).</summary>
    public int[] BlockSizes { get; }

    /// <summary>Block index of row i.</summary>
    public int BlockOf(int i) => _block[i];

    /// <summary>Sign of row i within its block.</summary>
    public double SignOf(int i) => _sign[i];

    /// <inheritdoc />
    public override int N => _block.Length;
    /// <inheritdoc />
    public override string Name => "block ±1";
    /// <inheritdoc />
    public override bool IsPsd => true;
    /// <inheritdoc />
    public override double Entry(int i, int j) => _block[i] == _block[j] ? _sign[i] * _sign[j] : 0;

    /// <inheritdoc />
    public override void Apply(ReadOnlySpan<double> x, Span<double> y)
    {
        var sums = new double[BlockSizes.Length];
        for (int i = 0; i < N; i++) sums[_block[i]] += _sign[i] * x[i];
        for (int i = 0; i < N; i++) y[i] = _sign[i] * sums[_block[i]];
    }
}
