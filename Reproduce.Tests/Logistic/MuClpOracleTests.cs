using Reproduce.Compute;
using Reproduce.Logistic;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Logistic;

public class MuClpOracleTests
{
    [RequiresFact(Part.Clp)]
    public void LadLpByClpMatchesTheBoundedIpm()
    {
        var z = SyntheticLogistic.Generate(300, 6, new Rng(41)).Z();
        var clp = Reproduce.LinearProgramming.ClpSolver.Solve(MuLinearPrograms.Lad(z, splitFree: true));
        Assert.Equal(Reproduce.LinearProgramming.LpStatus.Optimal, clp.Status);
        double s = clp.Objective, mu = (s + 1) / (s - 1);
        Assert.True(Math.Abs(mu - Mu.Lad(z).Value) <= 1e-7 * mu, $"CLP μ {mu} vs LAD IPM {Mu.Lad(z).Value}");
    }
}
