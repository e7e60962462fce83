using System.Text.Json.Nodes;

namespace Reproduce.Tests.Kernel;

/// <summary>A notebook written for .NET Interactive (kernelspec <c>.net-csharp</c>, compat/dotnet-interactive-style.ipynb)
/// executed by nbclient (`jupyter nbconvert --execute`, kernel picked from the notebook's metadata)
/// on this kernel installed with <c>reproduce kernel install --name .net-csharp</c>. Each cell's
/// expected output is what the C# language and .NET Interactive's display API define for it.</summary>
public sealed class DotNetInteractiveNotebookTests : IDisposable
{
    private readonly string prefix = KernelTestEnvironment.TempDirectory("dotnet-interactive");

    public void Dispose()
    {
        try { Directory.Delete(prefix, recursive: true); } catch (IOException) { }
    }

    public static string Corpus => Path.Combine(KernelTestEnvironment.RepoRoot, "Reproduce.Tests", "Kernel", "compat", "dotnet-interactive-style.ipynb");

    [JupyterClientFact]
    public void A_net_csharp_notebook_opens_and_runs_with_the_NET_Interactive_display_API()
    {
        var env = KernelTestEnvironment.InstallKernelSpec(prefix);
        var install = KernelTestEnvironment.Cli(["kernel", "install", "--prefix", prefix, "--name", ".net-csharp"]);
        Assert.True(install.ExitCode == 0, install.Stderr);
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(prefix, "share", "jupyter", "kernels", ".net-csharp", "kernel.json")))!;
        Assert.Equal(".NET (C#)", spec["display_name"]!.GetValue<string>());
        env["REPRODUCE_NUGET_CACHE"] = Path.Combine(prefix, "nuget-cache");

        string outDir = Path.Combine(prefix, "out");
        var nb = KernelTestEnvironment.Run("/usr/bin/python3",
            ["-m", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=600", "--output-dir", outDir, Corpus],
            env, TimeSpan.FromMinutes(10));
        Assert.True(nb.ExitCode == 0, $"nbconvert failed ({nb.ExitCode}):\n{nb.Stderr}\nkernel log:\n{(File.Exists(env["KERNEL_STDERR"]) ? File.ReadAllText(env["KERNEL_STDERR"]) : "")}");

        var cells = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, Path.GetFileName(Corpus))))!["cells"]!.AsArray()
            .Select(c => c!.AsObject()).Where(c => c["cell_type"]!.GetValue<string>() == "code").ToList();
        List<JsonObject> Out(int i) => cells[i]["outputs"]!.AsArray().Select(o => o!.AsObject()).ToList();
        string Data(JsonObject o, string mime) => Text(o["data"]?[mime]) is { Length: > 0 } t ? t : throw new Xunit.Sdk.XunitException($"no {mime} in {o.ToJsonString()}");

        Assert.Equal("3", Data(Out(0).Single(), "text/plain"));
        Assert.Equal(["stdout: hello\n", "stderr: oops\n"], Out(1).Select(o => $"{o["name"]}: {Text(o["text"])}"));
        Assert.Empty(Out(2));
        Assert.Equal("Hi there", Data(Out(3).Single(), "text/plain"));
        Assert.Equal("<b>bold</b>", Data(Out(4).Single(), "text/html"));
        Assert.Empty(Out(5)); // the usings .NET Interactive needs for LaTeXString, Formatter and PocketView
        Assert.Equal(@"\alpha + \beta", Data(Out(6).Single(), "text/latex"));
        Assert.Equal("<i>a greeter</i>", Data(Out(7).Single(), "text/html"));
        Assert.Equal("after", Data(Out(8).Single(), "text/plain")); // nbclient applied update_display_data
        Assert.Contains("Newtonsoft.Json, 13.0.3", Data(Out(9)[0], "text/plain"));
        Assert.Equal("{\"a\":1}", Data(Out(9)[1], "text/plain"));
        Assert.Equal("# A heading", Data(Out(10).Single(), "text/markdown"));
        Assert.Equal("<div><span>pocket</span></div>", Data(Out(11).Single(), "text/html"));
        Assert.Equal(["n", "1", "2"], Data(Out(12).Single(), "text/csv").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal("45", Data(Out(13).Single(o => o["output_type"]!.GetValue<string>() == "execute_result"), "text/plain"));
        Assert.Matches("^Wall time: [0-9.]+ms$", Data(Out(13).Single(o => o["output_type"]!.GetValue<string>() == "display_data"), "text/plain"));
        var error = Out(14).Single();
        Assert.Equal("InvalidOperationException", error["ename"]!.GetValue<string>());
        Assert.Equal("4", Data(Out(15).Single(), "text/plain")); // the session survived the error
        Assert.Equal(@"$$\frac{1}{2}$$", Data(Out(16).Single(), "text/latex")); // MathString: LaTeX in display math
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonArray a => string.Concat(a.Select(x => x!.GetValue<string>())),
        _ => node.GetValue<string>(),
    };
}
