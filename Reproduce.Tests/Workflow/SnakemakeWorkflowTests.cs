using System.Text.Json.Nodes;
using Reproduce.Cli.Commands;
using Reproduce.Cli.Workflow;
using Reproduce.Experiments;
using Reproduce.Tests.Kernel;
using Reproduce.Tests.Parts;

namespace Reproduce.Tests.Workflow;

public class SnakemakeWorkflowTests
{
    private static readonly SnakemakeWorkflow.Settings Smoke = new(Scale.Smoke, "cpu", null, 1, false, "/repo");

    [Fact]
    public void OneRulePerFigureIdOfTheRegistry()
    {
        string text = SnakemakeWorkflow.Snakefile(Smoke, ExperimentRegistry.All);
        var rules = text.Split('\n').Where(l => l.StartsWith("rule figure_", StringComparison.Ordinal)).Select(l => l[5..^1]).ToArray();
        Assert.Equal(ExperimentRegistry.All.Select(e => SnakemakeWorkflow.RuleName(e.Id)), rules);
        foreach (var e in ExperimentRegistry.All) Assert.Contains($"output: **figure_outputs(\"{e.Id}\")", text);
        var figures = SnakemakeWorkflow.Config(Smoke, ExperimentRegistry.All)["figures"]!.AsObject();
        Assert.Equal(ExperimentRegistry.All.Select(e => e.Id), figures.Select(kv => kv.Key));
    }

    [Fact]
    public void RuleNamesAreIdentifiersAndDistinct()
    {
        Assert.Equal("figure_logistic_complexity_fig1b", SnakemakeWorkflow.RuleName("logistic-complexity/fig1b"));
        var names = ExperimentRegistry.All.Select(e => SnakemakeWorkflow.RuleName(e.Id)).ToArray();
        Assert.Equal(names.Length, names.Distinct().Count());
    }

    [Fact]
    public void GpuResourceOnlyForCudaAndPaperRuntimeFromTheCommittedReport()
    {
        var cuda = SnakemakeWorkflow.Config(Smoke with { Device = "cuda", Scale = Scale.Paper, RepoRoot = KernelTestEnvironment.RepoRoot }, ExperimentRegistry.All)["figures"]!.AsObject();
        var cpu = SnakemakeWorkflow.Config(Smoke, ExperimentRegistry.All)["figures"]!.AsObject();
        Assert.All(cuda, kv => Assert.Equal(1, kv.Value!["gpu"]!.GetValue<int>()));
        Assert.All(cpu, kv => Assert.Equal(0, kv.Value!["gpu"]!.GetValue<int>()));
        var seconds = SnakemakeWorkflow.PaperSeconds(KernelTestEnvironment.RepoRoot);
        foreach (var (id, sec) in seconds)
            if (cuda.ContainsKey(id)) Assert.Equal(Math.Max(10, (int)Math.Ceiling(2 * sec / 60)), cuda[id]!["runtime"]!.GetValue<int>());
    }

    [Fact]
    public void ReportMergesRecordsAndCheckFailsOnAFailedClaim()
    {
        string dir = KernelTestEnvironment.TempDirectory("records");
        FigureRecord Rec(string id, bool pass) => new()
        {
            Id = id, Title = "t", Scale = "smoke", Device = "cpu (managed)", Seed = 1, Seconds = 1.5, Commit = "abc",
            Claims = [new("holds", "1", "1", true), new("second", "< 2", pass ? "1" : "3", pass)],
            Verdict = "reproduced", Files = [], Notes = [],
        };
        string a = Path.Combine(dir, "a.json"), b = Path.Combine(dir, "b.json"), report = Path.Combine(dir, "figures", "REPORT.md");
        Rec("p/a", true).Write(a);
        Rec("p/b", false).Write(b);
        Assert.Equal("FAIL", FigureRecord.Read(b).Result);
        var (rc, _, _) = Cli("workflow", "report", "--out", report, a, b);
        Assert.Equal(ExitCodes.Ok, rc);
        string md = File.ReadAllText(report);
        Assert.Contains("| (workflow) | p/a | 2/2 | pass | 1.5 | cpu (managed) | abc | reproduced |", md);
        Assert.Contains("| (workflow) | p/b | 1/2 | FAIL |", md);
        var (rcCheck, outCheck, _) = Cli("workflow", "check", a, b);
        Assert.Equal(ExitCodes.Failed, rcCheck);
        Assert.Contains("p/b: second: expected < 2, got 3", outCheck);
        Assert.Equal(ExitCodes.Ok, Cli("workflow", "check", a).Rc);
        File.WriteAllText(b, "{ not json");
        var (rcBad, _, errBad) = Cli("workflow", "check", a, b);
        Assert.Equal(ExitCodes.BadInput, rcBad);
        Assert.Contains("b.json is not a figure record", errBad);
    }

