using Reproduce.Compute;

namespace Reproduce.Sketching;

/// <summary>Lloyd's algorithm with k-means++ seeding (Arthur and Vassilvitskii 2007) and seeded
/// restarts: the exact (unsketched) baseline of the paper brief §2.3. Restart r draws its seeding
/// from <c>rng.Fork(r)</c>, so two runs given the same <see cref="Rng"/> (e.g. on A and on AG)
/// use paired seeds. Iterations stop when the cost falls by less than
/// <see cref="Tolerance"/> relative, or after <see cref="MaxIterations"/>.</summary>
public sealed class LloydKMeans
{
    /// <summary>Creates the solver; arguments are validated here.</summary>
    public LloydKMeans(int k, int restarts = 5, int maxIterations = 100, double tolerance = 1e-6)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be at least 1.");
        if (restarts < 1) throw new ArgumentOutOfRangeException(nameof(restarts), restarts, "Need at least one restart.");
        if (maxIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "maxIterations must be at least 1.");
        if (!(tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "tolerance must be >= 0.");
        K = k; Restarts = restarts; MaxIterations = maxIterations; Tolerance = tolerance;
    }

    /// <summary>Number of clusters.</summary>
    public int K { get; }
    /// <summary>Independent k-means++ restarts; the lowest-cost one is returned.</summary>
    public int Restarts { get; }
    /// <summary>Lloyd iteration cap per restart.</summary>
    public int MaxIterations { get; }
    /// <summary>Relative cost decrease below which a restart stops.</summary>
    public double Tolerance { get; }

    /// <summary>Clusters the rows of <paramref name="a"/>; optional per-point weights (e.g. a coreset's).</summary>
    public KMeansResult Fit(Matrix a, Rng rng, double[]? weights = null)
    {
        KMeans.CheckPoints(a, nameof(a));
        KMeans.CheckK(K, a.Rows);
        if (weights is not null)
        {
            if (weights.Length != a.Rows) throw new ArgumentException($"weights has {weights.Length} entries for {a.Rows} points.", nameof(weights));
            if (weights.Any(w => !(w >= 0) || double.IsInfinity(w))) throw new ArgumentException("weights must be finite and non-negative.", nameof(weights));
        }
        Ops.CheckFinite("LloydKMeans.Fit", a);
        KMeansResult? best = null;
        for (int r = 0; r < Restarts; r++)
        {
            var res = FitFrom(a, Seed(a, rng.Fork(r), weights), weights, r);
            if (best is null || res.Cost < best.Cost) best = res;
        }
        return best!;
    }

    /// <summary>Lloyd iterations from given initial centres (no seeding).</summary>
    public KMeansResult FitFrom(Matrix a, Matrix initialCentres, double[]? weights = null, int restart = 0)
    {
        if (initialCentres.Rows != K) throw new ArgumentException($"initialCentres has {initialCentres.Rows} rows; need k = {K}.", nameof(initialCentres));
        var centres = initialCentres;
        var norms = KMeans.SquaredRowNorms(a);
        var (labels, d2) = KMeans.Assign(a, centres, norms);
        double cost = Weighted(d2, weights);
        int it = 0;
        while (it < MaxIterations)
        {
            it++;
            var next = KMeans.Centroids(a, labels, K, out var counts, weights, fallback: centres);
            ReseedEmpty(a, next, counts, d2);
            var (l2, dd2) = KMeans.Assign(a, next, norms);
            double c2 = Weighted(dd2, weights);
            if (c2 > cost) break; // rounding in the GEMM distances: keep the better solution
            bool converged = cost - c2 <= Tolerance * cost;
            centres = next; labels = l2; d2 = dd2; cost = c2;
            if (converged) break;
        }
        return new KMeansResult(labels, centres, KMeans.Cost(a, labels, centres, weights), it, restart);
    }

    /// <summary>k-means++ seeding: the first centre uniformly (weight-proportionally), each next one
    /// with probability ∝ w·D², D the distance to the nearest chosen centre.</summary>
    public Matrix Seed(Matrix a, Rng rng, double[]? weights = null)
    {
        KMeans.CheckK(K, a.Rows);
        int n = a.Rows;
        var chosen = new int[K];
        var w0 = weights ?? Enumerable.Repeat(1.0, n).ToArray();
        chosen[0] = w0.Sum() > 0 ? rng.SampleWithReplacement(w0, 1)[0] : rng.NextInt(n);
        var d2 = Enumerable.Repeat(double.PositiveInfinity, n).ToArray();
        var norms = KMeans.SquaredRowNorms(a);
        for (int c = 1; c < K; c++)
        {
            var (_, dist) = KMeans.Assign(a, Ops.GatherRows(a, [chosen[c - 1]]), norms);
            var p = new double[n];
            double total = 0;
            for (int i = 0; i < n; i++) { d2[i] = Math.Min(d2[i], dist[i]); p[i] = w0[i] * d2[i]; total += p[i]; }
            chosen[c] = total > 0 ? rng.SampleWithReplacement(p, 1)[0] : rng.NextInt(n);
        }
        return Ops.GatherRows(a, chosen);
    }

    private static void ReseedEmpty(Matrix a, Matrix centres, double[] counts, double[] d2)
    {
        // An empty cluster takes the point farthest from its centre (a standard repair that
        // cannot increase the cost).
        var taken = new HashSet<int>();
        for (int c = 0; c < counts.Length; c++)
        {
            if (counts[c] > 0) continue;
            int far = -1;
            for (int i = 0; i < d2.Length; i++) if (!taken.Contains(i) && (far < 0 || d2[i] > d2[far])) far = i;
            taken.Add(far);
            var row = Ops.GatherRows(a, [far]).ToCpu();
            for (int j = 0; j < a.Cols; j++) centres[c, j] = row[0, j];
        }
    }

    private static double Weighted(double[] d2, double[]? w)
    {
        double s = 0;
        for (int i = 0; i < d2.Length; i++) s += (w?[i] ?? 1) * d2[i];
        return s;
    }
}
