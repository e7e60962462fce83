using System.Text.Json;
using Reproduce.Cli.Verbs;
using Reproduce.Compute;
using Reproduce.LinearProgramming;

namespace Reproduce.Tests.LinearProgramming;

[Collection("Console")]
public class LpVerbTests
{
    [Fact]
    public void SolvePrintsJsonWithStatusObjectiveAndResiduals()
    {
        var p = RandomLpGenerator.GeneralForm(6, 9, new Rng(4));
        var path = Path.Combine(Path.GetTempPath(), $"reproduce-lpverb-{Environment.ProcessId}.mps");
        MpsWriter.WriteFile(p, path);
        var reference = InteriorPointSolver.Solve(p);
        var old = Console.Out;
        var sw = new StringWriter();
        int code;
        try
        {
            Console.SetOut(sw);
            code = new LpVerb().Build().Parse(["solve", path, "--json", "--method", "mehrotra"]).Invoke();
        }
        finally { Console.SetOut(old); File.Delete(path); }
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(sw.ToString());
        Assert.Equal("Optimal", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(reference.Objective, doc.RootElement.GetProperty("objective").GetDouble(), 8);
        Assert.True(doc.RootElement.GetProperty("primalResidual").GetDouble() <= 1e-8);
        Assert.True(doc.RootElement.GetProperty("iterations").GetInt32() > 0);
    }

    [Fact]
    public void BadFileAndBadMethodExitWithUsageCode()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reproduce-lpverb-bad-{Environment.ProcessId}.mps");
        File.WriteAllText(path, "NAME X\nROWS\n N OBJ\n E R1\nCOLUMNS\n X R1 zz\nENDATA\n");
        var err = new StringWriter(); var old = Console.Error;
        try
        {
            Console.SetError(err);
            Assert.Equal(2, new LpVerb().Build().Parse(["solve", path]).Invoke());
            Assert.Equal(2, new LpVerb().Build().Parse(["solve", path, "--method", "simplex"]).Invoke());
        }
        finally { Console.SetError(old); File.Delete(path); }
        Assert.Contains("line 6", err.ToString());
    }
}
