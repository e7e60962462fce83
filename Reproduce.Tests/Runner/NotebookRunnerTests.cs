using System.Text.Json.Nodes;
using Reproduce.Cli.Engine;
using Reproduce.Cli.Runner;
using Reproduce.Experiments;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Runner;

[Collection("Runner")]
public class NotebookRunnerTests
{
    private static (NotebookRunResult Result, JsonObject[] Cells, string Out, string Log) Run(string name, Func<RunOptions, RunOptions>? configure = null)
    {
        string outDir = TestPaths.NewTempDir();
        var options = new RunOptions { OutDir = outDir, Device = "cpu", Png = false, RepoRoot = outDir };
        if (configure is not null) options = configure(options);
        var log = new StringWriter();
        var result = new NotebookRunner(options, new PlainReporter(log)).RunAsync(TestPaths.Notebook(name)).GetAwaiter().GetResult();
        JsonObject[] cells = [];
        if (result.OutputPath is not null)
            cells = Notebook.Load(result.OutputPath).Cells.OfType<JsonObject>().ToArray();
        return (result, cells, outDir, log.ToString());
    }

    private static JsonObject CellWithSource(JsonObject[] cells, string fragment) =>
        cells.Single(c => Notebook.Source(c).Contains(fragment, StringComparison.Ordinal));

    private static JsonObject[] Outputs(JsonObject cell) => ((JsonArray)cell["outputs"]!).OfType<JsonObject>().ToArray();

    private static string Text(JsonNode? multiline) => multiline switch
    {
        JsonArray a => string.Concat(a.Select(x => x!.GetValue<string>())),
        JsonValue v => v.GetValue<string>(),
        _ => "",
    };

    [Fact]
    public void StreamsDisplaysResultsAndParameters()
    {
        var (r, cells, outDir, log) = Run("basic.ipynb", o => o with { Seed = 7 });
        Assert.True(r.Status == "ok", log);
        Assert.Equal(0, r.ExitCode);

        // Injected right after the parameters cell, tagged like papermill, with the overrides.
        int p = Array.FindIndex(cells, c => Notebook.HasTag(c, "parameters"));
        Assert.True(Notebook.HasTag(cells[p + 1], NotebookRunner.InjectedTag));
        string injected = Notebook.Source(cells[p + 1]);
        Assert.Contains("var scale = \"smoke\";", injected);
        Assert.Contains("var device = \"cpu\";", injected);
        Assert.Contains("ulong seed = 7;", injected);

        var streams = Outputs(CellWithSource(cells, "to stderr"));
        Assert.Equal(["stdout", "stderr", "stdout"], streams.Select(o => o["name"]!.GetValue<string>()));
        Assert.Equal("scale=smoke device=cpu seed=7\n", Text(streams[0]["text"]));
        Assert.Equal("to stderr\n", Text(streams[1]["text"]));
        Assert.Equal("no newline", Text(streams[2]["text"]));

        var display = Outputs(CellWithSource(cells, "display(t)"));
        Assert.Equal(["display_data", "stream", "execute_result"], display.Select(o => o["output_type"]!.GetValue<string>()));
        var table = (JsonObject)display[0]["data"]!;
        Assert.Equal(["text/html", "text/markdown", "text/plain"], table.Select(kv => kv.Key));
        Assert.Contains("<td>2.5</td>", Text(table["text/html"]));
        Assert.Equal("after display\n", Text(display[1]["text"]));
        Assert.Equal("3", Text(display[2]["data"]!["text/plain"]));
        var resultCell = CellWithSource(cells, "display(t)");
        Assert.Equal(resultCell["execution_count"]!.GetValue<int>(), display[2]["execution_count"]!.GetValue<int>());

        // FigureResult → Plotly JSON + HTML (figure, claims, data) + text; exported with the runner's own types.
        var fr = Outputs(CellWithSource(cells, "new FigureResult"));
        var bundle = (JsonObject)fr.First(o => o["output_type"]!.GetValue<string>() == "execute_result")["data"]!;
        Assert.Equal("scatter", bundle[MimeRenderer.PlotlyMime]!["data"]![0]!["type"]!.GetValue<string>());
        string html = Text(bundle["text/html"]);
        Assert.Contains("Plotly.newPlot", html);
        Assert.Contains("three below four", html);
        Assert.Contains("Claims: 1/1 pass", html);
        Assert.Contains("claims: 1/1 pass", Text(bundle["text/plain"]));
        Assert.Equal(["test/basic"], r.Figures);
        foreach (var ext in new[] { "json", "html", "csv" })
            Assert.True(File.Exists(Path.Combine(outDir, "figures", "test", "basic." + ext)), ext);
        Assert.Equal(1, r.ClaimsPassed);

        Assert.Equal("output dir set\n", Text(Outputs(CellWithSource(cells, "REPRODUCE_OUTPUT_DIR"))[0]["text"]));

        // Execution counts increase over executed cells; the empty cell is not executed; timings recorded.
        var code = cells.Where(c => Notebook.CellType(c) == "code").ToArray();
        var counts = code.Select(c => c["execution_count"]?.GetValue<int>()).ToArray();
        Assert.Equal([1, 2, 3, 4, 5, 6, 7, null], counts);
        Assert.All(code.Take(7), c => Assert.NotNull(c["metadata"]!["execution"]!["shell.execute_reply"]));
        Assert.Equal(7, r.CellSeconds.Count);
    }

