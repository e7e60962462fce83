using Reproduce.Compute;

namespace Reproduce.LinearProgramming;

/// <summary>ℓ1-regularised SVM LPs (Chowdhury et al. 2022, §6; brief §2.7) in the authors' code's standard form:
/// min 1ᵀθ⁺ + 1ᵀθ⁻ s.t. −YXθ⁺ + YXθ⁻ − y b₀ = −1, θ±, b₀ ≥ 0, i.e. A = [−YX, YX, −y] (m × (2N+1)),
/// b = −1_m, c = [1_{2N}; 0]: the margin constraints are equalities (no slacks) and the bias is one nonnegative
/// variable, as in the code. Features X and labels y = sign(Xθ* + noise) come from seeded synthetic generators.</summary>
public static class SvmLpGenerator
{
    /// <summary>The size (m samples, N features) of a data set shape at paper scale.</summary>
    public static (int M, int N) PaperSize(SvmDataset d) => d switch
    {
        SvmDataset.Arcene => (100, 10_000),
        SvmDataset.Dexter => (300, 20_000),
        SvmDataset.DrivFace => (606, 6_400),
        SvmDataset.GeneRna => (801, 20_531),
        _ => throw new ArgumentException($"Unknown data set {d}.", nameof(d)),
    };

    /// <summary>Builds the LP for m samples and N features of the given shape. Labels: θ* has density 0.2 with N(0,1)
    /// entries; y = sign(Xθ* + N(0, σ²)) with σ = 45 as in the authors' generator scaled by √(N/1000) when N differs
    /// (so the label noise keeps the same relative size).</summary>
    public static StandardFormLp Generate(SvmDataset shape, int m, int features, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (m < 2 || features < 1) throw new ArgumentException($"SvmLpGenerator: need m ≥ 2 samples and N ≥ 1 features, got m = {m}, N = {features}.", nameof(m));
        if (2 * features + 1 < m) throw new ArgumentException($"SvmLpGenerator: 2N + 1 = {2 * features + 1} < m = {m}; the LP is meant to be wide (m ≪ n).", nameof(features));
        var xr = rng.Fork("features"); var lr = rng.Fork("labels");
        bool sparse = shape == SvmDataset.Dexter;
        // Feature matrix X (m×N), row-major list of (col, value) per sample.
        var rows = new List<(int Col, double Value)>[m];
        for (int i = 0; i < m; i++)
        {
            rows[i] = [];
            for (int j = 0; j < features; j++)
            {
                double v;
                switch (shape)
                {
                    case SvmDataset.Dexter:
                        if (xr.Uniform() >= 0.005) continue;
                        v = 1 + Math.Floor(xr.Exponential(0.5)); break;
                    case SvmDataset.GeneRna: v = Math.Exp(xr.Normal()); break;
                    default: v = xr.Normal(); break;
                }
                rows[i].Add((j, v));
            }
            if (sparse && rows[i].Count == 0) rows[i].Add((xr.NextInt(features), 1));
        }
        var theta = new double[features];
        for (int j = 0; j < features; j++) theta[j] = lr.Uniform() < 0.2 ? lr.Normal() : 0;
        double noise = 45 * Math.Sqrt(features / 1000.0) * (shape == SvmDataset.Dexter ? 0.1 : 1);
        var y = new double[m];
        for (int i = 0; i < m; i++)
        {
            double t = lr.Normal(0, noise);
            foreach (var (j, v) in rows[i]) t += v * theta[j];
            y[i] = t >= 0 ? 1 : -1;
        }
        int n = 2 * features + 1;
        var b = Enumerable.Repeat(-1.0, m).ToArray();
        var c = new double[n];
        for (int j = 0; j < 2 * features; j++) c[j] = 1;
        ConstraintMatrix a;
        if (sparse)
        {
            var trip = new List<(int, int, double)>();
            for (int i = 0; i < m; i++)
            {
                foreach (var (j, v) in rows[i]) { trip.Add((i, j, -y[i] * v)); trip.Add((i, features + j, y[i] * v)); }
                trip.Add((i, 2 * features, -y[i]));
            }
            a = new ConstraintMatrix(SparseMatrix.FromTriplets(m, n, trip));
        }
        else
        {
            var data = new double[(long)m * n > int.MaxValue ? throw new ArgumentException($"SvmLpGenerator: dense {m}×{n} is too large for one array.", nameof(m)) : m * n];
            for (int i = 0; i < m; i++)
            {
                foreach (var (j, v) in rows[i]) { data[j * m + i] = -y[i] * v; data[(features + j) * m + i] = y[i] * v; }
                data[2 * features * m + i] = -y[i];
            }
            a = new ConstraintMatrix(Matrix.FromColumnMajor(m, n, data));
        }
        return new StandardFormLp(a, b, c, 0, $"svm-{shape}-{m}x{features}".ToLowerInvariant());
    }
}
