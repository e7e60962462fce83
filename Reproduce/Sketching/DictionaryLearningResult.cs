using Reproduce.Compute;

namespace Reproduce.Sketching;

/// <summary>An r-sparse dictionary learning solution: codes U (n×k, ≤ r nonzeros a row; every
/// point's code is output), dictionary V (k×d), and the objective after each half-step
/// (index 2t: after the coding step of iteration t; 2t+1: after its dictionary step), measured on
/// the data the alternation ran on.</summary>
public sealed record DictionaryLearningResult(Matrix Codes, Matrix Dictionary, IReadOnlyList<double> HalfStepCosts)
{
    /// <summary>Final objective ‖A − UV‖_F² on the data it was fitted to.</summary>
    public double Cost => HalfStepCosts[^1];

    /// <summary>Completed iterations.</summary>
    public int Iterations => HalfStepCosts.Count / 2;
}