    /// <summary>Oracle: Jupyter's nbformat accepts executed notebooks (outputs, errors included) and
    /// writes exactly the bytes we wrote.</summary>
    [RequiresFact(Part.Jupyter)]
    public void NbformatWritesTheSameBytesForExecutedNotebooks()
    {
        var (ok, _, _, _) = Run("basic.ipynb", o => o with { Seed = 7 });
        var (failed, _, _, _) = Run("errors.ipynb", o => o with { ContinueOnError = true });
        Assert.Equal(2, failed.CellErrors);
        foreach (var r in new[] { ok, failed })
            Assert.Equal(PythonNbformat.ValidateAndRewrite(r.OutputPath!), File.ReadAllText(r.OutputPath!));
    }

    [Fact]
    public void CompileErrorNamesCellLineAndColumnAndStopsTheNotebook()
    {
        var (r, cells, _, _) = Run("errors.ipynb");
        Assert.Equal(1, r.ExitCode);
        var err = Outputs(CellWithSource(cells, "a +* 2")).Single();
        Assert.Equal("error", err["output_type"]!.GetValue<string>());
        Assert.Equal("CompilationError", err["ename"]!.GetValue<string>());
        Assert.StartsWith("cell 2, line 2, column 12: error CS", err["evalue"]!.GetValue<string>());
        // Later cells do not run without --continue-on-error.
        var later = CellWithSource(cells, "third cell ran");
        Assert.Null(later["execution_count"]);
        Assert.Empty(Outputs(later));
        Assert.Contains("cell 2, line 2, column 12", r.Message);
    }

    [Fact]
    public void ContinueOnErrorRunsLaterCellsAndRuntimeErrorsHaveLineAndColumn()
    {
        var (r, cells, _, _) = Run("errors.ipynb", o => o with { ContinueOnError = true });
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(2, r.CellErrors);
        var outs = Outputs(CellWithSource(cells, "arr[5]"));
        Assert.Equal("before\n", Text(outs[0]["text"]));
        Assert.Equal("IndexOutOfRangeException", outs[1]["ename"]!.GetValue<string>());
        Assert.StartsWith("cell 3, line 3, column 9:", outs[1]["evalue"]!.GetValue<string>());
        Assert.Equal("third cell ran\n", Text(Outputs(CellWithSource(cells, "third cell ran"))[0]["text"]));
    }

