using Reproduce.Compute;

namespace Reproduce.Sketching;

/// <summary>Output of the sketched k-means pipeline: every point's label (computed from AG
/// alone), the centres (decoded from SA, or exact centroids of A when no left sketch was used),
/// and the Lloyd cost on the sketched points AG.</summary>
public sealed record SketchedKMeansResult(int[] Labels, Matrix Centres, double SketchCost)
{
    /// <summary>Cost of the labels and centres on the original data A: ‖A − UV‖_F².</summary>
    public double CostOn(Matrix a) => KMeans.Cost(a, Labels, Centres);
}
