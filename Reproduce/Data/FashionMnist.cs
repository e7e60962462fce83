using Reproduce.Compute;

namespace Reproduce.Data;

/// <summary>Fashion-MNIST (Xiao, Rasul and Vollgraf 2017, Zalando Research, MIT licence): 70,000
/// grey-scale 28×28 images of clothing in 10 classes. Read from the IDX files of Debian's
/// <c>dataset-fashion-mnist</c> package (/usr/share/datasets/fashion-mnist) or, for
/// <see cref="FashionMnistSplit.Subset"/>, from the 2,000-image subset committed under
/// data/fashion-mnist-subset. Pixels are scaled to [0, 1]; each image is one row of 784 values
/// in row-major pixel order.</summary>
public static class FashionMnist
{
    /// <summary>Image height and width in pixels.</summary>
    public const int Side = 28;

    /// <summary>Pixels per image (784).</summary>
    public const int Pixels = Side * Side;

    /// <summary>Where Debian installs the files; REPRODUCE_FASHION_MNIST_DIR overrides.</summary>
    public const string DebianDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Class names in label order.</summary>
    public static readonly string[] ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The directory holding the full dataset's IDX files.</summary>
    public static string FullDirectory =>
        Environment.GetEnvironmentVariable("REPRODUCE_FASHION_MNIST_DIR") is { Length: > 0 } d ? d : DebianDirectory;

    /// <summary>True when the full dataset's four IDX files are present.</summary>
    public static bool IsInstalled =>
        new[] { "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" }
            .All(f => FindFile(FullDirectory, f) is not null);

    /// <summary>Loads a split as a <see cref="LabeledDataset"/> with an n×784 float64 matrix of
    /// pixels in [0, 1] and labels 0..9. <paramref name="maxCount"/> keeps only the first images.
    /// The full splits need the Debian package; the error says so when it is missing.</summary>
    public static LabeledDataset Load(FashionMnistSplit split, int? maxCount = null)
    {
        if (maxCount is < 1) throw new ArgumentOutOfRangeException(nameof(maxCount), maxCount, "maxCount must be at least 1 (or null for the whole split).");
        switch (split)
        {
            case FashionMnistSplit.Train: return LoadPair(FullDirectory, "train", maxCount, "Fashion-MNIST train");
            case FashionMnistSplit.Test: return LoadPair(FullDirectory, "t10k", maxCount, "Fashion-MNIST test");
            case FashionMnistSplit.Subset:
                return LoadPair(SubsetDirectory(), "subset", maxCount, "Fashion-MNIST committed subset (first 2,000 test images)");
            case FashionMnistSplit.All:
                var train = LoadPair(FullDirectory, "train", maxCount, "Fashion-MNIST train");
                if (maxCount is int m && m <= train.Count) return train;
                var test = LoadPair(FullDirectory, "t10k", maxCount is int m2 ? m2 - train.Count : null, "Fashion-MNIST test");
                return Concat(train, test, "Fashion-MNIST train+test");
            default:
                throw new ArgumentOutOfRangeException(nameof(split), split, "Use Train, Test, All or Subset.");
        }
    }

    /// <summary>The full split when the Debian package is installed, else the committed subset
    /// (with <see cref="LabeledDataset.Source"/> saying which was used).</summary>
    public static LabeledDataset LoadOrSubset(FashionMnistSplit split, int? maxCount = null) =>
        IsInstalled ? Load(split, maxCount) : Load(FashionMnistSplit.Subset, maxCount);

    /// <summary>Finds data/fashion-mnist-subset: REPRODUCE_DATA_DIR, else the first ancestor of
    /// the working directory or of this assembly that has data/fashion-mnist-subset.</summary>
    public static string SubsetDirectory()
    {
        if (Environment.GetEnvironmentVariable("REPRODUCE_DATA_DIR") is { Length: > 0 } env)
            return Path.Combine(env, "fashion-mnist-subset");
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "data", "fashion-mnist-subset");
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        throw new DirectoryNotFoundException(
            "The committed Fashion-MNIST subset (data/fashion-mnist-subset) was not found above the working directory or the library. " +
            "Run from inside the repository or set REPRODUCE_DATA_DIR to its data/ folder.");
    }

    private static LabeledDataset LoadPair(string dir, string prefix, int? maxCount, string source)
    {
        var imagesPath = FindFile(dir, prefix + "-images-idx3-ubyte");
        var labelsPath = FindFile(dir, prefix + "-labels-idx1-ubyte");
        if (imagesPath is null || labelsPath is null)
            throw new FileNotFoundException(
                $"Fashion-MNIST files '{prefix}-images-idx3-ubyte(.gz)' and '{prefix}-labels-idx1-ubyte(.gz)' were not found in '{dir}'. " +
                "Install the Debian package (sudo apt-get install dataset-fashion-mnist), set REPRODUCE_FASHION_MNIST_DIR to a folder " +
                "holding the IDX files, or use FashionMnistSplit.Subset (the committed 2,000-image subset).");
        var images = IdxFile.Read(imagesPath, maxCount);
        var labels = IdxFile.Read(labelsPath, maxCount);
        if (images.Dimensions.Length != 3 || images.Dimensions[1] != Side || images.Dimensions[2] != Side)
            throw new InvalidDataException($"'{imagesPath}' has shape {string.Join("×", images.Dimensions)}; expected n×28×28.");
        if (labels.Dimensions.Length != 1 || labels.Dimensions[0] != images.Dimensions[0])
            throw new InvalidDataException($"'{labelsPath}' holds {labels.Dimensions[0]} labels but '{imagesPath}' holds {images.Dimensions[0]} images.");
        int n = images.Dimensions[0];
        var m = Matrix.Zeros(n, Pixels);
        var span = m.Span;
        var px = images.Data;
        for (int i = 0; i < n; i++)
            for (int p = 0; p < Pixels; p++)
                span[i + p * n] = px[i * Pixels + p] / 255.0;
        var y = new int[n];
        for (int i = 0; i < n; i++)
        {
            y[i] = labels.Data[i];
            if (y[i] > 9) throw new InvalidDataException($"'{labelsPath}' has label {y[i]} at index {i}; Fashion-MNIST labels are 0..9.");
        }
        return new LabeledDataset(m, y, source);
    }

    private static string? FindFile(string dir, string stem)
    {
        foreach (var name in new[] { stem + ".gz", stem })
        {
            var p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    private static LabeledDataset Concat(LabeledDataset a, LabeledDataset b, string source)
    {
        int n = a.Count + b.Count, d = a.Dimension;
        var m = Matrix.Zeros(n, d);
        var s = m.Span;
        var sa = a.Points.Span;
        var sb = b.Points.Span;
        for (int j = 0; j < d; j++)
        {
            sa.Slice(j * a.Count, a.Count).CopyTo(s.Slice(j * n, a.Count));
            sb.Slice(j * b.Count, b.Count).CopyTo(s.Slice(j * n + a.Count, b.Count));
        }
        return new LabeledDataset(m, [.. a.Labels, .. b.Labels], source);
    }
}
