using System.CommandLine;
using System.Globalization;
using Reproduce.Cli.Runner;
using Reproduce.Experiments;
using Spectre.Console;

namespace Reproduce.Cli.Commands;

/// <summary><c>reproduce run [paths...]</c>: executes notebooks headlessly and checks their claims.</summary>
public static class RunCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build(TextWriter output, TextWriter error)
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Notebooks (.ipynb) or folders of notebooks. Default: every notebooks/*.ipynb in name order.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var scale = CommonOptions.Scale();
        var device = CommonOptions.Device();
        var seed = CommonOptions.Seed();
        var outDir = new Option<string>("--out") { Description = "Folder for executed notebooks (and smoke-scale figures under <out>/figures/).", DefaultValueFactory = _ => "out" };
        var timeout = new Option<double?>("--timeout") { Description = "Per-cell time limit in seconds (a cell running longer fails the run)." };
        var inPlace = new Option<bool>("--in-place") { Description = "Write executed notebooks over the originals (to commit paper-scale outputs)." };
        var keepGoing = new Option<bool>("--continue-on-error") { Description = "Run a notebook's remaining cells after a cell fails (the run still fails)." };
        var quiet = new Option<bool>("--quiet") { Description = "Only notebook lines, claims and the summary (no per-cell lines)." };

        var cmd = new Command("run", "Execute notebooks (C# cells, one Roslyn session per notebook), write them with outputs, export figures, check claims.\n" +
                                     "Exit code 0: all cells ran and all claims held; 1: a cell failed or a claim did not hold; 2: bad usage or input.")
        {
            paths, scale, device, seed, outDir, timeout, inPlace, keepGoing, quiet,
        };
        cmd.SetAction(parse =>
        {
            string root = RepoLocator.FindRoot(Environment.CurrentDirectory) ?? Environment.CurrentDirectory;
            var notebooks = Resolve(parse.GetValue(paths) ?? [], root);
            string deviceName = parse.GetValue(device)!;
            CommonOptions.CheckDevice(deviceName);
            double? t = parse.GetValue(timeout);
            if (t is <= 0) throw new UsageException($"--timeout must be a positive number of seconds, got {t.Value.ToString(CultureInfo.InvariantCulture)}.");
            string outFull = Path.GetFullPath(parse.GetValue(outDir)!);
            CommonOptions.CheckWritable(outFull, "--out");

            var options = new RunOptions
            {
                Scale = ScaleNames.Parse(parse.GetValue(scale)!),
                Device = deviceName,
                Seed = parse.GetValue(seed),
                OutDir = outFull,
                Timeout = t is { } s ? TimeSpan.FromSeconds(s) : null,
                InPlace = parse.GetValue(inPlace),
                ContinueOnError = parse.GetValue(keepGoing),
                RepoRoot = root,
            };
            if (options.Scale == Scale.Paper) CommonOptions.CheckWritable(Path.Combine(root, "figures"), "figures/");
            bool verbose = !parse.GetValue(quiet);
            var results = new List<NotebookRunResult>();
            if (Summary.Plain(output))
            {
                var runner = new NotebookRunner(options, new PlainReporter(output, verbose));
                foreach (var nb in notebooks) results.Add(runner.RunAsync(nb).GetAwaiter().GetResult());
            }
            else
            {
                // The console is bound to the real stdout now, before cells swap Console.Out.
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
                console.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                    .Start(ctx =>
                    {
                        var runner = new NotebookRunner(options, new SpectreReporter(console, ctx, verbose));
                        foreach (var nb in notebooks) results.Add(runner.RunAsync(nb).GetAwaiter().GetResult());
                    });
            }
            Summary.Write(output, results);
            return results.Any(r => r.ExitCode == ExitCodes.BadInput) ? ExitCodes.BadInput
                 : results.Any(r => r.ExitCode != 0) ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>Expands the given paths (files or folders) to notebook files; unknown ones are a usage error.</summary>
    public static IReadOnlyList<string> Resolve(string[] given, string root)
    {
        if (given.Length == 0)
        {
            var all = RepoLocator.Notebooks(root);
            if (all.Count == 0) throw new UsageException($"No notebooks found in {Path.Combine(root, "notebooks")}. Pass notebook paths, or run from the repository.");
            return all;
        }
        var list = new List<string>();
        foreach (var p in given)
        {
            if (Directory.Exists(p))
            {
                var found = Directory.GetFiles(p, "*.ipynb").OrderBy(Path.GetFileName, StringComparer.Ordinal).ToArray();
                if (found.Length == 0) throw new UsageException($"Folder '{p}' holds no .ipynb notebooks.");
                list.AddRange(found);
            }
            else if (File.Exists(p))
            {
                list.Add(p);
            }
            else
            {
                // Accept a bare name from notebooks/ ("00-tour" or "00-tour.ipynb").
                string name = p.EndsWith(".ipynb", StringComparison.Ordinal) ? p : p + ".ipynb";
                string candidate = Path.Combine(root, "notebooks", name);
                if (File.Exists(candidate)) { list.Add(candidate); continue; }
                var known = RepoLocator.Notebooks(root).Select(Path.GetFileName);
                throw new UsageException($"Unknown notebook '{p}': no such file. Notebooks: {string.Join(", ", known)}.");
            }
        }
        return list;
    }
}
