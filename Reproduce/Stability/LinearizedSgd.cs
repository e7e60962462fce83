using Reproduce.Compute;

namespace Reproduce.Stability;

/// <summary>Linearized SGD near an interpolating minimum (arXiv:2401.12332 §2):
/// w ← (I − (η/B)Σ_{i∈batch}Hᵢ)w with dense Hessians. The paper's divergence criterion (brief §2.7):
/// a run diverges when ‖w‖² ≥ 1000·‖w₀‖² (checked after every step; the run stops there).</summary>
public sealed class LinearizedSgd
{
    private readonly double[][] _h; // column-major copies of the Hessians

    /// <summary>Creates the simulator; η must be positive, B in 1..n.</summary>
    public LinearizedSgd(HessianFamily family, double eta, int batchSize, SamplingModel model)
    {
        ArgumentNullException.ThrowIfNull(family);
        SgdNoise.CheckStepSize(eta);
        SgdNoise.CheckBatch(family.N, batchSize);
        Family = family;
        Eta = eta;
        BatchSize = batchSize;
        Model = model;
        _h = family.Hessians.Select(h => h.ToArray()).ToArray();
    }

    /// <summary>The Hessian family.</summary>
    public HessianFamily Family { get; }

    /// <summary>Step size η.</summary>
    public double Eta { get; }

    /// <summary>Batch size B.</summary>
    public int BatchSize { get; }

    /// <summary>Sampling model.</summary>
    public SamplingModel Model { get; }

    /// <summary>One step in place with a given batch.</summary>
    public void Step(Span<double> w, ReadOnlySpan<int> batch)
    {
        int d = Family.D;
        if (w.Length != d) throw new ArgumentException($"w has {w.Length} entries but d = {d}.", nameof(w));
        Span<double> g = d <= 256 ? stackalloc double[d] : new double[d];
        g.Clear();
        foreach (int i in batch)
        {
            var h = _h[i];
            for (int col = 0; col < d; col++)
            {
                double wc = w[col];
                if (wc == 0) continue;
                int off = col * d;
                for (int row = 0; row < d; row++) g[row] += h[off + row] * wc;
            }
        }
        double s = Eta / BatchSize;
        for (int k = 0; k < d; k++) w[k] -= s * g[k];
    }

    /// <summary>Runs up to <paramref name="steps"/> steps from w₀ (modified in place), stopping once
    /// ‖w‖² ≥ <paramref name="divergenceFactor"/>·‖w₀‖².</summary>
    public SgdRun Run(Span<double> w, Rng rng, int steps, double divergenceFactor = 1000)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        var sampler = new BatchSampler(Family.N, BatchSize, Model);
        double n0 = SquaredNorm(w), limit = divergenceFactor * n0;
        double norm = n0;
        for (int t = 1; t <= steps; t++)
        {
            Step(w, sampler.Next(rng));
            norm = SquaredNorm(w);
            if (norm >= limit) return new SgdRun(true, t, norm / n0);
        }
        return new SgdRun(false, steps, norm / n0);
    }

    internal static double SquaredNorm(ReadOnlySpan<double> w)
    {
        double s = 0;
        foreach (double v in w) s += v * v;
        return s;
    }
}
