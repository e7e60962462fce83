using Reproduce.Compute;

namespace Reproduce.Sketching;

/// <summary>A k-means solution: every point's label (the assignment the paper requires as output),
/// the k×d centres, the cost Σᵢ‖aᵢ − c_{a(i)}‖² on the data it was fitted to, the Lloyd iterations
/// of the winning restart, and which restart won.</summary>
public sealed record KMeansResult(int[] Labels, Matrix Centres, double Cost, int Iterations, int BestRestart)
{
    /// <summary>Number of clusters k.</summary>
    public int K => Centres.Rows;
}
