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
        var png = new Option<bool>("--png") { Description = "Render PNG files (needs Chromium and plotly.js from 'npm ci' in environment/)." };
        var inputs = new Argument<string[]>("inputs") { Description = "Figure .json files or folders holding them (searched recursively).", Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("export", "Export committed figure JSON files to other formats (today: --png), writing <name>.png beside each <name>.json.")
        {
            png, inputs,
        };
        cmd.SetAction(parse =>
        {
            if (!parse.GetValue(png)) throw new UsageException("Say which format to export: --png.");
            if (ChromiumPng.Executable is null) throw new UsageException(ChromiumPng.MissingNote);
            if (PlotlyJs.BundlePath is null) throw new UsageException("PNG export needs plotly.js offline: run 'npm ci' in environment/.");
            var files = new List<string>();
            foreach (var p in parse.GetValue(inputs)!)
            {
                if (Directory.Exists(p)) files.AddRange(Directory.GetFiles(p, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
                else if (File.Exists(p)) files.Add(p);
                else throw new UsageException($"'{p}' is neither a file nor a folder.");
            }
            if (files.Count == 0) throw new UsageException("No .json figure files found in the given folders.");
            string bundle = File.ReadAllText(PlotlyJs.BundlePath);
            int failed = 0;
            foreach (var f in files)
            {
                JsonObject fig;
                try
                {
                    fig = JsonNode.Parse(File.ReadAllText(f)) as JsonObject ?? throw new JsonException("not an object");
                    if (fig["data"] is not JsonArray) throw new JsonException("no 'data' array");
                }
                catch (JsonException e)
                {
                    error.WriteLine($"skipped {f}: not a Plotly figure JSON ({e.Message}).");
                    failed++;
                    continue;
                }
                int w = (int?)fig["layout"]?["width"] ?? 800, h = (int?)fig["layout"]?["height"] ?? 500;
                string title = fig["layout"]?["title"]?["text"]?.GetValue<string>() ?? Path.GetFileNameWithoutExtension(f);
                string html = PlotlyHtml.Standalone(fig.ToJsonString(), title, w, h, bundle);
                string pngPath = Path.ChangeExtension(f, ".png");
                string? err = ChromiumPng.Render(html, pngPath, w, h);
                if (err is null) output.WriteLine("wrote " + pngPath);
                else { error.WriteLine($"failed {f}: {err}"); failed++; }
            }
            return failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return cmd;
    }
}
