using Reproduce.Compute;
using Reproduce.Data;

namespace Reproduce.Logistic;

/// <summary>The real-data stand-in for Fig. 1b (KDDCup99 is not obtainable here): Fashion-MNIST from the Debian package
/// dataset-fashion-mnist (IDX files under /usr/share/datasets/fashion-mnist), projected by PCA onto 33 components
/// (matching KDD's 33 continuous features), each component z-scored; class <see cref="PositiveClass"/> (Trouser)
/// against the rest, with positives subsampled to 3.4 % of rows (KDD SA's 3 377 / 100 654). No intercept column.</summary>
public static class FashionMnistStandIn
{
    /// <summary>The class used as positives (1 = Trouser).</summary>
    public const int PositiveClass = 1;

    /// <summary>Why the stand-in cannot load, or null when the files exist (found as <see cref="FashionMnist"/> finds them:
    /// REPRODUCE_FASHION_MNIST_DIR, else the Debian folder).</summary>
    public static string? MissingReason() => FashionMnist.IsInstalled ? null
        : $"Fashion-MNIST IDX files are not in {FashionMnist.FullDirectory} (install the Debian package dataset-fashion-mnist or set REPRODUCE_FASHION_MNIST_DIR)";

    /// <summary>Loads the stand-in from <paramref name="split"/>: Test (10 000 images), All (70 000; test split first, then
    /// train) or Subset (the 2 000 images committed under data/, for machines without the Debian package).</summary>
    public static LogisticData Load(Rng rng, FashionMnistSplit split, int components = 33, double positiveFraction = 0.034)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (split is not (FashionMnistSplit.Test or FashionMnistSplit.All or FashionMnistSplit.Subset))
            throw new ArgumentOutOfRangeException(nameof(split), split, "Use Test, All or Subset (the stand-in's order puts the test split first).");
        if (split != FashionMnistSplit.Subset && MissingReason() is { } why) throw new FileNotFoundException("FashionMnistStandIn: " + why + ".");
        var parts = split switch
        {
            FashionMnistSplit.Subset => [FashionMnist.Load(FashionMnistSplit.Subset)],
            FashionMnistSplit.Test => [FashionMnist.Load(FashionMnistSplit.Test)],
            _ => new List<LabeledDataset> { FashionMnist.Load(FashionMnistSplit.Test), FashionMnist.Load(FashionMnistSplit.Train) },   // All
        };
        var labs = parts.SelectMany(p => p.Labels).ToArray();
        var neg = Enumerable.Range(0, labs.Length).Where(i => labs[i] != PositiveClass).ToArray();
        var pos = Enumerable.Range(0, labs.Length).Where(i => labs[i] == PositiveClass).ToArray();
        int keepPos = (int)Math.Round(positiveFraction / (1 - positiveFraction) * neg.Length);
        var posKeep = rng.Fork("positives").SampleWithoutReplacement(pos.Length, Math.Min(keepPos, pos.Length)).Select(i => pos[i]);
        var rows = neg.Concat(posKeep).ToArray();
        rng.Fork("order").Shuffle(rows);
        int n = rows.Length, p0 = FashionMnist.Pixels;
        var raw = Matrix.Zeros(n, p0); var s = raw.Span;
        int first = parts[0].Count;
        for (int i = 0; i < n; i++)
        {
            // Row rows[i] of the concatenation: a row of the test split, or of the train split after it.
            var (part, r) = rows[i] < first ? (parts[0], rows[i]) : (parts[1], rows[i] - first);
            var src = part.Points.Span; int cnt = part.Count;
            for (int j = 0; j < p0; j++) s[j * n + i] = src[j * cnt + r];
        }
        // Centre, PCA by the eigen-decomposition of the covariance, keep the top components, z-score them.
        var mean = Ops.ColumnSums(raw).ToArray().Select(v => v / n).ToArray();
        for (int j = 0; j < p0; j++) for (int i = 0; i < n; i++) s[j * n + i] -= mean[j];
        var (vals, vecs) = Ops.SymmetricEigen(Ops.Gram(raw));
        var top = Enumerable.Range(0, p0).OrderByDescending(k => vals[k]).Take(components).ToArray();
        var x = Ops.MatMul(raw, Ops.GatherColumns(vecs, top));
        var xs = x.Span;
        for (int j = 0; j < components; j++)
        {
            double m = 0, v = 0;
            for (int i = 0; i < n; i++) m += xs[j * n + i];
            m /= n;
            for (int i = 0; i < n; i++) { double t = xs[j * n + i] - m; v += t * t; }
            double sd = Math.Sqrt(v / n);
            for (int i = 0; i < n; i++) xs[j * n + i] = (xs[j * n + i] - m) / sd;
        }
        var y = rows.Select(i => labs[i] == PositiveClass ? 1.0 : -1.0).ToArray();
        return LogisticData.Create(x, y);
    }
}
