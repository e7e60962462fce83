using Reproduce.Compute;

namespace Reproduce.Logistic;

/// <summary>The synthetic generator of Fig. 1a (Dexter et al. 2024, §4): xᵢ ~ N(0, I_d), a unit-norm β₀
/// (the paper says "arbitrary"; we draw β₀ = g/‖g‖₂, g ~ N(0, I_d), from the stream "beta"), and
/// yᵢ = sign(β₀ᵀxᵢ − εᵢ), εᵢ ~ N(0, 1) (p(yᵢ|xᵢ) = 1/(1 + exp(−β₀ᵀxᵢ + ε)) &gt; ½). No intercept.</summary>
public static class SyntheticLogistic
{
    /// <summary>Draws n rows in d dimensions; <paramref name="noise"/> = 0 gives data separable through the origin by β₀.</summary>
    public static LogisticData Generate(int n, int d, Rng rng, double noise = 1, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (n < 1 || d < 1) throw new ArgumentException($"SyntheticLogistic.Generate: n = {n}, d = {d}; both must be positive.", nameof(n));
        if (!(noise >= 0)) throw new ArgumentException($"SyntheticLogistic.Generate: noise = {noise}; it must be ≥ 0.", nameof(noise));
        var b = new double[d];
        var rb = rng.Fork("beta"); rb.FillNormal(b);
        double nb = Math.Sqrt(b.Sum(v => v * v));
        for (int j = 0; j < d; j++) b[j] /= nb;
        var x = rng.Fork("x").NormalMatrix(n, d);
        var eps = rng.Fork("eps");
        var xb = Ops.MatVec(x, Matrix.Vector(b)).ToArray();
        var y = new double[n];
        for (int i = 0; i < n; i++) y[i] = xb[i] - noise * eps.Normal() > 0 ? 1 : -1;
        return LogisticData.Create(x, y, device);
    }

    /// <summary>The unit β₀ that <see cref="Generate"/> draws for this <paramref name="rng"/> and d.</summary>
    public static double[] TrueBeta(int d, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var b = new double[d]; rng.Fork("beta").FillNormal(b);
        double nb = Math.Sqrt(b.Sum(v => v * v));
        return b.Select(v => v / nb).ToArray();
    }
}
