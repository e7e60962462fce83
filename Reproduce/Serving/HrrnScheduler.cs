namespace Reproduce.Serving;

/// <summary>Highest response ratio next (an aging baseline, as in newer SGLang): serve the query
/// maximising (waiting time + s) / s, where s is its prefill time given its current cache hit.
/// Fully cached queries (s = 0) go first; ties go to the oldest.</summary>
public sealed class HrrnScheduler : IScheduler
{
    /// <inheritdoc />
    public string Name => "HRRN";

    /// <inheritdoc />
    public bool IsCacheAware => true;

    /// <inheritdoc />
    public void Order(SchedulerInput input, Span<int> order)
    {
        FcfsScheduler.CheckLength(input, order);
        int n = input.Waiting.Count;
        var ratio = new double[n];
        for (int i = 0; i < n; i++)
        {
            var q = input.Waiting[i];
            double s = input.Cost.Seconds(q.Length, input.Matched(i));
            ratio[i] = s <= 0 ? double.PositiveInfinity : (input.Now - q.Arrival + s) / s;
        }
        var sorted = Enumerable.Range(0, n).OrderByDescending(i => ratio[i]).ThenBy(i => i).Take(order.Length).ToArray();
        sorted.CopyTo(order);
    }

    /// <inheritdoc />
    public void Advance(int count) { }

    /// <inheritdoc />
    public void Idle() { }

    /// <inheritdoc />
    public void Reset() { }
}
