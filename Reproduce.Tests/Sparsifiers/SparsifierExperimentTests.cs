using Reproduce.Experiments;
using Reproduce.Sparsifiers;

namespace Reproduce.Tests.Sparsifiers;

public class SparsifierExperimentTests
{
    private static readonly RunContext Smoke = new(Scale.Smoke, 20241, Reproduce.Compute.Device.Cpu);

    private static void AssertAllPass(FigureResult r)
    {
        Assert.NotEmpty(r.Claims);
        Assert.True(r.AllPass, string.Join("\n", r.Claims.Where(c => !c.Pass)) + "\n" + r.Data.ToMarkdown());
        Assert.True(r.Data.RowCount > 0);
        Assert.NotEmpty(r.Figure.Traces);
        Assert.NotNull(r.Verdict); // every figure carries a verdict written from its numbers
    }

    [Fact] public void U1Smoke() => AssertAllPass(SparsifierExperiments.U1CertificateVsDegree(Smoke));

    [Fact] public void U2Smoke() => AssertAllPass(SparsifierExperiments.U2PsdErrorVsDegree(Smoke));

    [Fact] public void U3Smoke() => AssertAllPass(SparsifierExperiments.U3NonPsd(Smoke));

    [Fact] public void U4Smoke() => AssertAllPass(SparsifierExperiments.U4DeterministicEigenvalues(Smoke));

    [Fact] public void U5Smoke() => AssertAllPass(SparsifierExperiments.U5TimeVersusN(Smoke));

    [Fact] public void U6Smoke() => AssertAllPass(SparsifierExperiments.U6BlockRecovery(Smoke));
}
