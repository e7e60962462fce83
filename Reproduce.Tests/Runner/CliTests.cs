using Reproduce.Cli.Commands;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Runner;

[Collection("Runner")]
public class CliTests
{
    private static (int Code, string Out, string Err) Cli(params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = CliApp.Run(args, o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void VersionShowsRuntimeBackendAndCommit()
    {
        var (code, output, _) = Cli("--version");
        Assert.Equal(0, code);
        Assert.Contains("reproduce ", output);
        Assert.Contains(".NET", output);
        Assert.Contains("cpu backend:", output);
        Assert.Contains("git commit:", output);
    }

    [Fact]
    public void HelpListsTheCommands()
    {
        var (code, output, _) = Cli("--help");
        Assert.Equal(0, code);
        foreach (var verb in new[] { "run", "list", "figure", "export" }) Assert.Contains(verb, output);
    }

    [Theory]
    [InlineData(new[] { "run", "--scale", "huge" }, "huge")]
    [InlineData(new[] { "run", "--device", "tpu" }, "tpu")]
    [InlineData(new[] { "run", "--bogus" }, "--bogus")]
    [InlineData(new[] { "run", "no-such-notebook.ipynb" }, "Unknown notebook 'no-such-notebook.ipynb'")]
    [InlineData(new[] { "figure", "nope/nothing" }, "Unknown figure id 'nope/nothing'")]
    [InlineData(new[] { "run", "--timeout", "-3", "00-tour" }, "--timeout")]
    [InlineData(new string[0], "no command")]
    public void BadUsageIsExitCode2WithAMessage(string[] args, string message)
    {
        var (code, _, err) = Cli(args);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
    }

    [WithoutCudaFact]
    public void CudaWhereThereIsNoneIsBadInput()
    {
        var (code, _, err) = Cli("run", "--device", "cuda", TestPaths.Notebook("basic.ipynb"), "--out", TestPaths.NewTempDir());
        Assert.Equal(2, code);
        Assert.Contains("--device cuda", err);
    }

    [Fact]
    public void UnwritableOutputFolderIsBadInput()
    {
        string file = Path.Combine(TestPaths.NewTempDir(), "a-file");
        File.WriteAllText(file, "x");
        var (code, _, err) = Cli("run", TestPaths.Notebook("basic.ipynb"), "--out", Path.Combine(file, "sub"));
        Assert.Equal(2, code);
        Assert.Contains("not writable", err);
    }

    [Theory]
    [InlineData("python-kernel.ipynb", 2)]
    [InlineData("malformed.ipynb", 2)]
    [InlineData("failing-claim.ipynb", 1)]
    [InlineData("errors.ipynb", 1)]
    public void RunExitCodes(string notebook, int expected)
    {
        var (code, output, _) = Cli("run", TestPaths.Notebook(notebook), "--out", TestPaths.NewTempDir(), "--device", "cpu", "--quiet");
        Assert.Equal(expected, code);
        Assert.Contains("notebook", output); // the summary table
    }

    [Fact]
    public void ListShowsNotebooksAndFigureIds()
    {
        var (code, output, _) = Cli("list");
        Assert.Equal(0, code);
        Assert.Contains("notebooks/00-tour.ipynb", output);
        Assert.Contains("tour/power-method", output);
    }

    [Fact]
    public void FigureRunsOneExperimentAndExportsIt()
    {
        string dir = TestPaths.NewTempDir();
        var (code, output, err) = Cli("figure", "tour/power-method", "--out", dir, "--device", "cpu");
        Assert.True(code == 0, output + err);
        Assert.Contains("[pass]", output);
        Assert.True(File.Exists(Path.Combine(dir, "tour", "power-method.json")));
        Assert.True(File.Exists(Path.Combine(dir, "tour", "power-method.csv")));
    }

    [Fact]
    public void FigureRunsSeveralIdsInOneProcessWithARecordEach()
    {
        string dir = TestPaths.NewTempDir(), records = Path.Combine(TestPaths.NewTempDir(), "records");
        var (code, output, err) = Cli("figure", "tour/power-method", "klpm/bruteforce-optimal", "--out", dir, "--device", "cpu", "--record", records);
        Assert.True(code == 0, output + err);
        Assert.Contains("▶ tour/power-method", output);
        Assert.Contains("▶ klpm/bruteforce-optimal", output);
        foreach (var id in new[] { "tour/power-method", "klpm/bruteforce-optimal" })
        {
            Assert.True(File.Exists(Path.Combine(dir, id + ".json")), id);
            Assert.Contains($"\"{id}\"", File.ReadAllText(Path.Combine(records, id.Replace("/", "__") + ".json")));
        }
    }

    [Fact]
    public void FigureWithAnIdTwiceIsBadUsageAndRunsNothing()
    {
        string dir = TestPaths.NewTempDir();
        var (code, output, err) = Cli("figure", "tour/power-method", "tour/power-method", "--out", dir);
        Assert.Equal(2, code);
        Assert.Contains("given twice", err);
        Assert.DoesNotContain("▶", output);
    }

    [Fact]
    public void ExportWithoutAFormatIsBadUsage()
    {
        var (code, _, err) = Cli("export", TestPaths.NewTempDir());
        Assert.Equal(2, code);
        Assert.Contains("--png", err);
    }

    [Fact]
    public void EveryDiscoveredVerbIsACommand()
    {
        var root = CliApp.Build(TextWriter.Null, TextWriter.Null);
        foreach (var verb in CliApp.DiscoverVerbs())
            Assert.Contains(root.Subcommands, c => c.Name == verb.Build().Name);
        Assert.Contains(root.Subcommands, c => c.Name == "run");
    }
}
