namespace Reproduce.Experiments;

/// <summary>Thrown when a claim fails and no runner is collecting claims.</summary>
public sealed class ClaimFailedException(Claim claim) : Exception("Claim failed: " + claim)
{
    /// <summary>The failed claim.</summary>
    public Claim Claim { get; } = claim;
}
