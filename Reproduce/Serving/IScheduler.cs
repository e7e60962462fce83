namespace Reproduce.Serving;

/// <summary>A non-preemptive queue policy (k-LPM paper §2). At each decision the server asks for
/// the next <c>order.Length</c> queries (indices into <see cref="SchedulerInput.Waiting"/>, distinct)
/// and then reports how many it actually started, which advances stateful policies such as k-LPM.</summary>
public interface IScheduler
{
    /// <summary>Display name, e.g. "FCFS", "k-LPM (k=2)".</summary>
    string Name { get; }

    /// <summary>True when the policy looks at the cache (SGLang's fallback to FCFS applies to it).</summary>
    bool IsCacheAware { get; }

    /// <summary>Writes the service order of the next <c>order.Length</c> queries.</summary>
    void Order(SchedulerInput input, Span<int> order);

    /// <summary>The server started <paramref name="count"/> queries taken from the last order.</summary>
    void Advance(int count);

    /// <summary>The queue ran empty.</summary>
    void Idle();

    /// <summary>Back to the initial state.</summary>
    void Reset();
}
