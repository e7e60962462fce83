namespace Reproduce.Logistic;

/// <summary>A weighted row subset (indices into the data, with multiplicity, and weights) for the weighted loss
/// L̃(β) = Σ_{i∈S} wᵢ softplus(−(Zβ)ᵢ) (Munteanu et al. 2018; Mai, Musco, Rao 2021).</summary>
public sealed record Coreset(string Kind, int[] Indices, double[] Weights);
