namespace Reproduce.LinearProgramming;

/// <summary>Distribution of the sketching matrix W (n×w) in A D W.</summary>
public enum SketchKind
{
    /// <summary>Entries N(0, 1/w) (the paper's experiments).</summary>
    Gaussian,
    /// <summary>One ±1 per row of W at a uniform column (Clarkson–Woodruff).</summary>
    CountSketch,
    /// <summary>s entries ±1/√s per row of W at distinct uniform columns (Cohen 2016 sparse embedding).</summary>
    SparseSign,
}
