namespace Reproduce.Data;

/// <summary>Which part of Fashion-MNIST to load.</summary>
public enum FashionMnistSplit
{
    /// <summary>The 60,000 training images.</summary>
    Train,
    /// <summary>The 10,000 test images.</summary>
    Test,
    /// <summary>Train then test: all 70,000 images.</summary>
    All,
    /// <summary>The small subset committed under data/fashion-mnist-subset (first 2,000 test images).</summary>
    Subset,
}
