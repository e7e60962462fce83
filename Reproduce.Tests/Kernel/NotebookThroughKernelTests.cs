using System.Text.Json.Nodes;

namespace Reproduce.Tests.Kernel;

/// <summary>Committed notebooks executed through the kernel by Jupyter's own tools
/// (`jupyter nbconvert --execute`, i.e. nbclient) give the same outputs as `reproduce run`.</summary>
public sealed class NotebookThroughKernelTests : IDisposable
{
    private readonly string prefix = KernelTestEnvironment.TempDirectory("nbconvert");

    public void Dispose()
    {
        try { Directory.Delete(prefix, recursive: true); } catch (IOException) { }
    }

    [JupyterClientFact]
    public void Tour_notebook_via_nbconvert_matches_reproduce_run()
    {
        string notebook = Path.Combine(KernelTestEnvironment.RepoRoot, "notebooks", "00-tour.ipynb");
        Assert.True(File.Exists(notebook), notebook + " is missing");
        var env = KernelTestEnvironment.InstallKernelSpec(prefix);

        string viaKernel = Path.Combine(prefix, "kernel-out");
        var nb = KernelTestEnvironment.Run("/usr/bin/python3",
            ["-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.kernel_name=reproduce-csharp",
             "--ExecutePreprocessor.timeout=600", "--output-dir", viaKernel, notebook], env, TimeSpan.FromMinutes(10));
        Assert.True(nb.ExitCode == 0, $"nbconvert failed ({nb.ExitCode}):\n{nb.Stderr}\nkernel log:\n{ReadOrEmpty(env["KERNEL_STDERR"])}");

        string viaRunner = Path.Combine(prefix, "run-out");
        var run = KernelTestEnvironment.Cli(["run", notebook, "--out", viaRunner, "--quiet"], timeout: TimeSpan.FromMinutes(10));
        Assert.True(run.ExitCode == 0, $"reproduce run failed ({run.ExitCode}):\n{run.Stdout}\n{run.Stderr}");

        var kernelCells = CodeCells(Path.Combine(viaKernel, "00-tour.ipynb"));
        var runnerCells = CodeCells(Path.Combine(viaRunner, "00-tour.ipynb"));
        Assert.Equal(runnerCells.Count, kernelCells.Count);
        int figures = 0;
        for (int i = 0; i < runnerCells.Count; i++)
        {
            Assert.Equal(runnerCells[i].Source, kernelCells[i].Source);
            Assert.Equal(Describe(runnerCells[i].Outputs), Describe(kernelCells[i].Outputs));
            for (int k = 0; k < runnerCells[i].Outputs.Count; k++)
            {
                if (runnerCells[i].Outputs[k]["data"]?["application/vnd.plotly.v1+json"] is { } plotly)
                {
                    figures++;
                    Assert.True(JsonNode.DeepEquals(plotly, kernelCells[i].Outputs[k]["data"]!["application/vnd.plotly.v1+json"]),
                        $"cell {i + 1}: the Plotly figure differs between the kernel and reproduce run");
                }
            }
        }
        Assert.True(figures > 0, "the tour notebook should display at least one figure");
        // Offline front ends (the classic Notebook shows the text/html): no figure loads plotly.js
        // from the network; the session's first figure carries it inline, later ones reuse it.
        var htmls = kernelCells.SelectMany(c => c.Outputs).Where(o => o["data"]?["application/vnd.plotly.v1+json"] is not null)
            .Select(o => Text(o["data"]!["text/html"])).ToList();
        Assert.All(htmls, h => Assert.DoesNotContain(Reproduce.Figures.PlotlyJs.CdnUrl, h));
        Assert.Contains(Reproduce.Figures.PlotlyHtml.ScriptSafe(Reproduce.Figures.PlotlyJs.Source[..200]), htmls[0]);
        // nbconvert kept the notebook's kernelspec.
        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(viaKernel, "00-tour.ipynb")))!["metadata"]!;
        Assert.Equal("reproduce-csharp", meta["kernelspec"]!["name"]!.GetValue<string>());
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    private sealed record Cell(string Source, List<JsonObject> Outputs);

    /// <summary>Code cells without the runner's injected-parameters cell, sources and outputs normalized.</summary>
    private static List<Cell> CodeCells(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        return root["cells"]!.AsArray().Select(c => c!.AsObject())
            .Where(c => c["cell_type"]!.GetValue<string>() == "code")
            .Where(c => c["metadata"]?["tags"]?.AsArray().Any(t => t!.GetValue<string>() == "injected-parameters") != true)
            .Select(c => new Cell(Text(c["source"]), c["outputs"]!.AsArray().Select(o => o!.AsObject()).ToList()))
            .ToList();
    }

    /// <summary>Type, stream name, text and mime keys + text/plain of each output (not execution counts or timings).</summary>
    private static List<string> Describe(List<JsonObject> outputs) => outputs.Select(o =>
    {
        string type = o["output_type"]!.GetValue<string>();
        return type switch
        {
            "stream" => $"stream {o["name"]}: {Text(o["text"])}",
            "error" => $"error {o["ename"]}: {o["evalue"]}",
            _ => $"{type} [{string.Join(",", o["data"]!.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal))}]: {Text(o["data"]!["text/plain"])}",
        };
    }).ToList();

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonArray a => string.Concat(a.Select(x => x!.GetValue<string>())),
        _ => node.GetValue<string>(),
    };
}
