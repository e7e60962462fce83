namespace Reproduce.Experiments;

/// <summary>How a figure's run compares with what its paper states.</summary>
public enum ReproductionStatus
{
    /// <summary>The measured numbers agree with the paper's statement within the stated tolerance.</summary>
    Reproduced,

    /// <summary>Some of the paper's statement is met and some is not (the verdict says which).</summary>
    Partly,

    /// <summary>The measured numbers do not support the paper's statement (the verdict gives the evidence).</summary>
    NotReproduced,

    /// <summary>The paper has no figure or number here; the run demonstrates a property the brief proposes.</summary>
    Demonstration,
}
