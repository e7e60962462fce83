using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Reproduce.Cli.Kernel;

namespace Reproduce.Tests.Kernel;

/// <summary>The loop rewrite that makes cells interruptible keeps line numbers and compiles.</summary>
public class InterruptibleCodeTests
{
    private const string Flag = "Reproduce.Kernel.Interrupt.test";

    [Fact]
    public void Every_loop_body_gets_the_check_and_lines_are_kept()
    {
        string code = """
            #r "nuget-free.dll"
            using System.Threading;
            int n = 0;
            while (n < 3) n++;
            for (int i = 0; i < 2; i++)
                n += i;
            foreach (var (a, b) in new[] { (1, 2) }) { n += a + b; }
            do { n--; } while (n > 100);
            Func<int> f = () => { foreach (var x in new[] { 1 }) n += x; return n; };
            n
            """;
        string rewritten = InterruptibleCode.Rewrite(code, Flag);
        Assert.Equal(code.Split('\n').Length, rewritten.Split('\n').Length);
        Assert.Equal(5, CountOf(rewritten, Flag)); // while, for, foreach, do, and the foreach in the lambda
        Assert.StartsWith("#r \"nuget-free.dll\"", rewritten);
        var tree = CSharpSyntaxTree.ParseText(rewritten, new CSharpParseOptions(LanguageVersion.Preview, kind: SourceCodeKind.Script));
        Assert.DoesNotContain(tree.GetDiagnostics(), d => d.Severity == DiagnosticSeverity.Error);
        // Each line holds the same code as before once the checks (and the braces added around
        // single-statement bodies) are taken out.
        string check = rewritten.Split('\n')[3];
        check = check[check.IndexOf("if (", StringComparison.Ordinal)..(check.IndexOf("interrupted.\");", StringComparison.Ordinal) + "interrupted.\");".Length)];
        var before = code.Split('\n');
        var after = rewritten.Split('\n');
        for (int i = 0; i < before.Length; i++)
            Assert.Equal(Squash(before[i]), Squash(after[i].Replace(check, "", StringComparison.Ordinal)));
    }

    [Fact]
    public void Code_with_syntax_errors_is_left_alone()
    {
        string code = "while (true) { \nint x = ;";
        Assert.Equal(code, InterruptibleCode.Rewrite(code, Flag));
    }

    [Fact]
    public void Raising_the_flag_stops_a_rewritten_loop()
    {
        string flag = InterruptibleCode.NewFlag();
        string code = InterruptibleCode.Rewrite("long n = 0; while (true) { n++; } n", flag);
        AssertRaisingStops(code, flag);
    }

    /// <summary>Runs the rewritten cell, raises its flag and expects it to stop with OperationCanceledException. The
    /// script runs on a thread of its own: on a loaded 2-core CI machine the thread pool was starved for longer than the
    /// old 20 s bound (the cell had not started, rather than failed to stop), and compiling it takes seconds there. A cell
    /// that never stops still fails, after 120 s.</summary>
    private static void AssertRaisingStops(string code, string flag)
    {
        var run = Task.Factory.StartNew(() => Microsoft.CodeAnalysis.CSharp.Scripting.CSharpScript.Create<object>(code).RunAsync().GetAwaiter().GetResult(),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Thread.Sleep(300);
        Assert.False(run.IsCompleted);
        InterruptibleCode.Raise(flag);
        var e = Assert.ThrowsAny<Exception>(() => run.Wait(TimeSpan.FromSeconds(120)));
        Assert.IsType<OperationCanceledException>(e.GetBaseException(), exactMatch: false);
    }

    [Fact]
    public async Task Goto_loops_stop_too_and_switch_gotos_keep_their_meaning()
    {
        // `l: goto l;` has no loop statement; the review found it spinning on after an interrupt.
        string flag = InterruptibleCode.NewFlag();
        string code = InterruptibleCode.Rewrite("long n = 0;\nl: n++; goto l;", flag);
        Assert.Equal(2, code.Split('\n').Length);
        Assert.Equal(1, CountOf(code, flag));
        AssertRaisingStops(code, flag);

        // goto case / goto default inside a switch still jump where they did.
        string sw = InterruptibleCode.Rewrite("int k = 1, s = 0; switch (k) { case 1: s += 1; goto case 2; case 2: s += 10; goto default; default: s += 100; break; } s", InterruptibleCode.NewFlag());
        Assert.Equal(2, CountOf(sw, "Reproduce.Kernel.Interrupt."));
        Assert.Equal(111, await Microsoft.CodeAnalysis.CSharp.Scripting.CSharpScript.EvaluateAsync<int>(sw));
    }

    private static string Squash(string line) => string.Concat(line.Where(c => !char.IsWhiteSpace(c) && c != '{' && c != '}'));

    private static int CountOf(string s, string what)
    {
        int n = 0;
        for (int i = s.IndexOf(what, StringComparison.Ordinal); i >= 0; i = s.IndexOf(what, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }
}
