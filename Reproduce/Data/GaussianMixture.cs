using Reproduce.Compute;

namespace Reproduce.Data;

/// <summary>Synthetic k-means data [proposal, paper brief §5]: k centres drawn from N(0, c²·I_d),
/// each point = its centre + N(0, I_d) noise, equal cluster sizes (point i belongs to component
/// i mod k, so any prefix is balanced). The separation c controls how well the clusters separate:
/// the expected squared distance between two centres is 2c²d against 2d between two points of
/// one cluster.</summary>
public static class GaussianMixture
{
    /// <summary>Draws n points in R^d from a k-component mixture with centre scale
    /// <paramref name="separation"/> = c. Labels are the generating components.</summary>
    public static LabeledDataset Generate(int n, int d, int k, double separation, Rng rng)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "Need at least one point (n >= 1).");
        if (d < 1) throw new ArgumentOutOfRangeException(nameof(d), d, "Dimension d must be at least 1.");
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"Need 1 <= k <= n = {n} components.");
        if (!(separation >= 0) || double.IsInfinity(separation))
            throw new ArgumentOutOfRangeException(nameof(separation), separation, "Separation c must be a finite non-negative number.");
        var centres = rng.Fork("centres").NormalMatrix(k, d);
        var noise = rng.Fork("noise");
        var m = Matrix.Zeros(n, d);
        var s = m.Span;
        var c = centres.Span;
        var labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % k;
        for (int j = 0; j < d; j++)
            for (int i = 0; i < n; i++)
                s[i + j * n] = separation * c[labels[i] + j * k] + noise.Normal();
        return new LabeledDataset(m, labels, $"Gaussian mixture n={n}, d={d}, k={k}, c={separation}");
    }
}
