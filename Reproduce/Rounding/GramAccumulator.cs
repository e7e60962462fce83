using Reproduce.Compute;

namespace Reproduce.Rounding;

/// <summary>Streams the Gram matrix ÃᵀÃ of a tall matrix given in row blocks (brief §2.5): each
/// block B adds BᵀB through <see cref="Ops.Gemm"/>, so only one block and the d×d Gram matrix are
/// held at once and the products run on the block's device. σ(Ã)² are the eigenvalues of the Gram
/// matrix; this is accurate while κ(Ã)² ≪ 10^16.</summary>
public sealed class GramAccumulator : IDisposable
{
    private readonly Matrix _gram;

    /// <summary>Starts an empty d×d accumulator on <paramref name="device"/> (CPU when null).</summary>
    public GramAccumulator(int cols, Device? device = null)
    {
        if (cols < 1) throw new ArgumentOutOfRangeException(nameof(cols), cols, "The number of columns d must be at least 1.");
        Cols = cols;
        _gram = Matrix.Zeros(cols, cols, DType.F64, device);
    }

    /// <summary>d.</summary>
    public int Cols { get; }

    /// <summary>Rows added so far.</summary>
    public long Rows { get; private set; }

    /// <summary>Adds a block of rows (any number of rows, d columns): G += BᵀB.</summary>
    public void Add(Matrix block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.Cols != Cols)
            throw new ArgumentException($"Block has {block.Cols} columns but the accumulator has d = {Cols}; pass row blocks of the same matrix.", nameof(block));
        Ops.Gemm(block, true, block, false, _gram, 1, 1);
        Rows += block.Rows;
    }

    /// <summary>The accumulated Gram matrix (a copy on the host).</summary>
    public Matrix Gram() => _gram.ToCpu();

    /// <summary>(σ_min, σ_max) of the stacked rows from the eigenvalues of the Gram matrix
    /// (negative rounding-level eigenvalues clamp to 0). Throws if fewer rows than columns were added.</summary>
    public (double Min, double Max) SingularValueExtremes()
    {
        if (Rows < Cols)
            throw new InvalidOperationException($"Only {Rows} rows were added to a Gram accumulator with d = {Cols}; a tall matrix needs n > d rows.");
        return SigmaMin.ExtremesFromGram(_gram);
    }

    /// <inheritdoc />
    public void Dispose() => _gram.Dispose();
}
