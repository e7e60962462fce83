namespace Reproduce.Stability;

/// <summary>How linearized SGD draws its mini-batch each step (arXiv:2401.12332 §2; brief §2.2).</summary>
public enum SamplingModel
{
    /// <summary>The paper's theory model: each sample is in the batch independently with probability B/n
    /// (batch size random with mean B); the update always divides by B.</summary>
    Bernoulli,

    /// <summary>The paper's experiments: B distinct indices drawn uniformly without replacement.</summary>
    WithoutReplacement,

    /// <summary>B indices drawn independently and uniformly (with replacement).</summary>
    WithReplacement,
}
