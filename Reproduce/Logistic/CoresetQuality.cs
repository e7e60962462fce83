using Reproduce.Compute;

namespace Reproduce.Logistic;

/// <summary>Quality of a coreset (Munteanu et al. 2018, §5): the loss ratio L(β̂_S)/L(β*) on the full data of the
/// coreset's minimiser β̂_S (≥ 1 since β* minimises the full loss), and the worst relative error
/// max_β |L̃_S(β) − L(β)|/L(β) over a set of probe directions β.</summary>
public static class CoresetQuality
{
    /// <summary>(loss ratio, worst relative error over probes, coreset fit).</summary>
    public static (double LossRatio, double WorstRelativeError, LogisticRegression.Fit Fit) Evaluate(Matrix z, Coreset s, double fullOptimum, IReadOnlyList<double[]> probes, double l2 = 0)
    {
        ArgumentNullException.ThrowIfNull(z); ArgumentNullException.ThrowIfNull(s); ArgumentNullException.ThrowIfNull(probes);
        var zs = Ops.GatherRows(z, s.Indices);
        var fit = LogisticRegression.Solve(zs, s.Weights, l2, maxIterations: 60);
        double ratio = LogisticLoss.Value(z, fit.Beta, null, l2) / fullOptimum;
        double worst = 0;
        foreach (var b in probes)
        {
            double full = LogisticLoss.Value(z, b), approx = LogisticLoss.Value(zs, b, s.Weights);
            worst = Math.Max(worst, Math.Abs(approx - full) / full);
        }
        return (ratio, worst, fit);
    }
}
