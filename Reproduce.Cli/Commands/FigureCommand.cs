using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Reproduce.Cli.Runner;
using Reproduce.Cli.Workflow;
using Reproduce.Experiments;
using Reproduce.Figures;

namespace Reproduce.Cli.Commands;

/// <summary><c>reproduce figure &lt;id&gt;…</c>: runs experiment methods directly, one after another in one process,
/// exports their files and prints their claims. Several ids share the process's caches: the compression figures
/// train their teacher once, not once per figure.</summary>
public static class FigureCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build(TextWriter output, TextWriter error)
    {
        var id = new Argument<string[]>("id") { Description = "Figure ids '<paper>/<figure>' (see 'reproduce list'); several run one after another in one process, sharing what their experiments cache (a trained teacher, say).", Arity = ArgumentArity.OneOrMore };
        var scale = CommonOptions.Scale();
        var device = CommonOptions.Device();
        var seed = CommonOptions.Seed();
        var outDir = new Option<string?>("--out") { Description = "Root folder for the figure files (<out>/<paper>/<figure>.*). Default: figures/ of the repository at paper scale, out/figures at smoke scale." };
        var record = new Option<string?>("--record") { Description = "Also write the figure's result record (JSON: claims, pass/fail, seconds, device, commit, verdict, files) to this file, or with several ids into this folder as <paper>__<figure>.json; a workflow's report merge reads these (see 'reproduce workflow'). With it, figures/REPORT.md is left to the merge." };
        var checkpoints = new Option<string?>("--checkpoints") { Description = "Folder where long figures keep what they finished (a trained teacher, each student's numbers): run the same command again with the same folder and build, and a run that was stopped resumes where it stopped. Default: $REPRODUCE_CHECKPOINTS, else none kept." };
        var cmd = new Command("figure", "Regenerate figures by running their experiment methods directly; exports JSON, HTML, CSV (and PNG with Chromium) and prints the claims. Exit 1 if a claim fails.")
        {
            id, scale, device, seed, outDir, record, checkpoints,
        };
        cmd.SetAction(parse =>
        {
            var entries = new List<ExperimentRegistry.Entry>();
            try
            {
                foreach (var i in parse.GetValue(id)!) entries.Add(ExperimentRegistry.Find(i));
            }
            catch (KeyNotFoundException e)
            {
                throw new UsageException(e.Message);
            }
            if (entries.Select(e => e.Id).Distinct().Count() < entries.Count) throw new UsageException("a figure id is given twice: give each once.");
            string deviceName = parse.GetValue(device)!;
            CommonOptions.CheckDevice(deviceName);
            var sc = ScaleNames.Parse(parse.GetValue(scale)!);
            string root = RepoLocator.FindRoot(Environment.CurrentDirectory) ?? Environment.CurrentDirectory;
            string target = Path.GetFullPath(parse.GetValue(outDir) ?? (sc == Scale.Paper ? Path.Combine(root, "figures") : Path.Combine("out", "figures")));
            CommonOptions.CheckWritable(target, "--out");
            string? checkpointDir = parse.GetValue(checkpoints);
            if (checkpointDir is not null) CommonOptions.CheckWritable(Path.GetFullPath(checkpointDir), "--checkpoints");
            string? recordPath = parse.GetValue(record);
            if (recordPath is not null && entries.Count > 1) Directory.CreateDirectory(recordPath);
            int exit = ExitCodes.Ok;
            foreach (var entry in entries)
            {
                string? rec = recordPath is null ? null : entries.Count == 1 ? recordPath : Path.Combine(recordPath, entry.Id.Replace("/", "__", StringComparison.Ordinal) + ".json");
                int code = RunOne(entry, sc, root, target, deviceName, parse.GetValue(seed), rec, checkpointDir);
                if (code != ExitCodes.Ok) exit = code;
            }
            return exit;
        });
        return cmd;

        // One figure: run, export, record, print; the exit code of its claims.
        int RunOne(ExperimentRegistry.Entry entry, Scale sc, string root, string target, string deviceName, ulong? seedValue, string? recordPath, string? checkpointDir)
        {
            var ctx = new RunContext(sc, seedValue ?? 20241, Reproduce.Compute.Device.Parse(deviceName), target)
            {
                Progress = new Progress<string>(m => output.WriteLine("  " + m)),
            };
            if (checkpointDir is not null) ctx = ctx.WithCheckpoints(Path.GetFullPath(checkpointDir));
            var sink = new ClaimSink();
            sink.Collected += c => output.WriteLine("  " + c);
            output.WriteLine($"▶ {entry.Id}: {entry.Title} ({sc.ToString().ToLowerInvariant()} scale, device {ctx.Device})");
            var sw = Stopwatch.StartNew();
            FigureResult result;
            using (sink.Activate())
            {
                try
                {
                    result = entry.Run(ctx);
                }
                catch (Exception e) when (e is not UsageException)
                {
                    error.WriteLine($"error: {entry.Id} threw {e.GetType().Name}: {e.Message}");
                    return ExitCodes.Failed;
                }
            }
            sw.Stop();
            bool committed = target == Path.GetFullPath(Path.Combine(root, "figures"));
            string caption = string.Join("\n", result.Claims.Select(c => c.ToString())) + (result.Verdict is null ? "" : "\n" + result.Verdict);
            // Paper-scale files are meant for figures/ even when written elsewhere first (a GPU machine's
            // output folder): they load the one shared plotly.js rather than inlining 4.6 MB each.
            var files = FigureWriter.Write(result.Figure, result.Data, target, caption, sharedPlotly: committed || sc == Scale.Paper);
            foreach (var f in files.Written) output.WriteLine("  wrote " + Path.GetRelativePath(Environment.CurrentDirectory, f));
            foreach (var n in files.Notes.Distinct()) output.WriteLine("  " + n);
            if (recordPath is not null)
            {
                using var self = Process.GetCurrentProcess();
                new FigureRecord
                {
                    Id = result.Id,
                    Title = entry.Title,
                    Scale = sc.ToString().ToLowerInvariant(),
                    Device = ctx.Device.ToString(),
                    Seed = ctx.Seed,
                    Seconds = sw.Elapsed.TotalSeconds,
                    Commit = GitInfo.Commit(root),
                    Claims = result.Claims.Select(c => new FigureRecord.ClaimRow(c.Name, c.Expected, c.Actual, c.Pass)).ToArray(),
                    Verdict = result.Verdict?.Label ?? "none",
                    VerdictText = result.Verdict?.ToString(),
                    Files = files.Written.Select(f => Path.GetRelativePath(Environment.CurrentDirectory, f)).ToArray(),
                    Notes = files.Notes.Distinct().ToArray(),
                    PeakMemoryMb = Math.Round(self.PeakWorkingSet64 / 1048576.0, 1),
                }.Write(recordPath);
                output.WriteLine("  wrote record " + recordPath);
            }
            // Parallel workflow jobs would race on REPORT.md: with --record, the merge writes it.
            if (sc == Scale.Paper && committed && recordPath is null)
                FigureReport.Upsert(Path.Combine(target, "REPORT.md"), new FigureReport.Row("(reproduce figure)", result.Id,
                    result.Claims.Count(c => c.Pass), result.Claims.Count, sw.Elapsed.TotalSeconds, ctx.Device.ToString(), GitInfo.Commit(root),
                    result.Verdict?.Label ?? "none"));
            if (result.Verdict is not null) output.WriteLine("  " + result.Verdict);
            var claims = sink.Claims;
            int failed = claims.Count(c => !c.Pass);
            output.WriteLine($"{(failed == 0 ? "✔" : "✘")} {entry.Id}: claims {claims.Count - failed}/{claims.Count} pass, {sw.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        }
    }
}