    [Fact]
    public void FailedClaimFailsTheRunButCellsContinue()
    {
        var (r, cells, _, _) = Run("failing-claim.ipynb");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal(0, r.CellErrors);
        Assert.Equal(1, r.ClaimsFailed);
        Assert.Equal(1, r.ClaimsPassed);
        Assert.Contains("two below one", r.Message);
        Assert.Equal("next cell\n", Text(Outputs(CellWithSource(cells, "next cell"))[0]["text"]));
        // Claims are printed into the cell's output too.
        Assert.Contains(Outputs(CellWithSource(cells, "two below one")), o => Text(o["text"]).Contains("[FAIL] two below one", StringComparison.Ordinal));
    }

    [Fact]
    public void TimeoutFailsTheCellAndStops()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var (r, cells, _, _) = Run("timeout.ipynb", o => o with { Timeout = TimeSpan.FromSeconds(1), ContinueOnError = true });
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), $"took {sw.Elapsed}");
        Assert.Equal(1, r.ExitCode);
        var err = Outputs(CellWithSource(cells, "Sleep")).Single();
        Assert.Equal("TimeoutError", err["ename"]!.GetValue<string>());
        Assert.Contains("cell 2", err["evalue"]!.GetValue<string>());
        Assert.Null(CellWithSource(cells, "never")["execution_count"]);
        Assert.Equal("timeout", CellWithSource(cells, "Sleep")["metadata"]!["reproduce"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void MissingReferenceSaysToBuildFirst()
    {
        var (r, cells, _, _) = Run("missing-reference.ipynb");
        Assert.Equal(1, r.ExitCode);
        var err = Outputs(CellWithSource(cells, "Missing.Library.dll")).Single();
        Assert.Equal("MissingReference", err["ename"]!.GetValue<string>());
        Assert.Contains("dotnet build -c Release", err["evalue"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("python-kernel.ipynb", "not C#")]
    [InlineData("malformed.ipynb", "line 7")]
    [InlineData("no-such-notebook.ipynb", "does not exist")]
    public void BadInputIsExitCode2AndWritesNothing(string name, string message)
    {
        var (r, _, outDir, _) = Run(name);
        Assert.Equal(2, r.ExitCode);
        Assert.True(r.BadInput);
        Assert.Contains(message, r.Message);
        Assert.Null(r.OutputPath);
        Assert.Empty(Directory.GetFiles(outDir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task ExecutedNotebookRoundTripsAndInPlaceRefreshesTheInjectedCell()
    {
        string dir = TestPaths.NewTempDir();
        string copy = Path.Combine(dir, "failing-claim.ipynb");
        File.Copy(TestPaths.Notebook("failing-claim.ipynb"), copy);
        var options = new RunOptions { OutDir = dir, Device = "cpu", Png = false, InPlace = true, RepoRoot = dir };
        var runner = new NotebookRunner(options, new PlainReporter(TextWriter.Null));
        await runner.RunAsync(copy);
        string once = File.ReadAllText(copy);
        Assert.Equal(once, Notebook.Parse(once, copy).ToJupyterText());
        await runner.RunAsync(copy);
        var nb = Notebook.Load(copy);
        Assert.Single(nb.Cells.OfType<JsonObject>(), c => Notebook.HasTag(c, NotebookRunner.InjectedTag));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
    }

    [Fact]
    public void PaperScaleWritesFiguresAndReportUnderTheRepoRoot()
    {
        string root = TestPaths.NewTempDir();
        var (r, _, _, log) = Run("basic.ipynb", o => o with { Scale = Scale.Paper, RepoRoot = root });
        Assert.True(r.ExitCode == 0, log);
        Assert.True(File.Exists(Path.Combine(root, "figures", "test", "basic.json")));
        string report = File.ReadAllText(Path.Combine(root, "figures", "REPORT.md"));
        Assert.Contains("| basic.ipynb | test/basic | 1/1 | pass |", report);
    }
}
