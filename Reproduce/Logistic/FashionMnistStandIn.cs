using System.IO.Compression;
using Reproduce.Compute;

namespace Reproduce.Logistic;

/// <summary>The real-data stand-in for Fig. 1b (KDDCup99 is not obtainable here): Fashion-MNIST from the Debian package
/// dataset-fashion-mnist (IDX files under /usr/share/datasets/fashion-mnist), projected by PCA onto 33 components
/// (matching KDD's 33 continuous features), each component z-scored; class <see cref="PositiveClass"/> (Trouser)
/// against the rest, with positives subsampled to 3.4 % of rows (KDD SA's 3 377 / 100 654). No intercept column.</summary>
public static class FashionMnistStandIn
{
    /// <summary>Default folder of the IDX files.</summary>
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";
    /// <summary>The class used as positives (1 = Trouser).</summary>
    public const int PositiveClass = 1;

    /// <summary>Why the stand-in cannot load, or null when the files exist.</summary>
    public static string? MissingReason(string folder = DefaultFolder) =>
        File.Exists(Path.Combine(folder, "t10k-images-idx3-ubyte.gz")) ? null
        : $"Fashion-MNIST IDX files are not in {folder} (install the Debian package dataset-fashion-mnist)";

    /// <summary>Loads the stand-in: the 10 000-image test split (<paramref name="includeTrain"/> false) or all 70 000 images.</summary>
    public static LogisticData Load(Rng rng, bool includeTrain, int components = 33, double positiveFraction = 0.034, string folder = DefaultFolder)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var why = MissingReason(folder);
        if (why is not null) throw new FileNotFoundException("FashionMnistStandIn: " + why + ".");
        var parts = new List<(byte[][] Img, byte[] Lab)> { (ReadImages(Path.Combine(folder, "t10k-images-idx3-ubyte.gz")), ReadLabels(Path.Combine(folder, "t10k-labels-idx1-ubyte.gz"))) };
        if (includeTrain) parts.Add((ReadImages(Path.Combine(folder, "train-images-idx3-ubyte.gz")), ReadLabels(Path.Combine(folder, "train-labels-idx1-ubyte.gz"))));
        var imgs = parts.SelectMany(p => p.Img).ToArray(); var labs = parts.SelectMany(p => p.Lab).ToArray();
        var neg = Enumerable.Range(0, labs.Length).Where(i => labs[i] != PositiveClass).ToArray();
        var pos = Enumerable.Range(0, labs.Length).Where(i => labs[i] == PositiveClass).ToArray();
        int keepPos = (int)Math.Round(positiveFraction / (1 - positiveFraction) * neg.Length);
        var posKeep = rng.Fork("positives").SampleWithoutReplacement(pos.Length, Math.Min(keepPos, pos.Length)).Select(i => pos[i]);
        var rows = neg.Concat(posKeep).ToArray();
        rng.Fork("order").Shuffle(rows);
        int n = rows.Length, p0 = imgs[0].Length;
        var raw = Matrix.Zeros(n, p0); var s = raw.Span;
        for (int j = 0; j < p0; j++) for (int i = 0; i < n; i++) s[j * n + i] = imgs[rows[i]][j] / 255.0;
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

    private static byte[] ReadAll(string path)
    {
        using var f = File.OpenRead(path); using var gz = new GZipStream(f, CompressionMode.Decompress); using var ms = new MemoryStream();
        gz.CopyTo(ms); return ms.ToArray();
    }

    private static int BigEndian(byte[] b, int o) => (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3];

    private static byte[][] ReadImages(string path)
    {
        var b = ReadAll(path);
        if (BigEndian(b, 0) != 2051) throw new InvalidDataException($"FashionMnistStandIn: {path} is not an IDX image file (magic {BigEndian(b, 0)}, expected 2051).");
        int n = BigEndian(b, 4), r = BigEndian(b, 8), c = BigEndian(b, 12), sz = r * c;
        return Enumerable.Range(0, n).Select(i => b.AsSpan(16 + i * sz, sz).ToArray()).ToArray();
    }

    private static byte[] ReadLabels(string path)
    {
        var b = ReadAll(path);
        if (BigEndian(b, 0) != 2049) throw new InvalidDataException($"FashionMnistStandIn: {path} is not an IDX label file (magic {BigEndian(b, 0)}, expected 2049).");
        return b.AsSpan(8, BigEndian(b, 4)).ToArray();
    }
}
