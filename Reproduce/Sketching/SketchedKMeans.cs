using Reproduce.Compute;
using Reproduce.LinearAlgebra;

namespace Reproduce.Sketching;

/// <summary>k-means with assignments through sketches [proposal, brief §2.2; the paper's exact
/// algorithm is not available]: a right sketch G (d×t) reduces every point to aᵢG, Lloyd with
/// k-means++ runs on AG and labels all n points; the centres are then recovered from a left sketch
/// as V̂ = (SU)^†SA (or as exact centroids U^†A when no left sketch is given). The Lloyd stage
/// uses <c>rng.Fork("lloyd")</c>, the same stream an exact run on A should use for paired seeds;
/// G's seed comes from <c>rng.Fork("right-sketch")</c>.</summary>
public sealed class SketchedKMeans
{
    /// <summary>k clusters, sketch dimension t, and the Lloyd settings.</summary>
    public SketchedKMeans(int k, int t, int restarts = 5, int maxIterations = 100)
    {
        if (t < 1) throw new ArgumentOutOfRangeException(nameof(t), t, "Sketch dimension t must be >= 1.");
        Lloyd = new LloydKMeans(k, restarts, maxIterations);
        T = t;
    }

    /// <summary>The Lloyd solver run on the sketched points.</summary>
    public LloydKMeans Lloyd { get; }
    /// <summary>Sketch dimension t.</summary>
    public int T { get; }

    /// <summary>Runs the pipeline on A; <paramref name="left"/> (s×n) recovers the centres from SA.</summary>
    public SketchedKMeansResult Fit(Matrix a, Rng rng, ISketch? left = null)
    {
        KMeans.CheckPoints(a, nameof(a));
        KMeans.CheckK(Lloyd.K, a.Rows);
        var g = new HashedGaussianMap(a.Cols, T, rng.Fork("right-sketch").NextUInt64());
        var y = g.Apply(a);
        var res = Lloyd.Fit(y, rng.Fork("lloyd"));
        Matrix centres = left is null
            ? KMeans.Centroids(a, res.Labels, Lloyd.K, out _)
            : DecodeCentres(res.Labels, Lloyd.K, left, left.Apply(a));
        return new SketchedKMeansResult(res.Labels, centres, res.Cost);
    }

    /// <summary>V̂ = (SU)^†SA for the one-hot U of <paramref name="labels"/>.</summary>
    public static Matrix DecodeCentres(int[] labels, int k, ISketch left, Matrix sa)
    {
        var su = left is HashedCountSketch cs ? cs.ApplyToLabels(labels, k) : left.Apply(KMeans.Indicator(labels, k));
        return DictionaryUpdate.LeastSquares(su, sa);
    }
}
