namespace Reproduce.Serving;

/// <summary>First come, first served: the oldest waiting query first. Optimal for maximum TTFT
/// without prefix reuse (k-LPM paper §3); k-LPM with k = 1.</summary>
public sealed class FcfsScheduler : IScheduler
{
    /// <inheritdoc />
    public string Name => "FCFS";

    /// <inheritdoc />
    public bool IsCacheAware => false;

    /// <inheritdoc />
    public void Order(SchedulerInput input, Span<int> order)
    {
        CheckLength(input, order);
        for (int i = 0; i < order.Length; i++) order[i] = i;
    }

    /// <inheritdoc />
    public void Advance(int count) { }

    /// <inheritdoc />
    public void Idle() { }

    /// <inheritdoc />
    public void Reset() { }

    internal static void CheckLength(SchedulerInput input, Span<int> order)
    {
        if (order.Length > input.Waiting.Count)
            throw new ArgumentException($"Asked to order {order.Length} queries but only {input.Waiting.Count} are waiting.", nameof(order));
    }
}
