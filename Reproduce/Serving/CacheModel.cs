namespace Reproduce.Serving;

/// <summary>Which prefix cache the simulated server keeps.</summary>
public enum CacheModel
{
    /// <summary>A <see cref="RadixCache"/> of <see cref="SimulationOptions.CacheCapacityTokens"/> tokens with LRU eviction.</summary>
    Radix,

    /// <summary>Only the previous prompt (<see cref="LastPromptCache"/>; theory mode only).</summary>
    LastPrompt,
}
