using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Reproduce.Tests.Kernel;

/// <summary>The oracle for .NET Interactive compatibility: the compatibility corpus
/// (compat/dotnet-interactive-style.ipynb) executed by nbclient on Microsoft's own .NET Interactive
/// kernel (1.0.712001, the last release) and on this kernel; per cell, the results, stream text and
/// errors must agree once each is reduced to what a reader sees (the text of a result, whichever
/// MIME type carries it; an error's exception type and message). The cells where the two kernels
/// differ on purpose are listed with the reason.</summary>
public sealed partial class OfficialKernelComparisonTests : IDisposable
{
    private readonly string prefix = KernelTestEnvironment.TempDirectory("official");

    public void Dispose()
    {
        try { Directory.Delete(prefix, recursive: true); } catch (IOException) { }
    }

    /// <summary>Code cells (0-based) whose outputs differ by design, and why.</summary>
    private static readonly Dictionary<int, string> KnownDifferences = new()
    {
        [8] = "x.Display() then Update(): .NET Interactive's update is not applied by nbclient (the output keeps \"before\"); ours is",
        [10] = "#!markdown: .NET Interactive renders the Markdown to text/html itself; we send text/markdown for the front end to render",
    };

    [OfficialKernelFact]
    public void The_corpus_gives_the_same_results_streams_and_errors_on_both_kernels()
    {
        var env = KernelTestEnvironment.InstallKernelSpec(prefix);
        env["REPRODUCE_NUGET_CACHE"] = Path.Combine(prefix, "nuget-cache");
        env["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        string official = Path.Combine(prefix, "share", "jupyter", "kernels", "dotnet-interactive-official");
        Directory.CreateDirectory(official);
        File.WriteAllText(Path.Combine(official, "kernel.json"), new JsonObject
        {
            ["argv"] = new JsonArray("dotnet", OfficialKernelFactAttribute.AppDll, "jupyter", "--default-kernel", "csharp", "{connection_file}", "--http-port-range", "2048-3000"),
            ["display_name"] = ".NET (C#), Microsoft's",
            ["language"] = "C#",
        }.ToJsonString());

        var ours = Execute("reproduce-csharp", env);
        var theirs = Execute("dotnet-interactive-official", env);
        Assert.Equal(theirs.Count, ours.Count);
        int compared = 0;
        for (int i = 0; i < ours.Count; i++)
        {
            if (KnownDifferences.ContainsKey(i)) continue;
            Assert.True(theirs[i].SequenceEqual(ours[i]),
                $"code cell {i}: .NET Interactive gave\n  {string.Join("\n  ", theirs[i])}\nthis kernel gave\n  {string.Join("\n  ", ours[i])}");
            compared++;
        }
        Assert.Equal(ours.Count - KnownDifferences.Count, compared);
    }

    /// <summary>Each code cell's outputs, reduced (see <see cref="Reduce"/>).</summary>
    private List<List<string>> Execute(string kernel, Dictionary<string, string> env)
    {
        string outDir = Path.Combine(prefix, kernel);
        var nb = KernelTestEnvironment.Run("/usr/bin/python3",
            ["-m", "nbconvert", "--to", "notebook", "--execute", "--allow-errors", $"--ExecutePreprocessor.kernel_name={kernel}",
             "--ExecutePreprocessor.timeout=600", "--output-dir", outDir, DotNetInteractiveNotebookTests.Corpus], env, TimeSpan.FromMinutes(10));
        Assert.True(nb.ExitCode == 0, $"nbconvert on {kernel} failed ({nb.ExitCode}):\n{nb.Stderr}");
        return JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, Path.GetFileName(DotNetInteractiveNotebookTests.Corpus))))!["cells"]!.AsArray()
            .Select(c => c!.AsObject()).Where(c => c["cell_type"]!.GetValue<string>() == "code")
            .Select(c => Reduce(c["outputs"]!.AsArray().Select(o => o!.AsObject())))
            .ToList();
    }

    /// <summary>What a reader sees: stream text (compiler warnings on stderr left out), the text of
    /// each result (CSV, LaTeX, HTML without markup and styles, or plain text, first present; wall
    /// times replaced by a placeholder), and each error as "type: message".</summary>
    private static List<string> Reduce(IEnumerable<JsonObject> outputs)
    {
        var facts = new List<string>();
        foreach (var o in outputs)
        {
            switch (o["output_type"]!.GetValue<string>())
            {
                case "stream":
                    string text = Text(o["text"]);
                    if (o["name"]!.GetValue<string>() == "stderr" && CompilerWarning().IsMatch(text.Trim())) continue;
                    facts.Add($"stream {o["name"]}: {text}");
                    break;
                case "error":
                    facts.Add("error " + ErrorFact(o["ename"]!.GetValue<string>(), o["evalue"]!.GetValue<string>()));
                    break;
                default:
                    var data = o["data"]!.AsObject();
                    string html = Text(data["text/html"]);
                    if (html.Contains("dotnet-interactive-this-cell", StringComparison.Ordinal)) continue; // .NET Interactive's script loader
                    string value = Text(data["text/csv"]) is { Length: > 0 } csv ? csv.Trim()
                        : Text(data["text/latex"]) is { Length: > 0 } latex ? latex
                        : html.Length > 0 ? WithoutMarkup(html)
                        : Text(data["text/plain"]);
                    facts.Add($"{o["output_type"]}: {WallTime().Replace(value, "Wall time: <t>ms")}");
                    break;
            }
        }
        return facts;
    }

    /// <summary>.NET Interactive: ename "Error", evalue "System.InvalidOperationException: boom\n   at …";
    /// this kernel: ename "InvalidOperationException", evalue "In [n], line 1, column 1: boom".</summary>
    private static string ErrorFact(string ename, string evalue)
    {
        string first = evalue.Split('\n')[0];
        int colon = first.IndexOf(": ", StringComparison.Ordinal);
        if (ename == "Error" && colon > 0) return $"{first[..colon].Split('.')[^1]}: {first[(colon + 2)..]}";
        return colon > 0 ? $"{ename}: {first[(colon + 2)..]}" : $"{ename}: {first}";
    }

    private static string WithoutMarkup(string html)
    {
        string noStyle = StyleBlock().Replace(html, "");
        return WebUtility.HtmlDecode(Whitespace().Replace(Tag().Replace(noStyle, " "), " ")).Trim();
    }

    private static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonArray a => string.Concat(a.Select(x => x!.GetValue<string>())),
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    [GeneratedRegex("<style[^>]*>.*?</style>", RegexOptions.Singleline)]
    private static partial Regex StyleBlock();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex("\\s+")]
    private static partial Regex Whitespace();

    /// <summary>A compiler warning .NET Interactive prints on stderr, with or without its position
    /// ("warning CS0618: …", "(2,5): warning CS0618: 'MathString' is obsolete …").</summary>
    [GeneratedRegex(@"^(\(\d+,\d+\): )?warning CS\d+")]
    private static partial Regex CompilerWarning();

    [GeneratedRegex("Wall time: [0-9.]+ ?ms")]
    private static partial Regex WallTime();
}
