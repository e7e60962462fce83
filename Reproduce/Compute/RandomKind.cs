namespace Reproduce.Compute;

/// <summary>The distributions of the counter-based random fills (<see cref="Philox"/>,
/// <see cref="IBackend.FillRandom"/>, <see cref="Ops.RandomNormal(int, int, Rng, Device?, DType)"/>).
/// The numeric value is also the domain tag in word 2 of the Philox counter, so the three kinds
/// drawn under one key are independent streams, and it is the kind code the CUDA kernel takes.</summary>
public enum RandomKind
{
    /// <summary>Standard normal N(0, 1) by Box–Muller.</summary>
    Normal = 0,
    /// <summary>Uniform on [0, 1).</summary>
    Uniform = 1,
    /// <summary>Rademacher: −1 or +1 with probability ½ each.</summary>
    Rademacher = 2,
}
