using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Reproduce.Figures;

/// <summary>Renders Plotly figures in headless Chromium with the shipped plotly.js: many figures per
/// browser start (start-up, not drawing, dominates the time), each giving its PNG (Plotly.toImage)
/// and a count of the marks it placed (Assets/render-figures.js). Chromium runs with a fresh
/// profile, no network services, no sandbox (containers), and a time limit. PNGs are cached by
/// figure JSON, so a figure shown in a notebook and exported to a file is drawn once.</summary>
public static class ChromiumRenderer
{
    private const string ResultId = "reproduce-result";
    private static readonly ConcurrentDictionary<string, byte[]> PngCache = new(StringComparer.Ordinal);
    private static readonly Lazy<string> PageScript = new(() => PlotlyJs.Resource("Reproduce.Figures.render-figures.js"));

    /// <summary>Renders <paramref name="figureJsons"/> (Plotly {"data","layout"} objects as text) in one
    /// browser. Throws <see cref="ChromiumException"/> when Chromium is missing or fails as a whole;
    /// a figure plotly.js cannot draw gets its <see cref="RenderedFigure.Error"/> instead.</summary>
    public static IReadOnlyList<RenderedFigure> Render(IReadOnlyList<string> figureJsons, bool images, int? timeoutSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(figureJsons);
        if (figureJsons.Count == 0) return [];
        string exe = ChromiumPng.Executable ?? throw new ChromiumException(ChromiumPng.MissingNote);
        int timeout = timeoutSeconds ?? 120 + 5 * figureJsons.Count;
        string work = Path.Combine(Path.GetTempPath(), "reproduce-render-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            File.WriteAllText(Path.Combine(work, PlotlyJs.FileName), PlotlyJs.Source);
            File.WriteAllText(Path.Combine(work, "render-figures.js"), PageScript.Value);
            var page = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n");
            page.Append($"<script src=\"{PlotlyJs.FileName}\"></script>\n<script src=\"render-figures.js\"></script>\n");
            page.Append("<style>body{margin:0;font-family:sans-serif}</style></head><body>\n");
            page.Append("<script id=\"figures\" type=\"application/json\">[")
                .AppendJoin(",", figureJsons.Select(PlotlyHtml.ScriptSafe)).Append("]</script>\n");
            page.Append($"<pre id=\"{ResultId}\"></pre>\n");
            page.Append("<script>reproduceRenderAll(JSON.parse(document.getElementById('figures').textContent),")
                .Append(images ? "true" : "false")
                .Append($").then(function(r){{document.getElementById('{ResultId}').textContent=JSON.stringify(r);}},")
                .Append($"function(e){{document.getElementById('{ResultId}').textContent=JSON.stringify({{failed:String(e)}});}});</script>\n");
            page.Append("</body></html>\n");
            string pagePath = Path.Combine(work, "render.html");
            File.WriteAllText(pagePath, page.ToString());

            string dom = RunChromium(exe, work, pagePath, timeout);
            return Parse(dom, figureJsons.Count);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Renders the figures whose PNG is not cached yet, in one browser, and caches the PNGs.
    /// Returns null on success, else why PNGs are missing (Chromium absent or failing).</summary>
    public static string? Prefetch(IEnumerable<string> figureJsons)
    {
        var todo = figureJsons.Distinct(StringComparer.Ordinal).Where(j => !PngCache.ContainsKey(j)).ToList();
        if (todo.Count == 0) return null;
        if (ChromiumPng.Executable is null) return ChromiumPng.MissingNote;
        try
        {
            var rendered = Render(todo, images: true);
            var errors = new List<string>();
            for (int i = 0; i < todo.Count; i++)
            {
                if (rendered[i].Png is { } png) PngCache[todo[i]] = png;
                else errors.Add(rendered[i].Error ?? "no image");
            }
            return errors.Count == 0 ? null : "plotly.js could not draw: " + string.Join("; ", errors.Take(3));
        }
        catch (ChromiumException e)
        {
            return e.Message;
        }
    }

    /// <summary>The PNG of a figure (its <see cref="Figure.ToJsonString"/> text), rendering it when not
    /// cached. Null, with <paramref name="note"/> saying why, when Chromium is absent or fails.</summary>
    public static byte[]? Png(string figureJson, out string? note)
    {
        note = Prefetch([figureJson]);
        return PngCache.TryGetValue(figureJson, out var png) ? png : null;
    }

    private static string RunChromium(string exe, string work, string pagePath, int timeoutSeconds)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--mute-audio",
            // Virtual time runs the page's promises and timers to completion before the DOM is dumped.
            "--virtual-time-budget=600000",
            "--user-data-dir=" + Path.Combine(work, "profile"),
            "--dump-dom",
            new Uri(pagePath).AbsoluteUri,
        }) psi.ArgumentList.Add(a);
        Process proc;
        try
        {
            proc = Process.Start(psi) ?? throw new ChromiumException($"Chromium ({exe}) did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ChromiumException($"Chromium ({exe}) did not start: {e.Message}");
        }
        using (proc)
        {
            var stdout = proc.StandardOutput.ReadToEndAsync();
            var stderr = proc.StandardError.ReadToEndAsync();
            if (!proc.WaitForExit(timeoutSeconds * 1000))
            {
                try { proc.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                throw new ChromiumException($"Chromium did not finish rendering within {timeoutSeconds} s.");
            }
            proc.WaitForExit();
            string dom = stdout.Result;
            if (!dom.Contains(ResultId, StringComparison.Ordinal))
                throw new ChromiumException($"Chromium exited with code {proc.ExitCode} without a page: {Tail(stderr.Result)}");
            return dom;
        }
    }

    private static IReadOnlyList<RenderedFigure> Parse(string dom, int count)
    {
        string open = $"<pre id=\"{ResultId}\">";
        int i = dom.IndexOf(open, StringComparison.Ordinal);
        int end = i < 0 ? -1 : dom.IndexOf("</pre>", i, StringComparison.Ordinal);
        string text = i < 0 || end < 0 ? "" : WebUtility.HtmlDecode(dom[(i + open.Length)..end]);
        if (text.Length == 0) throw new ChromiumException("The render page did not finish (plotly.js did not load or a figure never completed).");
        var node = JsonNode.Parse(text);
        if (node is JsonObject { } failed) throw new ChromiumException("The render page failed: " + failed["failed"]);
        var list = node!.AsArray();
        if (list.Count != count) throw new ChromiumException($"The render page returned {list.Count} results for {count} figures.");
        return list.Select(r =>
        {
            var traces = (r!["traces"]?.AsArray() ?? []).Select(t => new RenderedTrace(
                (int)t!["index"]!, (string)t["type"]!, (string?)t["name"] ?? "", (int)t["expected"]!, (int)t["placed"]!,
                (t["problems"]?.AsArray() ?? []).Select(p => (string)p!).ToArray())).ToArray();
            byte[]? png = null;
            if ((string?)r["png"] is { } url && url.StartsWith("data:image/png;base64,", StringComparison.Ordinal))
                png = Convert.FromBase64String(url["data:image/png;base64,".Length..]);
            var layoutProblems = (r["layoutProblems"]?.AsArray() ?? []).Select(p => (string)p!).ToArray();
            return new RenderedFigure(traces, png, (string?)r["error"], layoutProblems);
        }).ToArray();
    }

    private static string Tail(string s) => string.Join(" | ", s.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3));
}
