using Reproduce.Compute;

namespace Reproduce.Training;

/// <summary>Hutchinson's trace estimator: tr(H) = E[zᵀHz] for z with independent Rademacher (±1)
/// entries. For symmetric H one probe has variance 2Σ_{i≠j}H²ᵢⱼ (zero for a diagonal H), so the
/// mean of p probes has standard error √(that/p), estimated here from the probes' spread.</summary>
public static class HutchinsonTrace
{
    /// <summary>The mean of <paramref name="probes"/> ≥ 2 values zᵀHz and its standard error.</summary>
    public static HutchinsonResult Estimate(HvpFunction apply, int dimension, int probes, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(apply);
        ArgumentNullException.ThrowIfNull(rng);
        if (dimension < 1) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The dimension must be at least 1.");
        if (probes < 2) throw new ArgumentOutOfRangeException(nameof(probes), probes, "Hutchinson needs at least 2 probes (for a standard error).");
        var z = new double[dimension]; var hz = new double[dimension];
        var samples = new double[probes];
        for (int p = 0; p < probes; p++)
        {
            for (int i = 0; i < dimension; i++) z[i] = rng.Rademacher();
            apply(z, hz);
            samples[p] = FlatVector.Dot(z, hz);
        }
        double mean = samples.Average();
        double var = samples.Sum(s => (s - mean) * (s - mean)) / (probes - 1);
        return new HutchinsonResult(mean, Math.Sqrt(var / probes), probes);
    }
}

/// <summary>Hutchinson's estimate of tr(H), its standard error and the number of probes.</summary>
public sealed record HutchinsonResult(double Trace, double StandardError, int Probes);
