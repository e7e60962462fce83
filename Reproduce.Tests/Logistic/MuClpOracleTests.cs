using Reproduce.Compute;
using Reproduce.Logistic;

namespace Reproduce.Tests.Logistic;

public class MuClpOracleTests
{
    [Fact]
    public void LadLpByClpMatchesTheBoundedIpm()
    {
        if (!Reproduce.LinearProgramming.ClpSolver.IsAvailable) return;
        var z = SyntheticLogistic.Generate(300, 6, new Rng(41)).Z();
        var clp = Reproduce.LinearProgramming.ClpSolver.Solve(MuLinearPrograms.Lad(z, splitFree: true));
        Assert.Equal(Reproduce.LinearProgramming.LpStatus.Optimal, clp.Status);
        double s = clp.Objective, mu = (s + 1) / (s - 1);
        Assert.True(Math.Abs(mu - Mu.Lad(z).Value) <= 1e-7 * mu, $"CLP μ {mu} vs LAD IPM {Mu.Lad(z).Value}");
    }
}
