using System.Text.Json.Nodes;
using Reproduce.Cli.Kernel;

namespace Reproduce.Tests.Kernel;

/// <summary>is_complete, complete and inspect answers, computed against the real notebook engine
/// session (variables from earlier cells must be known).</summary>
public class KernelAnalysisTests
{
    [Theory]
    [InlineData("var x = 1;", "complete")]
    [InlineData("1+1", "complete")]
    [InlineData("for (int i = 0; i < 3; i++) {", "incomplete")]
    [InlineData("var s = \"\"\"\nabc", "incomplete")]
    [InlineData("var x = 1; }", "invalid")]
    // An error before the end cannot be fixed by typing more (the review's `x = )` was "incomplete").
    [InlineData("x = )", "invalid")]
    [InlineData("var y = (1 + ;", "invalid")]
    [InlineData("Math.Max(1,", "incomplete")]
    [InlineData("class A {", "incomplete")]
    [InlineData("var s = @\"abc", "incomplete")]
    [InlineData("var t = $@\"a{1}", "incomplete")]
    [InlineData("var u = \"abc", "invalid")] // a regular string cannot continue on the next line
    [InlineData("/* a comment", "incomplete")]
    public void IsComplete_classifies_submissions(string code, string status)
    {
        Assert.Equal(status, KernelAnalysis.IsComplete(code)["status"]!.GetValue<string>());
    }

    [Fact]
    public void Completion_and_inspection_see_earlier_cells_and_library_docs()
    {
        using var executor = new EngineKernelExecutor(Path.GetTempPath());
        var sink = new ListSink();
        var r = executor.Execute("var answerToEverything = 42; var words = new List<string>();", "In [1]", sink, CancellationToken.None);
        Assert.Null(r.Error);
        var analysis = new KernelAnalysis(() => executor);

        Assert.Contains("answerToEverything", Matches(analysis.Complete("answerTo", 8)));
        var member = analysis.Complete("words.", 6);
        Assert.Contains("Add", Matches(member));
        Assert.Contains("Count", Matches(member));
        Assert.Equal(6, member["cursor_start"]!.GetValue<int>());
        var prefixed = analysis.Complete("Math.Sq", 7);
        Assert.Equal(["Sqrt"], Matches(prefixed));
        Assert.Equal(5, prefixed["cursor_start"]!.GetValue<int>());
        Assert.Contains("Reproduce", Matches(analysis.Complete("Repro", 5)));
        // Cursor in code points: the 𝜋 before the cursor is one code point, two UTF-16 units.
        var pi = analysis.Complete("var 𝜋 = 1; words.Cou", 20);
        Assert.Equal(["Count", "CountBy"], Matches(pi));
        Assert.Equal(17, pi["cursor_start"]!.GetValue<int>());

        var sqrt = analysis.Inspect("Math.Sqrt(2)", 7);
        Assert.True(sqrt["found"]!.GetValue<bool>());
        string text = sqrt["data"]!["text/plain"]!.GetValue<string>();
        Assert.Contains("Math.Sqrt(double d)", text);
        Assert.Contains("square root", text);

        var lib = analysis.Inspect("Reproduce.Experiments.RunContext.FromParameters", 40);
        Assert.True(lib["found"]!.GetValue<bool>());
        Assert.Contains("FromParameters(", lib["data"]!["text/plain"]!.GetValue<string>());

        var variable = analysis.Inspect("answerToEverything", 3);
        Assert.Contains("int", variable["data"]!["text/plain"]!.GetValue<string>());
        Assert.False(analysis.Inspect("   ", 1)["found"]!.GetValue<bool>());
        // An unknown name is not found (it used to answer with the error type named after it).
        var unknown = analysis.Inspect("noSuchNameAnywhere", 4);
        Assert.False(unknown["found"]!.GetValue<bool>());
        Assert.Empty(unknown["data"]!.AsObject());
    }

    private static List<string> Matches(JsonObject reply) =>
        reply["matches"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();

    private sealed class ListSink : IKernelOutputSink
    {
        public List<string> Lines { get; } = [];
        public void Stream(string name, string text) => Lines.Add(name + ":" + text);
        public void Display(JsonObject data, JsonObject metadata) => Lines.Add("display");
    }
}