    /// <summary>End to end on Snakemake: the dry run lists one job per figure, a run writes every
    /// declared file, records that parse and a report row per figure, and a second run does nothing.</summary>
    [RequiresFact(Part.Snakemake)]
    public void SnakemakeRunsTheFiguresAndASecondRunDoesNothing()
    {
        string[] ids = ["klpm/bruteforce-optimal", "tour/power-method"];
        string dir = KernelTestEnvironment.TempDirectory("snakemake");
        string config = Path.GetFileName(Path.GetDirectoryName(KernelTestEnvironment.CliDll)!); // the build dotnet test made
        var gen = KernelTestEnvironment.Cli(["workflow", "snakemake", "--scale", "smoke", "--device", "cpu", "--out", dir, "--png", "no", "--configuration", config, "--figures", .. ids]);
        Assert.True(gen.ExitCode == 0, gen.Stdout + gen.Stderr);

        var dry = Snakemake(dir, "-n");
        Assert.Equal(ids.Select(SnakemakeWorkflow.RuleName), JobRows(dry).Where(r => r.Rule.StartsWith("figure_", StringComparison.Ordinal)).Select(r => r.Rule));

        Snakemake(dir, "--cores", "2");
        string md = File.ReadAllText(Path.Combine(dir, "figures", "REPORT.md"));
        foreach (var id in ids)
        {
            foreach (var ext in new[] { "json", "csv", "html" }) Assert.True(File.Exists(Path.Combine(dir, "figures", id + "." + ext)), id + "." + ext);
            Assert.NotNull(JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "figures", id + ".json")))!["data"]);
            var rec = FigureRecord.Read(Path.Combine(dir, "records", id + ".json"));
            Assert.Equal(id, rec.Id);
            Assert.Equal("smoke", rec.Scale);
            Assert.NotEmpty(rec.Claims);
            Assert.Contains($"| (workflow) | {id} | {rec.Claims.Count(c => c.Pass)}/{rec.Claims.Count} | {rec.Result} |", md);
        }
        Assert.True(File.Exists(Path.Combine(dir, "claims-hold")));
        Assert.Contains("Nothing to be done", Snakemake(dir, "-n"));
    }

    private static string Snakemake(string dir, params string[] args)
    {
        var r = KernelTestEnvironment.Run(OptionalParts.OnPath("snakemake")!, args, null, TimeSpan.FromMinutes(10), dir);
        Assert.True(r.ExitCode == 0, $"snakemake {string.Join(' ', args)} exited {r.ExitCode}:\n{r.Stdout}\n{r.Stderr}");
        return r.Stdout + r.Stderr;
    }

    /// <summary>The "Job stats" table of a dry run: (rule, count) rows.</summary>
    private static IEnumerable<(string Rule, int Count)> JobRows(string dryRun)
    {
        bool inTable = false;
        foreach (var line in dryRun.Split('\n'))
        {
            if (line.StartsWith("Job stats", StringComparison.Ordinal)) { inTable = true; continue; }
            if (!inTable) continue;
            var cells = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (cells.Length == 0) break;
            if (cells.Length >= 2 && int.TryParse(cells[1], out int n) && cells[0] != "total") yield return (cells[0], n);
        }
    }

    private static (int Rc, string Out, string Err) Cli(params string[] args)
    {
        var o = new StringWriter(); var e = new StringWriter();
        int rc = CliApp.Run(args, o, e);
        return (rc, o.ToString(), e.ToString());
    }
}
