using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Reproduce.Cli.Engine;
using Reproduce.Experiments;
using Reproduce.Figures;

namespace Reproduce.Cli.Runner;

/// <summary>Executes one notebook file headlessly: every C# cell in one <see cref="ExecutionSession"/>,
/// parameters injected after the cell tagged <c>parameters</c>, outputs and timings recorded,
/// claims collected, figures exported, and the executed notebook written atomically.</summary>
public sealed class NotebookRunner(RunOptions options, IRunReporter reporter)
{
    /// <summary>Tag of the cell the runner inserts (papermill's name).</summary>
    public const string InjectedTag = "injected-parameters";

    /// <summary>Runs the notebook at <paramref name="path"/>.</summary>
    public async Task<NotebookRunResult> RunAsync(string path, CancellationToken cancellationToken = default)
    {
        var total = Stopwatch.StartNew();
        string display = Path.GetRelativePath(Environment.CurrentDirectory, Path.GetFullPath(path));
        Notebook nb;
        try
        {
            nb = Notebook.Load(path);
            nb.RequireCSharp();
        }
        catch (NotebookFormatException e)
        {
            var bad = new NotebookRunResult { Notebook = display, BadInput = true, Message = e.Message, Elapsed = total.Elapsed };
            reporter.Note(display, "error: " + e.Message);
            reporter.NotebookFinished(bad);
            return bad;
        }

        string outPath = options.InPlace ? Path.GetFullPath(path) : Path.GetFullPath(Path.Combine(options.OutDir, Path.GetFileName(path)));
        string figureRoot = options.Scale == Scale.Paper
            ? Path.Combine(options.RepoRoot, "figures")
            : Path.Combine(Path.GetFullPath(options.OutDir), "figures");

        InjectParameters(nb);
        // Cells are named by their position in the notebook as the author sees it ("cell 3" = third
        // cell, markdown included, like VS Code and JupyterLab count); the injected cell by its role.
        var labels = new Dictionary<JsonObject, string>(ReferenceEqualityComparer.Instance);
        int position = 0;
        foreach (var c in nb.Cells.OfType<JsonObject>())
        {
            if (Notebook.HasTag(c, InjectedTag)) labels[c] = "the injected parameters cell";
            else labels[c] = $"cell {++position}";
        }
        var codeCells = nb.Cells.OfType<JsonObject>().Where(c => Notebook.CellType(c) == "code").ToList();
        reporter.NotebookStarted(display, codeCells.Count);

        var sink = new ClaimSink();
        var claimsThisCell = new List<Claim>();
        sink.Collected += c =>
        {
            lock (claimsThisCell) claimsThisCell.Add(c);
            reporter.ClaimChecked(display, c);
        };
        string? previousOutputDir = Environment.GetEnvironmentVariable("REPRODUCE_OUTPUT_DIR");
        Environment.SetEnvironmentVariable("REPRODUCE_OUTPUT_DIR", figureRoot);

        int executionCount = 0, cellErrors = 0, run = 0;
        string? firstError = null;
        var figures = new List<string>();
        var cellSeconds = new List<double>();
        string device = DeviceName();
        // PNGs are drawn once per notebook, after its last cell: one browser start for every figure
        // (start-up dominates), then each figure's bundle and files get their picture from the cache.
        var notebookDisplay = new NotebookDisplay { Png = false };
        var cellOutputs = new List<(JsonObject Cell, IReadOnlyList<CellOutput> Outputs, int Count, Claim[] Claims)>();
        var toExport = new List<(FigureResult Result, double Seconds)>();
        try
        {
            using var session = new ExecutionSession(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using var scope = sink.Activate();
            bool stop = false;
            for (int i = 0; i < codeCells.Count; i++)
            {
                var cell = codeCells[i];
                Notebook.Set(cell, "outputs", new JsonArray());
                Notebook.Set(cell, "execution_count", null);
                if (stop) continue;
                string code = Notebook.Source(cell);
                if (string.IsNullOrWhiteSpace(code)) continue;

                string label = labels[cell];
                reporter.CellStarted(display, label, i + 1, codeCells.Count);
                lock (claimsThisCell) claimsThisCell.Clear();
                var started = DateTimeOffset.UtcNow;
                var result = await session.ExecuteAsync(code, label, options.Timeout, cancellationToken).ConfigureAwait(false);
                var ended = DateTimeOffset.UtcNow;
                run++;
                executionCount++;
                cellSeconds.Add(result.Elapsed.TotalSeconds);

                Claim[] claims;
                lock (claimsThisCell) claims = claimsThisCell.ToArray();
                Notebook.Set(cell, "outputs", CellOutputsJson(result.Outputs, executionCount, claims, notebookDisplay));
                var shownHere = result.Outputs.ToArray(); // a snapshot: the PNG pass below rebuilds figure cells from it
                if (shownHere.OfType<DisplayOutput>().Any(d => d.Value is FigureResult or Figure)) cellOutputs.Add((cell, shownHere, executionCount, claims));
                Notebook.Set(cell, "execution_count", executionCount);
                RecordTiming(cell, started, ended, result);
                reporter.CellFinished(display, label, result);

                if (options.ExportFigures)
                {
                    foreach (var fr in result.Outputs.OfType<DisplayOutput>().Select(d => d.Value).OfType<FigureResult>())
                    {
                        toExport.Add((fr, result.Elapsed.TotalSeconds));
                        figures.Add(fr.Id);
                    }
                }

                if (!result.Succeeded)
                {
                    cellErrors++;
                    firstError ??= result.Error is { } err ? err.Traceback.FirstOrDefault() ?? err.EValue : $"{label} failed";
                    if (result.TimedOut || session.IsBroken || !options.ContinueOnError) stop = true;
                }
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("REPRODUCE_OUTPUT_DIR", previousOutputDir);
        }

        if (options.Png)
        {
            var shown = cellOutputs.SelectMany(c => c.Outputs).OfType<DisplayOutput>()
                .Select(d => d.Value switch { FigureResult r => r.Figure, Figure f => f, _ => null }).OfType<Figure>().ToList();
            var sw = Stopwatch.StartNew();
            string? why = ChromiumRenderer.Prefetch(shown.Select(f => f.ToJsonString()));
            if (shown.Count > 0 && why is null) reporter.Note(display, $"{shown.Count} PNGs drawn in {sw.Elapsed.TotalSeconds:F1} s (one Chromium)");
            if (why is not null && shown.Count > 0) reporter.Note(display, why.StartsWith("PNG skipped", StringComparison.Ordinal) ? why : "PNG skipped: " + why);
            var withPng = new NotebookDisplay { Png = true };
            foreach (var (cell, outs, count, claims) in cellOutputs) Notebook.Set(cell, "outputs", CellOutputsJson(outs, count, claims, withPng));
        }
        foreach (var (fr, seconds) in toExport) Export(fr, display, figureRoot, seconds, device);

        var all = sink.Claims;
        int failedClaims = all.Count(c => !c.Pass);
        if (failedClaims > 0) firstError ??= "claim failed: " + all.First(c => !c.Pass);
        string? written = null;
        try
        {
            nb.Save(outPath);
            written = outPath;
        }
        catch (IOException e)
        {
            var bad = new NotebookRunResult { Notebook = display, BadInput = true, Message = e.Message, Elapsed = total.Elapsed, CellsRun = run, CellsTotal = codeCells.Count };
            reporter.Note(display, "error: " + e.Message);
            reporter.NotebookFinished(bad);
            return bad;
        }

        var res = new NotebookRunResult
        {
            Notebook = display,
            CellsRun = run,
            CellsTotal = codeCells.Count,
            CellErrors = cellErrors,
            ClaimsPassed = all.Count - failedClaims,
            ClaimsFailed = failedClaims,
            Elapsed = total.Elapsed,
            OutputPath = written,
            Message = firstError,
            Figures = figures,
            CellSeconds = cellSeconds,
        };
        reporter.NotebookFinished(res);
        return res;
    }

    private void Export(FigureResult fr, string notebook, string root, double seconds, string device)
    {
        try
        {
            var files = FigureWriter.Write(fr.Figure, fr.Data, root, CaptionOf(fr), options.Png, sharedPlotly: options.Scale == Scale.Paper);
            reporter.Note(notebook, $"figure {fr.Id}: {files.Written.Count} files in {Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(root, fr.Figure.Paper))}");
            foreach (var n in files.Notes.Distinct()) reporter.Note(notebook, n);
            if (options.Scale == Scale.Paper)
            {
                FigureReport.Upsert(Path.Combine(root, "REPORT.md"), new FigureReport.Row(
                    Path.GetFileName(notebook), fr.Id, fr.Claims.Count(c => c.Pass), fr.Claims.Count, seconds, device, GitInfo.Commit(options.RepoRoot),
                    fr.Verdict?.Label ?? "none"));
            }
        }
        catch (IOException e)
        {
            reporter.Note(notebook, $"figure {fr.Id} not exported: {e.Message}");
        }
    }

    private static JsonArray CellOutputsJson(IReadOnlyList<CellOutput> outputs, int executionCount, Claim[] claims, NotebookDisplay display)
    {
        var json = new JsonArray();
        foreach (var o in outputs) json.Add(OutputJson.From(o, executionCount, display));
        if (claims.Length > 0)
            json.Add(OutputJson.From(new StreamOutput("stdout", string.Concat(claims.Select(c => c + "\n"))), executionCount));
        return json;
    }

    private static string CaptionOf(FigureResult fr) =>
        string.Join("\n", fr.Claims.Select(c => c.ToString())) + (fr.Verdict is null ? "" : "\n" + fr.Verdict) + (fr.Notes is null ? "" : "\n" + fr.Notes);

    private string DeviceName()
    {
        try
        {
            return Reproduce.Compute.Device.Parse(options.Device).ToString();
        }
        catch (Exception e) when (e is ArgumentException or Reproduce.Compute.ComputeException)
        {
            return options.Device;
        }
    }

    private static void RecordTiming(JsonObject cell, DateTimeOffset started, DateTimeOffset ended, CellResult result)
    {
        if (cell["metadata"] is not JsonObject meta) Notebook.Set(cell, "metadata", meta = new JsonObject());
        string s = started.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
        string e = ended.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);
        Notebook.Set(meta, "execution", new JsonObject
        {
            ["iopub.execute_input"] = s,
            ["iopub.status.busy"] = s,
            ["iopub.status.idle"] = e,
            ["shell.execute_reply"] = e,
        });
        Notebook.Set(meta, "reproduce", new JsonObject
        {
            ["duration_s"] = Math.Round(result.Elapsed.TotalSeconds, 4),
            ["status"] = result.TimedOut ? "timeout" : result.Succeeded ? "ok" : "error",
        });
    }

    /// <summary>Inserts (or refreshes) the injected-parameters cell after the cell tagged
    /// <c>parameters</c> (at the top when there is none, like papermill).</summary>
    internal void InjectParameters(Notebook nb)
    {
        var cells = nb.Cells;
        for (int i = cells.Count - 1; i >= 0; i--)
            if (cells[i] is JsonObject c && Notebook.HasTag(c, InjectedTag)) cells.RemoveAt(i);
        int at = 0;
        for (int i = 0; i < cells.Count; i++)
        {
            if (cells[i] is JsonObject c && Notebook.CellType(c) == "code" && Notebook.HasTag(c, "parameters")) { at = i + 1; break; }
        }
        string src = "// Parameters injected by `reproduce run`\n" +
                     $"var scale = \"{(options.Scale == Scale.Paper ? "paper" : "smoke")}\";\n" +
                     $"var device = \"{options.Device}\";" +
                     (options.Seed is { } seed ? $"\nulong seed = {seed.ToString(CultureInfo.InvariantCulture)};" : "");
        var cell = new JsonObject
        {
            ["cell_type"] = "code",
            ["execution_count"] = null,
            ["id"] = InjectedTag,
            ["metadata"] = new JsonObject { ["tags"] = new JsonArray(InjectedTag) },
            ["outputs"] = new JsonArray(),
            ["source"] = Notebook.Lines(src),
        };
        cells.Insert(at, cell);
    }
}
