namespace Reproduce.Nn;

/// <summary>Learning rate as a function of the 0-based step.</summary>
public static class LrSchedule
{
    /// <summary>Linear warmup to <paramref name="peak"/> over <paramref name="warmupSteps"/> steps
    /// (step s gets peak·(s + 1)/warmup), then cosine decay to <paramref name="minLr"/> at
    /// <paramref name="totalSteps"/>; constant minLr afterwards.</summary>
    public static Func<int, double> WarmupCosine(double peak, int warmupSteps, int totalSteps, double minLr = 0)
    {
        if (warmupSteps < 0 || totalSteps <= warmupSteps) throw new ArgumentException($"Need 0 ≤ warmup ({warmupSteps}) < total steps ({totalSteps}).");
        return s =>
        {
            if (s < warmupSteps) return peak * (s + 1) / warmupSteps;
            double progress = Math.Min(1, (double)(s - warmupSteps) / (totalSteps - warmupSteps));
            return minLr + 0.5 * (peak - minLr) * (1 + Math.Cos(Math.PI * progress));
        };
    }

    /// <summary>A constant rate.</summary>
    public static Func<int, double> Constant(double lr) => _ => lr;
}
