using System.Globalization;

namespace Reproduce.Compression;

/// <summary>What a pruner must reach: an unstructured fraction of zeros, or an N:M pattern (at most N
/// nonzeros in every M consecutive input weights of each output row; 2:4 is NVIDIA's sparse pattern).</summary>
public sealed record SparsityTarget
{
    private SparsityTarget(double fraction, int n, int m) { Fraction = fraction; N = n; M = m; }

    /// <summary>Fraction of zeros (unstructured), or 1 − N/M for a pattern.</summary>
    public double Fraction { get; }

    /// <summary>N of N:M (0 when unstructured).</summary>
    public int N { get; }

    /// <summary>M of N:M (0 when unstructured).</summary>
    public int M { get; }

    /// <summary>True for an N:M pattern.</summary>
    public bool IsPattern => M > 0;

    /// <summary>Unstructured sparsity s ∈ [0, 1).</summary>
    public static SparsityTarget Unstructured(double fraction)
    {
        if (!(fraction >= 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "sparsity must lie in [0, 1): 0 keeps every weight, 0.5 prunes half; 1 would delete the layer.");
        return new SparsityTarget(fraction, 0, 0);
    }

    /// <summary>N:M pattern with 1 ≤ N &lt; M.</summary>
    public static SparsityTarget Pattern(int n, int m)
    {
        if (m < 2 || n < 1 || n >= m)
            throw new ArgumentOutOfRangeException(nameof(n), $"{n}:{m}", "an N:M pattern keeps N of every M weights and needs 1 ≤ N < M (e.g. 2:4).");
        return new SparsityTarget(1 - (double)n / m, n, m);
    }

    /// <summary>Parses "N:M".</summary>
    public static SparsityTarget ParsePattern(string text)
    {
        var parts = (text ?? "").Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n)
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int m))
            throw new FormatException($"pattern '{text}' is not N:M: write two integers, e.g. 2:4.");
        return Pattern(n, m);
    }

    /// <summary>Checks the pattern fits d_in.</summary>
    internal void CheckFits(int dIn)
    {
        if (IsPattern && dIn % M != 0)
            throw new ArgumentException($"d_in = {dIn} is not a multiple of M = {M}: an {N}:{M} pattern groups M consecutive input weights.");
    }

    /// <summary>Number of weights kept among <paramref name="count"/> (unstructured).</summary>
    internal long Kept(long count) => count - (long)Math.Round(Fraction * count);

    /// <inheritdoc/>
    public override string ToString() => IsPattern
        ? string.Create(CultureInfo.InvariantCulture, $"{N}:{M}")
        : string.Create(CultureInfo.InvariantCulture, $"{Fraction:0.###} unstructured");
}
