using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Reproduce.Experiments;
using Reproduce.Figures;

namespace Reproduce.Cli.Engine;

/// <summary>Turns a displayed object into a Jupyter mime bundle (mime type → data):
/// FigureResult and Figure → application/vnd.plotly.v1+json, text/html (drawing offline with the
/// shipped plotly.js), image/png (headless Chromium, when installed), text/plain;
/// Table → text/html, text/markdown, text/plain; Matrix and SafetensorsTensor → a table with its shape; a Plotly.NET chart → Plotly JSON and PNG; a Microsoft.Data.Analysis DataFrame → an HTML table; anything else → text/plain.</summary>
public static class MimeRenderer
{
    /// <summary>Plotly mime type understood by VS Code and JupyterLab.</summary>
    public const string PlotlyMime = "application/vnd.plotly.v1+json";

    /// <summary>The bundle for <paramref name="value"/>. Values are strings except the Plotly JSON object.
    /// <paramref name="display"/> is the notebook's display state (null: a standalone output that
    /// carries plotly.js itself).</summary>
    public static JsonObject Render(object value, NotebookDisplay? display = null) => value switch
    {
        FigureResult r => FigureBundle(r.Figure, display ?? new NotebookDisplay(), div => FigureResultHtml(r, div), FigureResultText(r)),
        Figure f => FigureBundle(f, display ?? new NotebookDisplay(), div => div, $"Figure {f.Id}: {f.Layout.Title} ({f.Traces.Count} traces)"),
        Table t => new JsonObject
        {
            ["text/html"] = t.ToHtml(),
            ["text/markdown"] = t.ToMarkdown(),
            ["text/plain"] = t.ToString(),
        },
        Reproduce.Compute.Matrix m => MatrixDisplay.Bundle(m),
        Reproduce.Nn.SafetensorsTensor t => MatrixDisplay.Bundle(t),
        _ => PlotlyNetDisplay.TryBundle(value, display ?? new NotebookDisplay()) ?? DataFrameDisplay.TryBundle(value)
            ?? new JsonObject { ["text/plain"] = PlainText(value) },
    };

    /// <summary>Plain text of any value (invariant culture; sequences listed).</summary>
    public static string PlainText(object value) => value switch
    {
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable e and not string => "[" + string.Join(", ", e.Cast<object?>().Take(100).Select(x => x is null ? "null" : PlainText(x))) + "]",
        _ => value.ToString() ?? value.GetType().Name,
    };

    /// <summary>Claims as a fixed-width text list.</summary>
    public static string ClaimsText(IEnumerable<Claim> claims) => string.Join("\n", claims.Select(c => c.ToString()));

    /// <summary>Plotly JSON, HTML and, when Chromium is there, a PNG; without it, text/plain says how to get one.</summary>
    private static JsonObject FigureBundle(Figure f, NotebookDisplay display, Func<string, string> html, string text)
    {
        JsonObject plotly;
        try
        {
            plotly = f.ToPlotlyJson(); // validates the figure first
        }
        catch (ArgumentException e)
        {
            return new JsonObject { ["text/plain"] = $"Figure {f.Id} cannot be drawn: {e.Message}" };
        }
        byte[]? png = null;
        string? note = null;
        if (display.Png) png = ChromiumRenderer.Png(f.ToJsonString(), out note);
        bool include = !display.PlotlySent;
        var bundle = new JsonObject
        {
            [PlotlyMime] = plotly,
            ["text/html"] = html(PlotlyHtml.Div(f, include, png)),
        };
        display.PlotlySent = true;
        if (png is not null) bundle["image/png"] = Convert.ToBase64String(png);
        bundle["text/plain"] = note is null ? text : text + "\n" + note;
        return bundle;
    }

    private static string FigureResultText(FigureResult r)
    {
        var sb = new StringBuilder();
        sb.Append("Figure ").Append(r.Id).Append(": ").Append(r.Figure.Layout.Title).Append('\n');
        sb.Append($"claims: {r.Claims.Count(c => c.Pass)}/{r.Claims.Count} pass\n");
        foreach (var c in r.Claims) sb.Append("  ").Append(c).Append('\n');
        sb.Append($"data: {r.Data.RowCount} rows × {r.Data.Columns.Count} columns ({string.Join(", ", r.Data.Columns)})");
        if (r.Verdict is not null) sb.Append('\n').Append(r.Verdict);
        if (r.Notes is not null) sb.Append('\n').Append(r.Notes);
        return sb.ToString();
    }

    private static string FigureResultHtml(FigureResult r, string figureDiv)
    {
        var sb = new StringBuilder();
        sb.Append(figureDiv).Append('\n');
        if (r.Verdict is not null) sb.Append(r.Verdict.ToHtml()).Append('\n');
        sb.Append($"<p><b>Claims: {r.Claims.Count(c => c.Pass)}/{r.Claims.Count} pass</b></p>\n");
        sb.Append("<table>\n<thead><tr><th>claim</th><th>expected</th><th>measured</th><th>result</th></tr></thead>\n<tbody>\n");
        foreach (var c in r.Claims)
        {
            sb.Append("<tr><td>").Append(WebUtility.HtmlEncode(c.Name)).Append("</td><td>").Append(WebUtility.HtmlEncode(c.Expected))
              .Append("</td><td>").Append(WebUtility.HtmlEncode(c.Actual)).Append("</td><td>")
              .Append(c.Pass ? "pass" : "<b style=\"color:#b00\">FAIL</b>").Append("</td></tr>\n");
        }
        sb.Append("</tbody>\n</table>\n");
        if (r.Notes is not null) sb.Append("<p>").Append(WebUtility.HtmlEncode(r.Notes)).Append("</p>\n");
        sb.Append($"<details><summary>Data: {r.Data.RowCount} rows × {r.Data.Columns.Count} columns</summary>\n");
        sb.Append(r.Data.ToHtml(maxRows: 20)).Append("\n</details>");
        return sb.ToString();
    }
}
