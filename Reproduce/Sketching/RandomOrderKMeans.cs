using Reproduce.Compute;

namespace Reproduce.Sketching;

/// <summary>A proxy for the paper's random-order row-insertion result (Õ(n) space for k-means
/// under "bounded sensitivity"; the definition and algorithm are [missing] from the available
/// material, so this is a [proposal]): rows arrive one at a time; the first m rows seed k-means++
/// and Lloyd; afterwards each row is labelled with its nearest current centre (the label is final:
/// rows are not stored) and offered to a weighted reservoir (Efraimidis–Spirakis keys u^{1/w})
/// with sensitivity proxy w = D²(x, C)/mean D² + 1; every <see cref="RefreshEvery"/> rows the
/// centres are refitted by weighted Lloyd on the reservoir (weights 1/w). Memory: n labels,
/// m·(d + 2) reservoir words, k·d centres. In random order the seed rows are a uniform sample and
/// later rows are labelled well; in adversarial (cluster-sorted) order they are not.</summary>
public sealed class RandomOrderKMeans
{
    /// <summary>Validates the parameters.</summary>
    public RandomOrderKMeans(int k, int coresetSize, int refreshEvery, int restarts = 3)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be >= 1.");
        if (coresetSize < k) throw new ArgumentOutOfRangeException(nameof(coresetSize), coresetSize, $"The coreset must hold at least k = {k} rows.");
        if (refreshEvery < 1) throw new ArgumentOutOfRangeException(nameof(refreshEvery), refreshEvery, "refreshEvery must be >= 1.");
        K = k; CoresetSize = coresetSize; RefreshEvery = refreshEvery; Restarts = restarts;
    }

    /// <summary>Clusters k.</summary>
    public int K { get; }
    /// <summary>Reservoir rows m.</summary>
    public int CoresetSize { get; }
    /// <summary>Rows between centre refreshes.</summary>
    public int RefreshEvery { get; }
    /// <summary>k-means++ restarts of the initial fit.</summary>
    public int Restarts { get; }

    /// <summary>Streams the rows of <paramref name="a"/> in <paramref name="order"/> (a permutation).</summary>
    public RandomOrderResult Run(Matrix a, int[] order, Rng rng)
    {
        int n = a.Rows, d = a.Cols, m = Math.Min(CoresetSize, n);
        if (order.Length == 0) throw new ArgumentException("The row stream is empty: pass a non-empty order.", nameof(order));
        if (order.Length != n || order.Distinct().Count() != n || order.Any(i => (uint)i >= (uint)n))
            throw new ArgumentException($"order must be a permutation of 0..{n - 1} (got {order.Length} entries).", nameof(order));
        KMeans.CheckK(K, n);
        var host = a.Device.Kind == DeviceKind.Cpu ? a : a.ToCpu();
        var labels = new int[n];
        var res = Matrix.Zeros(m, d);
        var weight = new double[m];
        var key = new double[m];
        for (int p = 0; p < m; p++) { CopyRow(host, order[p], res, p); weight[p] = 1; key[p] = rng.Uniform(); }
        var lloyd = new LloydKMeans(K, Restarts, 50);
        var fit = lloyd.Fit(res, rng.Fork("seed"));
        var centres = fit.Centres;
        for (int p = 0; p < m; p++) labels[order[p]] = fit.Labels[p];
        double sumD2 = fit.Cost; long seen = m;
        var refit = new LloydKMeans(K, 1, 10);
        var x = new double[d];
        for (int p = m; p < n; p++)
        {
            int row = order[p];
            for (int j = 0; j < d; j++) x[j] = host[row, j];
            int best = 0; double bestD2 = double.PositiveInfinity;
            for (int c = 0; c < K; c++)
            {
                double s = 0;
                for (int j = 0; j < d; j++) { double z = x[j] - centres[c, j]; s += z * z; }
                if (s < bestD2) { bestD2 = s; best = c; }
            }
            labels[row] = best;
            double mean = sumD2 / seen;
            sumD2 += bestD2; seen++;
            double w = (mean > 0 ? bestD2 / mean : 0) + 1;
            double kk = Math.Pow(rng.Uniform(), 1 / w);
            int minSlot = 0;
            for (int q = 1; q < m; q++) if (key[q] < key[minSlot]) minSlot = q;
            if (kk > key[minSlot])
            {
                key[minSlot] = kk; weight[minSlot] = w;
                for (int j = 0; j < d; j++) res[minSlot, j] = x[j];
            }
            if ((p - m + 1) % RefreshEvery == 0)
                centres = refit.FitFrom(res, centres, weight.Select(v => 1 / v).ToArray()).Centres;
        }
        long words = n + (long)m * (d + 2) + (long)K * d;
        return new RandomOrderResult(labels, centres, words);
    }

    private static void CopyRow(Matrix a, int i, Matrix into, int p)
    {
        for (int j = 0; j < a.Cols; j++) into[p, j] = a[i, j];
    }
}
