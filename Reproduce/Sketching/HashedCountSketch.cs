using Reproduce.Compute;
using Reproduce.LinearAlgebra;

namespace Reproduce.Sketching;

/// <summary>CountSketch S (s×n) with seeded hash functions h: [n] → [s] and σ: [n] → {±1}
/// (column i of S is σ(i)·e_{h(i)}), used as the left sketch SA from which centres or the
/// dictionary are recovered (brief §2.2). Because h and σ are hashes of (seed, i), a turnstile
/// update A_ij += Δ touches the single entry SA[h(i), j] += σ(i)·Δ and nothing of size n is stored.
/// Entries are ±1, so with integer updates SA is exact in floating point. The library-wide
/// <see cref="CountSketch"/> draws its buckets sequentially from an <see cref="Rng"/> and stores
/// them (O(n) words); a turnstile stream needs h(i), σ(i) recomputable from a seed without that
/// table, hence this hashed variant.</summary>
public sealed class HashedCountSketch : ISketch
{
    private readonly ulong _seed;

    /// <summary>A CountSketch with <paramref name="rows"/> buckets for <paramref name="inputDim"/> rows.</summary>
    public HashedCountSketch(int rows, int inputDim, ulong seed)
    {
        if (rows < 1) throw new ArgumentOutOfRangeException(nameof(rows), rows, "CountSketch needs at least one bucket (rows >= 1).");
        if (inputDim < 1) throw new ArgumentOutOfRangeException(nameof(inputDim), inputDim, "inputDim must be >= 1.");
        SketchSize = rows; InputDim = inputDim; _seed = seed;
    }

    /// <inheritdoc />
    public int SketchSize { get; }
    /// <inheritdoc />
    public int InputDim { get; }

    /// <summary>h(i): the bucket of row i.</summary>
    public int Bucket(int i) => (int)(SeededHash.Mix(_seed, i, 0) % (ulong)SketchSize);

    /// <summary>σ(i) ∈ {−1, +1}.</summary>
    public double Sign(int i) => (SeededHash.Mix(_seed, i, 1) >> 63) == 0 ? -1.0 : 1.0;

    /// <summary>S as a sparse s×n matrix (one nonzero per column).</summary>
    public SparseMatrix ToSparse() =>
        SparseMatrix.FromTriplets(SketchSize, InputDim, Enumerable.Range(0, InputDim).Select(i => (Bucket(i), i, Sign(i))));

    /// <inheritdoc />
    public Matrix Apply(Matrix a)
    {
        if (a.Rows != InputDim) throw new ArgumentException($"CountSketch built for {InputDim} rows applied to a {a.ShapeText} matrix.", nameof(a));
        return Ops.SpMM(ToSparse(), a);   // runs where a lives (cuSPARSE on a GPU); the result stays there
    }

    /// <summary>S·U for the one-hot U of <paramref name="labels"/> (s×k), without forming U.</summary>
    public Matrix ApplyToLabels(int[] labels, int k)
    {
        if (labels.Length != InputDim) throw new ArgumentException($"{labels.Length} labels for a sketch of {InputDim} rows.", nameof(labels));
        var su = Matrix.Zeros(SketchSize, k);
        for (int i = 0; i < labels.Length; i++) su[Bucket(i), labels[i]] += Sign(i);
        return su;
    }
}
