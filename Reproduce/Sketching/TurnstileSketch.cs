using Reproduce.Compute;
using Reproduce.LinearAlgebra;

namespace Reproduce.Sketching;

/// <summary>Linear sketches of A ∈ R^{n×d} maintained under a turnstile stream of entry updates
/// A_ij += Δ (brief §2.2; the space bound Õ(n/ε² + dk/ε) of the paper's abstract is for this
/// model): the right sketch Y = AG (n×t; update row i += Δ·G[j,:], O(t)) and the left sketch SA
/// (s×d CountSketch; update SA[h(i), j] += σ(i)·Δ, O(1)). Both are linear, so after any sequence
/// of updates they equal the sketches of the final matrix. At the end every point's assignment is
/// computed from Y and the centres (or dictionary) from SA.
///
/// Memory accounting (<see cref="MemoryWords"/>) counts every stored float64: n·t for Y, s·d for
/// SA, d·t for the cached G (regenerable from the seed, kept to avoid rehashing per update) and,
/// when <see cref="CheckNonnegative"/> is on, n running row sums. The shared
/// Reproduce.LinearAlgebra sketches apply a materialised S to a whole matrix; a turnstile update
/// needs single entries of S and G from seeded hashes, hence these streaming-specific classes.
///
/// Deleting what was never inserted cannot be detected in sublinear space for general (signed)
/// data. For non-negative data (pixels), <see cref="CheckNonnegative"/> keeps each row's running
/// sum (n words) and rejects an update that would make it negative, which catches any deletion of
/// more mass than the row has received.</summary>
public sealed class TurnstileSketch
{
    private readonly Matrix _y;
    private readonly Matrix _sa;
    private readonly double[]? _rowSums;
    private readonly double[] _gRows;

    /// <summary>Sketches for an n×d stream with right-sketch dimension t and s CountSketch buckets.</summary>
    public TurnstileSketch(int n, int d, int t, int s, ulong seed, bool checkNonnegative = false)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "The stream's matrix needs n >= 1 rows.");
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, "The stream's matrix needs d >= 1 columns.");
        N = n; D = d;
        Right = new HashedGaussianMap(d, t, SeededHash.Mix(seed, -1, 1));
        Left = new HashedCountSketch(s, n, SeededHash.Mix(seed, -1, 2));
        _y = Matrix.Zeros(n, t);
        _sa = Matrix.Zeros(s, d);
        _gRows = new double[d * t];
        var g = Right.Materialize();
        for (int j = 0; j < d; j++) for (int c = 0; c < t; c++) _gRows[j * t + c] = g[j, c];
        _rowSums = checkNonnegative ? new double[n] : null;
    }

    /// <summary>Rows n.</summary>
    public int N { get; }
    /// <summary>Columns d.</summary>
    public int D { get; }
    /// <summary>The right sketch G (d×t).</summary>
    public HashedGaussianMap Right { get; }
    /// <summary>The left sketch S (s×n).</summary>
    public HashedCountSketch Left { get; }
    /// <summary>Whether row sums are tracked to reject deletions of never-inserted mass.</summary>
    public bool CheckNonnegative => _rowSums is not null;
    /// <summary>Updates applied so far.</summary>
    public long UpdateCount { get; private set; }

    /// <summary>Y = AG of the matrix so far (n×t; a copy).</summary>
    public Matrix RightSketch => _y.Copy();
    /// <summary>SA of the matrix so far (s×d; a copy).</summary>
    public Matrix LeftSketch => _sa.Copy();

    /// <summary>Stored float64 words by formula: n·t + s·d + d·t (+ n with the non-negativity check).</summary>
    public long MemoryWords => (long)N * Right.Dim + (long)Left.SketchSize * D + (long)D * Right.Dim + (CheckNonnegative ? N : 0);

    /// <summary>Stored float64 words counted from the actual buffers (equals <see cref="MemoryWords"/>).</summary>
    public long StoredWords => _y.Length + _sa.Length + _gRows.Length + (_rowSums?.Length ?? 0);

    /// <summary>Applies A[i, j] += Δ to both sketches.</summary>
    public void Update(int i, int j, double delta)
    {
        if ((uint)i >= (uint)N) throw new ArgumentOutOfRangeException(nameof(i), i, $"Row index must be in 0..{N - 1}.");
        if ((uint)j >= (uint)D) throw new ArgumentOutOfRangeException(nameof(j), j, $"Column index must be in 0..{D - 1}.");
        if (!double.IsFinite(delta)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "Update Δ must be finite.");
        if (_rowSums is not null)
        {
            double next = _rowSums[i] + delta;
            if (next < -1e-9 * Math.Max(1, Math.Abs(_rowSums[i])))
                throw new InvalidOperationException(
                    $"Update A[{i},{j}] += {delta} deletes more than was ever inserted in row {i} (its entries sum to {_rowSums[i]}). " +
                    "A non-negative turnstile stream may only delete mass it inserted; fix the stream or construct the sketch with checkNonnegative: false for signed data.");
            _rowSums[i] = next;
        }
        int t = Right.Dim;
        var y = _y.Span;
        for (int c = 0; c < t; c++) y[i + c * N] += delta * _gRows[j * t + c];
        _sa.Span[Left.Bucket(i) + j * Left.SketchSize] += Left.Sign(i) * delta;
        UpdateCount++;
    }

    /// <summary>Applies a stream of updates in order.</summary>
    public void Apply(IEnumerable<EntryUpdate> updates)
    {
        foreach (var u in updates) Update(u.Row, u.Col, u.Delta);
    }

    /// <summary>k-means at the end of the stream: labels from Lloyd (k-means++, paired seeds via
    /// <c>rng.Fork("lloyd")</c>) on Y, centres V̂ = (SU)^†SA.</summary>
    public SketchedKMeansResult SolveKMeans(int k, Rng rng, int restarts = 5, int maxIterations = 100)
    {
        RequireUpdates();
        var lloyd = new LloydKMeans(k, restarts, maxIterations);
        KMeans.CheckK(k, N);
        var res = lloyd.Fit(_y, rng.Fork("lloyd"));
        return new SketchedKMeansResult(res.Labels, SketchedKMeans.DecodeCentres(res.Labels, k, Left, _sa), res.Cost);
    }

    /// <summary>r-sparse dictionary learning at the end of the stream (see <see cref="SketchedDictionaryLearning"/>).</summary>
    public DictionaryLearningResult SolveDictionary(DictionaryLearning learner, Rng rng)
    {
        RequireUpdates();
        return new SketchedDictionaryLearning(learner, Right.Dim).FitSketches(_y, _sa, Left, rng);
    }

    private void RequireUpdates()
    {
        if (UpdateCount == 0)
            throw new InvalidOperationException("The stream is empty: no updates were applied, so there is nothing to cluster. Apply at least one update before solving.");
    }
}
