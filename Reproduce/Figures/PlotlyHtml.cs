using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Reproduce.Figures;

/// <summary>HTML renderings of a <see cref="Figure"/>: a notebook fragment and a standalone page.
/// Both draw offline with the pinned plotly.js shipped in the library (<see cref="PlotlyJs"/>);
/// they load it from the CDN only when REPRODUCE_PLOTLY_CDN=1.</summary>
public static class PlotlyHtml
{
    /// <summary>A div and script for a notebook's text/html output. With <paramref name="includePlotly"/>
    /// the fragment carries plotly.js itself (the first figure of a notebook does; later figures find
    /// <c>window.Plotly</c> in the same page: JupyterLab, the classic Notebook, VS Code and nbconvert's
    /// HTML all put a notebook's outputs in one document). With <paramref name="png"/> the div holds the
    /// picture until plotly.js replaces it, so a viewer that strips scripts still shows the figure.</summary>
    public static string Div(Figure figure, bool includePlotly, byte[]? png = null)
    {
        ArgumentNullException.ThrowIfNull(figure);
        string id = "plot-" + figure.Id.Replace('/', '-').Replace('.', '-') + "-" + Guid.NewGuid().ToString("N")[..8];
        string json = ScriptSafe(figure.ToJsonString());
        var sb = new StringBuilder();
        sb.Append($"<div id=\"{id}\" style=\"width:{figure.Layout.Width}px;height:{figure.Layout.Height}px\">");
        if (png is not null)
            sb.Append("<img alt=\"").Append(WebUtility.HtmlEncode(figure.Id)).Append("\" src=\"data:image/png;base64,").Append(Convert.ToBase64String(png)).Append("\">");
        sb.Append("</div>\n");
        if (includePlotly && !PlotlyJs.UseCdn)
            sb.Append("<script>if(!window.Plotly){").Append(ScriptSafe(PlotlyJs.Source)).Append("\n}</script>\n");
        sb.Append("<script>(function(){var f=").Append(json).Append(';')
          .Append($"var el=document.getElementById('{id}');")
          .Append("function draw(){el.innerHTML='';window.Plotly.newPlot(el,f.data,f.layout);}")
          .Append("if(window.Plotly){draw();return;}");
        if (PlotlyJs.UseCdn)
            sb.Append($"var s=document.createElement('script');s.src='{PlotlyJs.CdnUrl}';s.onload=draw;document.head.appendChild(s);");
        else
            // plotly.js comes with the notebook's first figure, which may render a moment later.
            sb.Append("var n=0,t=setInterval(function(){if(window.Plotly){clearInterval(t);draw();}else if(++n>100){clearInterval(t);")
              .Append("el.insertAdjacentHTML('afterbegin','<p>plotly.js was not found: it travels with the first figure of this notebook; run that cell again.</p>');}},100);");
        sb.Append("})();</script>");
        return sb.ToString();
    }

    /// <summary>A complete, self-contained HTML page (plotly.js inlined; from the CDN only when
    /// REPRODUCE_PLOTLY_CDN=1).</summary>
    public static string Standalone(Figure figure, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return Standalone(figure.ToJsonString(), figure.Layout.Title ?? figure.Id, figure.Layout.Width, figure.Layout.Height, caption);
    }

    /// <summary>A complete, self-contained HTML page for Plotly figure JSON ({"data": ..., "layout": ...}).</summary>
    public static string Standalone(string figureJson, string title, int width, int height, string? caption = null) =>
        Page(figureJson, title, width, height, PlotlyJs.UseCdn ? null : PlotlyJs.Source, PlotlyJs.UseCdn ? PlotlyJs.CdnUrl : null, caption);

    /// <summary>A complete HTML page that loads plotly.js from <paramref name="scriptSrc"/>, a relative
    /// path to the one shared copy (<see cref="PlotlyJs.WriteSharedCopy"/>), so committed figures do not
    /// each carry 4.6 MB of plotly.js.</summary>
    public static string StandaloneWithScript(Figure figure, string scriptSrc, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(figure);
        return Page(figure.ToJsonString(), figure.Layout.Title ?? figure.Id, figure.Layout.Width, figure.Layout.Height, null, scriptSrc, caption);
    }

    private static string Page(string figureJson, string title, int width, int height, string? plotlyJs, string? scriptSrc, string? caption)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n");
        sb.Append("<title>").Append(WebUtility.HtmlEncode(title)).Append("</title>\n");
        if (plotlyJs is not null)
            sb.Append("<script>").Append(ScriptSafe(plotlyJs)).Append("\n</script>\n");
        else
            sb.Append("<script src=\"").Append(WebUtility.HtmlEncode(scriptSrc!)).Append("\"></script>\n");
        sb.Append("<style>body{margin:0;font-family:sans-serif}</style>\n</head>\n<body>\n");
        sb.Append($"<div id=\"plot\" style=\"width:{width}px;height:{height}px\"></div>\n");
        if (caption is not null) sb.Append("<pre>").Append(WebUtility.HtmlEncode(caption)).Append("</pre>\n");
        sb.Append("<script>var figure=").Append(ScriptSafe(figureJson))
          .Append(";Plotly.newPlot('plot',figure.data,figure.layout,{staticPlot:false}).then(function(){document.body.setAttribute('data-rendered','true');});</script>\n");
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>Text that is safe inside a &lt;script&gt; element: no "&lt;/" can close it early.</summary>
    internal static string ScriptSafe(string text) => text.Replace("</", "<\\/", StringComparison.Ordinal);

    /// <summary>Parses the figure JSON embedded by a standalone page (used by tests).</summary>
    internal static JsonNode? FigureJson(string html)
    {
        const string marker = "var figure=";
        int i = html.LastIndexOf(marker, StringComparison.Ordinal);
        if (i < 0) return null;
        int end = html.IndexOf(";Plotly.newPlot", i, StringComparison.Ordinal);
        return JsonNode.Parse(html[(i + marker.Length)..end].Replace("<\\/", "</", StringComparison.Ordinal));
    }
}
