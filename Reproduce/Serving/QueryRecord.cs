namespace Reproduce.Serving;

/// <summary>What happened to one query: arrival, start and end of its prefill (the first token),
/// TTFT = finish − arrival, the cached prefix it reused, and its position in the service order.</summary>
public readonly record struct QueryRecord(int Id, double Arrival, double Start, double Finish, int Length, int Matched, int ServiceIndex)
{
    /// <summary>Time to first token (seconds).</summary>
    public double Ttft => Finish - Arrival;
}
