namespace Reproduce.Training;

/// <summary>A training loss over a fixed set of examples, seen as a function of a flat parameter
/// vector w (brief §2.3): L_S(w) = (1/|S|) Σ_{i∈S} ℓᵢ(w) for any subset S of the examples, with its
/// gradient. SGD, SAM, mSAM and the flatness measures all work through this one callback, so they
/// share code and can be checked on closed-form objectives (quadratics) as well as on an MLP.</summary>
public interface IBatchObjective
{
    /// <summary>Length of w.</summary>
    int ParameterCount { get; }

    /// <summary>Number of examples; valid indices are 0..ExampleCount−1.</summary>
    int ExampleCount { get; }

    /// <summary>Returns L_S(w) for S = <paramref name="examples"/> (the mean over the examples) and
    /// writes ∇L_S(w) into <paramref name="gradient"/>. Must not keep references to its arguments.</summary>
    double LossAndGradient(ReadOnlySpan<double> w, ReadOnlySpan<int> examples, Span<double> gradient);
}
