namespace Reproduce.Sketching;

/// <summary>How <see cref="SparseCoder"/> picks each point's support.</summary>
public enum SparseCodingMethod
{
    /// <summary>Exhaustive for r ≤ 3, OMP beyond.</summary>
    Auto,
    /// <summary>Best of all supports of size ≤ r (exact; C(k, r) small solves per point).</summary>
    Exhaustive,
    /// <summary>Orthogonal matching pursuit (greedy, r steps).</summary>
    Omp,
}
