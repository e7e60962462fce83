using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>An unattainable tolerance must end in a stall report with the best iterate, not a 200-iteration wander
/// that hands back whatever point came last.</summary>
public class IpmStallTests
{
    [Fact]
    public void UnattainableToleranceStopsAsStalledWithTheBestIterate()
    {
        var lp = SvmLpGenerator.Generate(SvmDataset.GeneRna, 40, 400, new Rng(7));
        var o = new IpmOptions { Tolerance = 1e-15, MaxIterations = 200 };
        var r = InteriorPointSolver.Solve(lp, o);
        Assert.NotEqual(LpStatus.Optimal, r.Status);
        Assert.True(r.Iterations < o.MaxIterations, $"expected a stall stop before the cap, ran {r.Iterations}: {r.Message}");
        Assert.Contains("best iterate", r.Message);
        // The returned point is the best one seen: as good as a solve to an attainable tolerance.
        var ok = InteriorPointSolver.Solve(lp, new IpmOptions { Tolerance = 1e-8 });
        Assert.Equal(LpStatus.Optimal, ok.Status);
        Assert.True(r.PrimalResidual <= 1e-8 && r.DualResidual <= 1e-8 && r.Gap <= 1e-8, $"best iterate: {r.Message}");
        Assert.Equal(ok.Objective, r.Objective, 6);
    }
}
