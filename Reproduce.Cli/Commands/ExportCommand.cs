using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reproduce.Figures;

namespace Reproduce.Cli.Commands;

/// <summary><c>reproduce export --png FILES|DIRS</c>: renders Plotly JSON figure files to PNG beside them.</summary>
public static class ExportCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Build(TextWriter output, TextWriter error)
    {
        var png = new Option<bool>("--png") { Description = "Render PNG files (needs Chromium: apt-get install chromium)." };
        var inputs = new Argument<string[]>("inputs") { Description = "Figure .json files or folders holding them (searched recursively).", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("export", "Export committed figure JSON files to other formats (today: --png), writing <name>.png beside each <name>.json.")
        {
            png, inputs,
        };
        cmd.SetAction(parse =>
        {
            if (!parse.GetValue(png)) throw new UsageException("Say which format to export: --png.");
            if (ChromiumPng.Executable is null) throw new UsageException(ChromiumPng.MissingNote);
            var files = new List<string>();
            foreach (var p in parse.GetValue(inputs)!)
            {
                if (Directory.Exists(p)) files.AddRange(Directory.GetFiles(p, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
                else if (File.Exists(p)) files.Add(p);
                else throw new UsageException($"'{p}' is neither a file nor a folder.");
            }
            if (files.Count == 0) throw new UsageException("No .json figure files found in the given folders.");
            int failed = 0;
            var figures = new List<(string File, string Json)>();
            foreach (var f in files)
            {
                try
                {
                    var fig = JsonNode.Parse(File.ReadAllText(f)) as JsonObject ?? throw new JsonException("not an object");
                    if (fig["data"] is not JsonArray) throw new JsonException("no 'data' array");
                    figures.Add((f, fig.ToJsonString()));
                }
                catch (JsonException e)
                {
                    error.WriteLine($"skipped {f}: not a Plotly figure JSON ({e.Message}).");
                    failed++;
                }
            }
            // One browser for every figure: its start-up, not the drawing, is what takes time.
            IReadOnlyList<RenderedFigure> rendered;
            try
            {
                rendered = ChromiumRenderer.Render(figures.Select(x => x.Json).ToArray(), images: true);
            }
            catch (ChromiumException e)
            {
                error.WriteLine("PNG export failed: " + e.Message);
                return ExitCodes.Failed;
            }
            for (int i = 0; i < figures.Count; i++)
            {
                string pngPath = Path.ChangeExtension(figures[i].File, ".png");
                if (rendered[i].Png is { } png)
                {
                    AtomicFile.WriteAllBytes(pngPath, png);
                    output.WriteLine("wrote " + pngPath);
                }
                else
                {
                    error.WriteLine($"failed {figures[i].File}: {rendered[i].Error ?? "no image"}");
                    failed++;
                }
            }
            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return cmd;
    }
}
