using Reproduce.Compute;

namespace Reproduce.Stability;

/// <summary>Linearized SGD on the Figure-1 <see cref="AxisAlignedFamily"/> in O(B) per step (brief §2.7):
/// an axis hit by c batch entries scales by (1 − ηmc/B)
/// (c shared samples for axis 0, the multiplicity of a private index otherwise). Same batches, same result as the dense
/// <see cref="LinearizedSgd"/> for the same random stream.</summary>
public sealed class AxisAlignedSgd
{
    /// <summary>Creates the simulator; η must be positive, B in 1..n.</summary>
    public AxisAlignedSgd(AxisAlignedFamily family, double eta, int batchSize, SamplingModel model)
    {
        ArgumentNullException.ThrowIfNull(family);
        SgdNoise.CheckStepSize(eta);
        SgdNoise.CheckBatch(family.N, batchSize);
        Family = family;
        Eta = eta;
        BatchSize = batchSize;
        Model = model;
    }

    /// <summary>The family.</summary>
    public AxisAlignedFamily Family { get; }

    /// <summary>Step size η.</summary>
    public double Eta { get; }

    /// <summary>Batch size B.</summary>
    public int BatchSize { get; }

    /// <summary>Sampling model.</summary>
    public SamplingModel Model { get; }

    /// <summary>Runs up to <paramref name="steps"/> steps from w₀ (length n − σ + 1, modified in place),
    /// stopping once ‖w‖² ≥ <paramref name="divergenceFactor"/>·‖w₀‖². ‖w‖² is updated incrementally
    /// and recomputed exactly every 64 steps.</summary>
    public SgdRun Run(Span<double> w, Rng rng, int steps, double divergenceFactor = 1000)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (w.Length != Family.D) throw new ArgumentException($"w has {w.Length} entries but d = n − σ + 1 = {Family.D}.", nameof(w));
        var sampler = new BatchSampler(Family.N, BatchSize, Model);
        double step = Eta * Family.M / BatchSize;
        double n0 = LinearizedSgd.SquaredNorm(w), limit = divergenceFactor * n0, norm = n0;
        var counts = new int[Family.D];
        var touched = new int[BatchSize + Family.N];
        for (int t = 1; t <= steps; t++)
        {
            var batch = sampler.Next(rng);
            int nTouched = 0;
            foreach (int i in batch)
            {
                int a = Family.Axis(i);
                if (counts[a]++ == 0) touched[nTouched++] = a;
            }
            for (int k = 0; k < nTouched; k++)
            {
                int a = touched[k];
                double old = w[a], nw = old * (1 - step * counts[a]);
                counts[a] = 0;
                w[a] = nw;
                norm += nw * nw - old * old;
            }
            if ((t & 63) == 0) norm = LinearizedSgd.SquaredNorm(w);
            if (norm >= limit)
            {
                norm = LinearizedSgd.SquaredNorm(w);
                if (norm >= limit) return new SgdRun(true, t, norm / n0);
            }
        }
        norm = LinearizedSgd.SquaredNorm(w);
        return new SgdRun(false, steps, norm / n0);
    }
}
