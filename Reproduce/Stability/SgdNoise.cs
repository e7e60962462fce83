namespace Reproduce.Stability;

/// <summary>Validation and noise coefficients shared by the second-moment map, the thresholds and
/// the simulators. Every model's second-moment map is (brief §2.3)
/// T(M) = (I − ηH)M(I − ηH) + η²[α·(1/n)ΣHᵢMHᵢ − β·HMH] with (α, β) from <see cref="Coefficients"/>.</summary>
public static class SgdNoise
{
    /// <summary>(α, β): Bernoulli ((n−B)/(Bn), 0); without replacement (p, p) with
    /// p = (n−B)/(B(n−1)) (p = 0 when n = 1); with replacement (1/B, 1/B).</summary>
    public static (double Alpha, double Beta) Coefficients(int n, int batchSize, SamplingModel model)
    {
        CheckBatch(n, batchSize);
        return model switch
        {
            SamplingModel.Bernoulli => ((n - batchSize) / ((double)batchSize * n), 0.0),
            SamplingModel.WithoutReplacement => n == 1 ? (0.0, 0.0) : Both((n - batchSize) / ((double)batchSize * (n - 1))),
            SamplingModel.WithReplacement => Both(1.0 / batchSize),
            _ => throw new ArgumentOutOfRangeException(nameof(model), model, "Unknown sampling model; use Bernoulli, WithoutReplacement or WithReplacement."),
        };

        static (double, double) Both(double p) => (p, p);
    }

    /// <summary>Throws unless 1 ≤ B ≤ n.</summary>
    public static void CheckBatch(int n, int batchSize)
    {
        if (batchSize < 1 || batchSize > n)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"The batch size B must lie in 1..n = 1..{n}; got {batchSize}.");
    }

    /// <summary>Throws unless η is positive and finite.</summary>
    public static void CheckStepSize(double eta)
    {
        if (!(eta > 0) || !double.IsFinite(eta))
            throw new ArgumentOutOfRangeException(nameof(eta), eta, $"The step size η must be positive and finite; got {eta}.");
    }
}
