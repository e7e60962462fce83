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
    public async Task DeclarationsOfACellThatThrowsAreKept()
    {
        // As in .NET Interactive: what the cell declared before it threw stays defined.
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        var bad = await s.ExecuteAsync("var kept = 7;\nint Twice(int v) => 2 * v;\nclass Box { public int V = 3; }\nthrow new InvalidOperationException(\"late\");", "cell 1");
        Assert.False(bad.Succeeded);
        Assert.Equal("InvalidOperationException", bad.Error!.EName);
        Assert.StartsWith("cell 1, line 4, column 1: late", bad.Error.EValue);
        var ok = await s.ExecuteAsync("Twice(kept) + new Box().V", "cell 2");
        Assert.True(ok.Succeeded, ok.Error?.EValue);
        Assert.Equal(17, Assert.IsType<DisplayOutput>(Assert.Single(ok.Outputs)).Value);
    }

    [Fact]
    public async Task AMissingReferenceFileSaysWhereItLookedAndTheSessionGoesOn()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        await s.ExecuteAsync("var y = 5;", "cell 1");
        var bad = await s.ExecuteAsync("int z = 1;\n#r \"libs/NoSuch.dll\"\nz", "cell 2");
        Assert.False(bad.Succeeded);
        Assert.Equal("MissingReference", bad.Error!.EName);
        Assert.Contains(Path.Combine(TestPaths.RepoRoot, "libs", "NoSuch.dll"), bad.Error.EValue);
        Assert.Contains("Check the path", bad.Error.EValue);
        Assert.StartsWith("cell 2, line 2, column 1:", bad.Error.Traceback[0]);
        var ok = await s.ExecuteAsync("y + 1", "cell 3");
        Assert.Equal(6, Assert.IsType<DisplayOutput>(Assert.Single(ok.Outputs)).Value);
    }

    [Fact]
    public async Task ClearOutputEmptiesTheCellsOutputsSoFar()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        var live = new List<CellOutput>();
        var r = await s.ExecuteAsync("Console.WriteLine(\"a\"); display(1); clear_output(); Console.WriteLine(\"b\");", "cell 1", null, live.Add);
        Assert.Equal(new StreamOutput("stdout", "b\n"), Assert.Single(r.Outputs));
        Assert.Contains(new ClearOutput(false), live);
        // wait=true: the outputs go when the next one arrives.
        var w = await s.ExecuteAsync("Console.WriteLine(\"c\"); clear_output(wait: true); display(2);", "cell 2");
        Assert.Equal(2, Assert.IsType<DisplayOutput>(Assert.Single(w.Outputs)).Value);
        var end = await s.ExecuteAsync("display(3); clear_output(wait: true);", "cell 3");
        Assert.Equal(3, Assert.IsType<DisplayOutput>(Assert.Single(end.Outputs)).Value);
    }

    [Fact]
    public async Task DotNetInteractiveMagicsRunAndUnknownOnesSayWhatToDo()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        var cs = await s.ExecuteAsync("#!csharp\n1 + 2", "cell 1");
        Assert.Equal(3, Assert.IsType<DisplayOutput>(Assert.Single(cs.Outputs)).Value);

        var timed = await s.ExecuteAsync("#!time\nConsole.WriteLine(\"x\");", "cell 2");
        Assert.Collection(timed.Outputs,
            o => Assert.Equal(new StreamOutput("stdout", "x\n"), o),
            o => Assert.Matches(@"^Wall time: [0-9.]+ms$", Assert.IsType<string>(Assert.IsType<DisplayOutput>(o).Value)));

        var md = await s.ExecuteAsync("#!markdown\n# Title\nSome *text*.", "cell 3");
        Assert.True(md.Succeeded);
        Assert.Equal(new MarkdownText("# Title\nSome *text*."), Assert.IsType<DisplayOutput>(Assert.Single(md.Outputs)).Value);

        var about = await s.ExecuteAsync("#!about", "cell 4");
        // What runs the cell (as .NET Interactive's #!about names its version and runtime), and nothing else runs.
        string aboutText = Assert.IsType<StreamOutput>(Assert.Single(about.Outputs)).Text;
        Assert.StartsWith("Reproduce C# kernel ", aboutText);
        Assert.Contains($" on .NET {Environment.Version} ", aboutText);
        Assert.Contains("#!time", aboutText);

        // Magic lines are blanked, not removed: errors keep the cell's line numbers.
        var thrown = await s.ExecuteAsync("#!time\nthrow new InvalidOperationException(\"late\");", "cell 5");
        Assert.StartsWith("cell 5, line 2, column 1: late", thrown.Error!.EValue);

        var unknown = await s.ExecuteAsync("#!fsharp\nlet x = 1", "cell 6");
        Assert.False(unknown.Succeeded);
        Assert.Equal("UnknownMagicCommand", unknown.Error!.EName);
        Assert.Contains("'#!fsharp'", unknown.Error.EValue);
        Assert.Contains("#!time", unknown.Error.EValue);
        var after = await s.ExecuteAsync("40 + 2", "cell 7");
        Assert.Equal(42, Assert.IsType<DisplayOutput>(Assert.Single(after.Outputs)).Value);
    }

    [Fact]
    public async Task HtmlDisplayExtensionAndUpdatableDisplays()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        var html = await s.ExecuteAsync("HTML(\"<b>bold</b>\")", "cell 1");
        var value = Assert.IsType<DisplayOutput>(Assert.Single(html.Outputs));
        Assert.True(value.IsResult);
        Assert.Equal("<b>bold</b>", DisplayBundle.Of(value.Value)["text/html"]!.GetValue<string>());

        var live = new List<CellOutput>();
        var shown = await s.ExecuteAsync("var d = display(\"one\"); \"two\".Display(); d.Update(\"three\"); d", "cell 2", null, live.Add);
        Assert.True(shown.Succeeded, shown.Error?.EValue);
        // The update replaced the first display in place; the handle as last expression adds nothing.
        Assert.Collection(shown.Outputs,
            o => Assert.Equal("three", Assert.IsType<DisplayOutput>(o).Value),
            o => Assert.Equal("two", Assert.IsType<DisplayOutput>(o).Value));
        var first = Assert.IsType<DisplayOutput>(live[0]);
        Assert.NotNull(first.DisplayId);
        Assert.Equal(new UpdateDisplayOutput("three", first.DisplayId!), live[2]);
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

    [Fact]
    public async Task LiveOutputsArriveAsTheyHappen()
    {
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        var live = new List<CellOutput>();
        var r = await s.ExecuteAsync("Console.Write(\"a\"); Console.Write(\"b\"); display(2); 3", "cell 1", null, live.Add);
        Assert.Equal([new StreamOutput("stdout", "a"), new StreamOutput("stdout", "b")], live.Take(2));
        Assert.Equal(2, Assert.IsType<DisplayOutput>(live[2]).Value);
        Assert.Equal(3, Assert.IsType<DisplayOutput>(live[3]).Value);
        Assert.Equal(3, r.Outputs.Count); // merged "ab", display, result
    }

    [Fact]
    public async Task WithoutRetainedStreamsTheTextGoesOnlyToTheListener()
    {
        // The kernel's mode: printed text is streamed live and not kept a second time in the result.
        using var s = new ExecutionSession(TestPaths.RepoRoot);
        var live = new List<CellOutput>();
        var r = await s.ExecuteAsync("Console.Write(\"a\"); display(2); Console.Write(\"b\"); 3", "cell 1", null, live.Add, retainStreams: false);
        Assert.Equal([new StreamOutput("stdout", "a"), new StreamOutput("stdout", "b")], live.OfType<StreamOutput>());
        Assert.Empty(r.Outputs.OfType<StreamOutput>());
        Assert.Equal([2, 3], r.Outputs.OfType<DisplayOutput>().Select(d => d.Value));
    }
}
