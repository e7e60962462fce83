using Reproduce.Compute;

namespace Reproduce.Sketching;

/// <summary>r-sparse dictionary learning with k atoms by alternating minimisation (brief §2.3):
/// codes by <see cref="SparseCoder"/> (exact for r ≤ 3, OMP beyond), dictionary by
/// <see cref="DictionaryUpdate.LeastSquares"/>. The coding step with exhaustive search and the
/// dictionary step are each optimal given the other block, so the objective never increases
/// (OMP is greedy and may not). Starts from k distinct random rows of the data; stops after
/// <see cref="MaxIterations"/> or when an iteration lowers the cost by less than
/// <see cref="Tolerance"/> relative.</summary>
public sealed class DictionaryLearning
{
    /// <summary>Validates and stores the parameters.</summary>
    public DictionaryLearning(int k, int r, int maxIterations = 20, double tolerance = 1e-6, SparseCodingMethod method = SparseCodingMethod.Auto)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "Need k >= 1 atoms.");
        if (r < 1 || r > k) throw new ArgumentOutOfRangeException(nameof(r), r, $"Sparsity r must satisfy 1 <= r <= k = {k} (r > dictionary size is meaningless).");
        if (maxIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "maxIterations must be >= 1.");
        if (!(tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "tolerance must be >= 0.");
        K = k; R = r; MaxIterations = maxIterations; Tolerance = tolerance; Method = method;
    }

    /// <summary>Atoms k.</summary>
    public int K { get; }
    /// <summary>Nonzeros per code r.</summary>
    public int R { get; }
    /// <summary>Iteration cap.</summary>
    public int MaxIterations { get; }
    /// <summary>Relative decrease that stops the alternation.</summary>
    public double Tolerance { get; }
    /// <summary>Sparse coding method.</summary>
    public SparseCodingMethod Method { get; }

    /// <summary>Fits U and V to the rows of <paramref name="a"/>.</summary>
    public DictionaryLearningResult Fit(Matrix a, Rng rng)
    {
        KMeans.CheckPoints(a, nameof(a));
        KMeans.CheckK(K, a.Rows);
        Ops.CheckFinite("DictionaryLearning.Fit", a);
        var v = Ops.GatherRows(a, rng.SampleWithoutReplacement(a.Rows, K));
        return FitFrom(a, v);
    }

    /// <summary>Alternates from a given initial dictionary.</summary>
    public DictionaryLearningResult FitFrom(Matrix a, Matrix initialDictionary)
    {
        var v = initialDictionary;
        var costs = new List<double>();
        Matrix u = Matrix.Zeros(a.Rows, K);
        double prev = double.PositiveInfinity;
        for (int it = 0; it < MaxIterations; it++)
        {
            u = SparseCoder.Encode(a, v, R, Method);
            costs.Add(SparseCoder.Cost(a, u, v));
            v = DictionaryUpdate.LeastSquares(u, a, v);
            double c = SparseCoder.Cost(a, u, v);
            costs.Add(c);
            // Stop on a small relative decrease between two full passes; the first pass has no
            // previous cost to compare with (∞ − c ≤ tol·∞ would stop every run after one pass).
            if (it > 0 && prev - c <= Tolerance * prev) break;
            prev = c;
        }
        return new DictionaryLearningResult(u, v, costs);
    }
}
