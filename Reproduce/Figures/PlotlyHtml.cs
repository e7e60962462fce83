using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Reproduce.Figures;

/// <summary>HTML renderings of a <see cref="Figure"/>: a notebook fragment (a div plus a script
/// that draws it with plotly.js, loading the pinned version when the page has none) and a
/// standalone page with plotly.js inlined (offline) or, when not installed, from the pinned CDN.</summary>
public static class PlotlyHtml
{
    /// <summary>A div and script for a notebook's text/html output.</summary>
    public static string Div(Figure figure)
    {
        string id = "plot-" + figure.Id.Replace('/', '-').Replace('.', '-') + "-" + Guid.NewGuid().ToString("N")[..8];
        string json = ScriptSafe(figure.ToJsonString());
        return $"<div id=\"{id}\" style=\"width:{figure.Layout.Width}px;height:{figure.Layout.Height}px\"></div>\n" +
               "<script>(function(){var f=" + json + ";" +
               $"function draw(){{window.Plotly.newPlot('{id}',f.data,f.layout);}}" +
               "if(window.Plotly){draw();}else{var s=document.createElement('script');" +
               $"s.src='{PlotlyJs.CdnUrl}';s.onload=draw;document.head.appendChild(s);}}}})();</script>";
    }

    /// <summary>A complete HTML page. With <paramref name="plotlyJs"/> (the bundle's text) it is
    /// self-contained; otherwise it references the pinned CDN and says so in a comment.</summary>
    public static string Standalone(Figure figure, string? plotlyJs, string? caption = null) =>
        Standalone(figure.ToJsonString(), figure.Layout.Title ?? figure.Id, figure.Layout.Width, figure.Layout.Height, plotlyJs, caption);

    /// <summary>A complete HTML page for Plotly figure JSON ({"data": ..., "layout": ...}).</summary>
    public static string Standalone(string figureJson, string title, int width, int height, string? plotlyJs, string? caption = null)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n");
        if (plotlyJs is not null)
            sb.Append("<script>").Append(plotlyJs.Replace("</script", "<\\/script", StringComparison.OrdinalIgnoreCase)).Append("</script>\n");
        else
            sb.Append("<!-- ").Append(PlotlyJs.MissingNote.Replace("--", "-")).Append(" -->\n")
              .Append("<script src=\"").Append(PlotlyJs.CdnUrl).Append("\"></script>\n");
        sb.Append("<style>body{margin:0;font-family:sans-serif}</style>\n</head>\n<body>\n");
        sb.Append($"<div id=\"plot\" style=\"width:{width}px;height:{height}px\"></div>\n");
        if (caption is not null) sb.Append("<pre>").Append(WebUtility.HtmlEncode(caption)).Append("</pre>\n");
        sb.Append("<script>var figure=").Append(ScriptSafe(figureJson))
          .Append(";Plotly.newPlot('plot',figure.data,figure.layout,{staticPlot:false}).then(function(){document.body.setAttribute('data-rendered','true');});</script>\n");
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>JSON that is safe inside a &lt;script&gt; element.</summary>
    internal static string ScriptSafe(string json) => json.Replace("</", "<\\/", StringComparison.Ordinal);

    /// <summary>Parses the figure JSON embedded by a standalone page (used by tests).</summary>
    internal static JsonNode? FigureJson(string html)
    {
        const string marker = "var figure=";
        int i = html.IndexOf(marker, StringComparison.Ordinal);
        if (i < 0) return null;
        int end = html.IndexOf(";Plotly.newPlot", i, StringComparison.Ordinal);
        return JsonNode.Parse(html[(i + marker.Length)..end].Replace("<\\/", "</", StringComparison.Ordinal));
    }
}
