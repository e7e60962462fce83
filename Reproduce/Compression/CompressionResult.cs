namespace Reproduce.Compression;

using Reproduce.Compute;

/// <summary>A compressed layer: the weights W (sparse part plus low-rank part when there is one), the
/// objective tr((Ŵ − W)H(Ŵ − W)ᵀ) on the undamped H, and what the method had to do to get there.</summary>
public sealed record CompressionResult(string Method, Matrix Weights, double Objective, double RelativeError,
    double Sparsity, TimeSpan Elapsed, IReadOnlyList<string> Notes)
{
    /// <summary>Sparse part S when the method is sparse + low-rank (W = S + L), else null.</summary>
    public Matrix? Sparse { get; init; }

    /// <summary>Low-rank part L when the method is sparse + low-rank, else null.</summary>
    public Matrix? LowRank { get; init; }

    /// <summary>Quantization scales (d_out × scale groups) of a quantizer, else null.</summary>
    public Matrix? Scales { get; init; }

    /// <summary>Per-iteration best-kept relative error of an iterative method (HASSLE-free, OATS), else empty.</summary>
    public IReadOnlyList<double> History { get; init; } = [];

    /// <summary>Builds a result, evaluating the objective and the sparsity of <paramref name="sparsityOf"/> (default: the weights).</summary>
    public static CompressionResult Of(string method, LayerProblem p, Matrix weights, TimeSpan elapsed, IReadOnlyList<string> notes, Matrix? sparsityOf = null)
    {
        var s = (sparsityOf ?? weights).Span;
        long zeros = 0;
        foreach (double v in s) if (v == 0) zeros++;
        return new CompressionResult(method, weights, p.Objective(weights), p.RelativeError(weights), (double)zeros / s.Length, elapsed, notes);
    }
}
