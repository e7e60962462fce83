using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

/// <summary>A theory skipped, with the reason, when ../shared/netlib is absent.</summary>
public sealed class NetlibTheoryAttribute : TheoryAttribute
{
    public NetlibTheoryAttribute() { if (NetlibSet.Folder is null) Skip = NetlibSet.MissingReason; }
}

/// <summary>The default LP method on the development half of Netlib: every feasible problem agrees with CLP's
/// reference objective to 1e-6 relative (the target; CLP's file gives 10 significant digits, so the
/// reference itself is good to ~5e-10), every infeasible one is reported Infeasible. Files of 100 KB and more
/// (compressed) are in the Slow category: CI runs them in a separate step
/// (`dotnet test --filter Category=Slow`), the fast step with `Category!=Slow`.</summary>
public class NetlibTests
{
    private const long SlowBytes = 100_000;

    public static TheoryData<string> Small() => Names(false);
    public static TheoryData<string> Large() => Names(true);

    private static TheoryData<string> Names(bool large)
    {
        var d = new TheoryData<string>();
        if (NetlibSet.Folder is null) { d.Add("absent"); return d; }
        foreach (var p in NetlibSet.Problems()) if (p.Bytes >= SlowBytes == large) d.Add(p.Name);
        return d;
    }

    [NetlibTheory]
    [MemberData(nameof(Small))]
    public void SmallProblem(string name) => Check(name);

    [NetlibTheory]
    [Trait("Category", "Slow")]
    [MemberData(nameof(Large))]
    public void LargeProblem(string name) => Check(name);

    private static void Check(string name)
    {
        var p = NetlibSet.Problems().Single(q => q.Name == name);
        var lp = MpsReader.ReadFile(p.Path);
        var r = BoundedIpm.Solve(lp);
        if (p.Infeasible)
        {
            Assert.True(r.Status == LpStatus.Infeasible, $"{name}: expected Infeasible, got {r.Status}: {r.Message}");
            return;
        }
        Assert.True(r.Status == LpStatus.Optimal, $"{name}: expected Optimal, got {r.Status}: {r.Message}");
        double err = NetlibSet.RelativeError(r.Objective, p.Reference);
        Assert.True(err <= 1e-6, $"{name}: objective {r.Objective:R} vs CLP {p.Reference:R}, relative error {err:E2} > 1e-6");
    }
}
