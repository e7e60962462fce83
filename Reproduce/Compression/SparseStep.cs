namespace Reproduce.Compression;

/// <summary>The exact-H pruner used for the sparse step of HASSLE-free.</summary>
public enum SparseStep
{
    /// <summary>SparseGPT (OBS sweep with error feedback).</summary>
    SparseGpt,

    /// <summary>ALPS (ADMM + PCG), initial ρ = 0.1·(5t + 1) at iteration t as released.</summary>
    Alps,
}
