using System.Reflection;
using System.Text.Json.Nodes;
using Reproduce.Figures;

namespace Reproduce.Cli.Engine;

/// <summary>A Plotly.NET chart (<c>#r "nuget: Plotly.NET"</c> or Plotly.NET.CSharp; any
/// <c>Plotly.NET.GenericChart</c>) as application/vnd.plotly.v1+json (the figure JSON Plotly.NET
/// itself writes, through its <c>GenericChart.toFigureJson</c>), with a PNG drawn by headless
/// Chromium from that JSON as the fallback for front ends without a Plotly renderer. Found by
/// reflection: the kernel does not depend on Plotly.NET.</summary>
internal static class PlotlyNetDisplay
{
    private const string GenericChart = "Plotly.NET.GenericChart";

    /// <summary>The bundle, or null when <paramref name="value"/> is not a Plotly.NET chart.</summary>
    public static JsonObject? TryBundle(object value, NotebookDisplay display)
    {
        Type? chart = value.GetType();
        while (chart is not null && chart.FullName != GenericChart) chart = chart.BaseType; // F# union cases derive from it
        if (chart?.GetMethod("toFigureJson", BindingFlags.Public | BindingFlags.Static, [chart]) is not { } toFigureJson) return null;
        string json = (string)toFigureJson.Invoke(null, [value])!;
        var figure = JsonNode.Parse(json)!.AsObject();
        int traces = figure["data"] is JsonArray data ? data.Count : 0;
        var bundle = new JsonObject { [MimeRenderer.PlotlyMime] = figure };
        string text = $"Plotly.NET chart ({traces} trace{(traces == 1 ? "" : "s")})";
        if (display.Png)
        {
            byte[]? png = ChromiumRenderer.Png(json, out string? note);
            if (png is not null) bundle["image/png"] = Convert.ToBase64String(png);
            else if (note is not null) text += "\n" + note;
        }
        bundle["text/plain"] = text;
        return bundle;
    }
}
