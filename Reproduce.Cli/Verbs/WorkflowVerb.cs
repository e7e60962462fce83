using System.CommandLine;
using Reproduce.Cli.Commands;
using Reproduce.Cli.Runner;
using Reproduce.Cli.Workflow;
using Reproduce.Experiments;
using Reproduce.Figures;

namespace Reproduce.Cli.Verbs;

/// <summary><c>reproduce workflow snakemake|report|check</c>: the experiment registry as a Snakemake
/// workflow (one job per figure, so paper-scale regeneration fans out over cores or a cluster), and
/// the two steps its final rules run: merging result records into REPORT.md and failing on a failed claim.</summary>
public sealed class WorkflowVerb : ICliVerb
{
    /// <inheritdoc />
    public Command Build()
    {
        var cmd = new Command("workflow", "Regenerate figures on a workflow engine: 'workflow snakemake' writes a Snakefile with one job per figure id.");
        cmd.Add(Snakemake());
        cmd.Add(Report());
        cmd.Add(Check());
        return cmd;
    }

    private static Command Snakemake()
    {
        var scale = CommonOptions.Scale();
        var device = CommonOptions.Device();
        var seed = CommonOptions.Seed();
        var outDir = new Option<string>("--out") { Description = "Folder for Snakefile, config.json and profiles/slurm/; figures land in <out>/figures/<paper>/, records in <out>/records/.", Required = true };
        var threads = new Option<int>("--threads") { Description = "Threads per figure job (default 1: Snakemake's --cores then sets how many figures run at once).", DefaultValueFactory = _ => 1 };
        var png = new Option<string>("--png") { Description = "yes: PNG is a declared output (a job on a node without Chromium fails); no: PNG is written where Chromium exists but not required; auto (default): yes when Chromium and plotly.js are installed here.", DefaultValueFactory = _ => "auto" };
        png.AcceptOnlyFromAmong("auto", "yes", "no");
        var figures = new Option<string[]>("--figures") { Description = "Only these figure ids or paper prefixes (default: every figure of the registry).", AllowMultipleArgumentsPerToken = true };
        var configuration = new Option<string>("--configuration") { Description = "The build the jobs run: release (default, what ./reproduce uses) or debug (what dotnet test builds).", DefaultValueFactory = _ => "release" };
        configuration.AcceptOnlyFromAmong("release", "debug");
        var cmd = new Command("snakemake", "Write <out>/Snakefile (one rule per figure id), <out>/config.json and a Slurm profile; then run 'snakemake --cores N' in <out>.")
        {
            scale, device, seed, outDir, threads, png, figures, configuration,
        };
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output; // the caller's writer (tests run in-process)
            int t = parse.GetValue(threads);
            if (t < 1) throw new UsageException($"--threads {t}: a job needs at least one thread.");
            string root = RepoLocator.FindRoot(Environment.CurrentDirectory)
                ?? throw new UsageException("reproduce workflow must run inside the repository (Reproduce.sln not found above " + Environment.CurrentDirectory + "): the jobs build and run its code.");
            string dir = Path.GetFullPath(parse.GetValue(outDir)!);
            CommonOptions.CheckWritable(dir, "--out");
            var selected = Select(parse.GetValue(figures));
            bool withPng = parse.GetValue(png) switch
            {
                "yes" => true,
                "no" => false,
                _ => ChromiumPng.Executable is not null,
            };
            var settings = new SnakemakeWorkflow.Settings(ScaleNames.Parse(parse.GetValue(scale)!), parse.GetValue(device)!, parse.GetValue(seed), t, withPng, root, parse.GetValue(configuration)!);
            foreach (var f in SnakemakeWorkflow.Write(dir, settings, selected)) output.WriteLine("wrote " + f);
            output.WriteLine($"{selected.Count} figure jobs. Run: cd {dir} && snakemake --cores 2   (dry run: snakemake -n)");
            if (!withPng) output.WriteLine("PNG is not a declared output (" + (parse.GetValue(png) == "no" ? "--png no" : "Chromium is not installed here") + ").");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>The registry entries named by <paramref name="ids"/> (ids or paper prefixes), or all.</summary>
    internal static IReadOnlyList<ExperimentRegistry.Entry> Select(string[]? ids)
    {
        if (ids is null || ids.Length == 0) return ExperimentRegistry.All;
        var picked = new List<ExperimentRegistry.Entry>();
        foreach (var id in ids)
        {
            var byPaper = ExperimentRegistry.All.Where(e => e.Id.StartsWith(id.TrimEnd('/') + "/", StringComparison.Ordinal)).ToArray();
            if (byPaper.Length > 0) { picked.AddRange(byPaper); continue; }
            try { picked.Add(ExperimentRegistry.Find(id)); }
            catch (KeyNotFoundException e) { throw new UsageException("--figures: " + e.Message); }
        }
        return picked.DistinctBy(e => e.Id).OrderBy(e => e.Id, StringComparer.Ordinal).ToArray();
    }

    private static Command Report()
    {
        var outFile = new Option<string>("--out") { Description = "The report to write (figures/REPORT.md of the workflow folder).", Required = true };
        var records = new Argument<string[]>("records") { Description = "Figure records written by 'reproduce figure ID --record FILE'.", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("report", "Merge figure records into a REPORT.md table (one row per figure: claims, result, seconds, device, commit, verdict).") { outFile, records };
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output; // the caller's writer (tests run in-process)
            string path = parse.GetValue(outFile)!;
            var rows = ReadAll(parse.GetValue(records)!);
            string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (dir is not null) Directory.CreateDirectory(dir);
            foreach (var r in rows) FigureReport.Upsert(path, r.ToReportRow("(workflow)"));
            output.WriteLine($"wrote {path}: {rows.Count} figures, {rows.Count(r => r.Result == "pass")} with every claim holding.");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Check()
    {
        var records = new Argument<string[]>("records") { Description = "Figure records written by 'reproduce figure ID --record FILE'.", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("check", "Exit 1 when any figure record has a failed claim (listing them), else 0.") { records };
        cmd.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output; // the caller's writer (tests run in-process)
            var rows = ReadAll(parse.GetValue(records)!);
            var failed = rows.Where(r => r.Result != "pass").ToArray();
            foreach (var r in failed)
                foreach (var c in r.Claims.Where(c => !c.Pass))
                    output.WriteLine($"✘ {r.Id}: {c.Name}: expected {c.Expected}, got {c.Actual}");
            output.WriteLine($"{rows.Count - failed.Length}/{rows.Count} figures with every claim holding.");
            return failed.Length == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return cmd;
    }

    private static List<FigureRecord> ReadAll(string[] paths)
    {
        try { return paths.Select(FigureRecord.Read).ToList(); }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException) { throw new UsageException(e.Message); }
    }
}
