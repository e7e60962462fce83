namespace Reproduce.Serving;

/// <summary>One query of the stream Q = ((xᵢ, tᵢ)) of the k-LPM paper (arXiv 2502.04677, §2):
/// prompt tokens xᵢ, arrival time tᵢ (seconds), a prefix-group id (user or Definition-4 group, for
/// reporting only) and the number of output tokens (1 for ranking-like workloads; decode is only
/// simulated by the batched server).</summary>
public sealed record Query(int Id, double Arrival, int[] Tokens, int Group = 0, int OutputTokens = 1)
{
    /// <summary>Prompt length |xᵢ| in tokens.</summary>
    public int Length => Tokens.Length;
}
