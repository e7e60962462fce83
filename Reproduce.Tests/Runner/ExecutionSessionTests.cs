using Reproduce.Cli.Engine;
using Reproduce.Figures;

namespace Reproduce.Tests.Runner;

[Collection("Runner")]
public class ExecutionSessionTests
{
    [Fact]
    public async Task StateCarriesAcrossCellsAndLastExpressionIsTheResult()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        var a = await s.ExecuteAsync("int x = 20;", "cell 1");
        Assert.True(a.Succeeded);
        Assert.Empty(a.Outputs);
        var b = await s.ExecuteAsync("x * 2 + 2", "cell 2");
        var d = Assert.IsType<DisplayOutput>(Assert.Single(b.Outputs));
        Assert.True(d.IsResult);
        Assert.Equal(42, d.Value);
    }

    [Fact]
    public async Task ReproduceReferenceBindsToTheRunnersLibrary()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        var r = await s.ExecuteAsync("#r \"somewhere/not/built/Reproduce.dll\"\nnew Reproduce.Figures.Table(\"a\")", "cell 1");
        Assert.True(r.Succeeded, r.Error?.EValue);
        var d = Assert.IsType<DisplayOutput>(Assert.Single(r.Outputs));
        Assert.IsType<Table>(d.Value); // same Type object as the runner's: type identity
    }

    [Fact]
    public async Task OutputsKeepTheirOrder()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        var r = await s.ExecuteAsync("Console.Write(\"a\"); Console.WriteLine(\"b\"); display(1); Console.WriteLine(\"c\"); display(\"s\");", "cell 1");
        Assert.Collection(r.Outputs,
            o => Assert.Equal(new StreamOutput("stdout", "ab\n"), o),
            o => Assert.Equal(1, Assert.IsType<DisplayOutput>(o).Value),
            o => Assert.Equal(new StreamOutput("stdout", "c\n"), o),
            o => Assert.Equal("s", Assert.IsType<DisplayOutput>(o).Value));
    }

    [Fact]
    public async Task FailedCellKeepsEarlierState()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        await s.ExecuteAsync("var y = 5;", "cell 1");
        var bad = await s.ExecuteAsync("throw new InvalidOperationException(\"boom\");", "cell 2");
        Assert.False(bad.Succeeded);
        Assert.Equal("InvalidOperationException", bad.Error!.EName);
        Assert.StartsWith("cell 2, line 1, column 1: boom", bad.Error.EValue);
        var ok = await s.ExecuteAsync("y", "cell 3");
        Assert.Equal(5, Assert.IsType<DisplayOutput>(Assert.Single(ok.Outputs)).Value);
    }

    [Fact]
    public async Task CancellationStopsWaitingAndBreaksTheSession()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var r = await s.ExecuteAsync("System.Threading.Thread.Sleep(5000);", "cell 1", null, cts.Token);
        Assert.False(r.Succeeded);
        Assert.Equal("OperationCanceledException", r.Error!.EName);
        Assert.True(s.IsBroken);
        await Assert.ThrowsAsync<InvalidOperationException>(() => s.ExecuteAsync("1", "cell 2"));
    }

    [Fact]
    public async Task ConsoleIsRestoredAfterACell()
    {
        var before = Console.Out;
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        await s.ExecuteAsync("Console.WriteLine(1);", "cell 1");
        Assert.Same(before, Console.Out);
    }
}
