namespace Reproduce.Figures;

/// <summary>Exports a figure to &lt;root&gt;/&lt;paper&gt;/&lt;figure&gt;.{json,html,csv,png}: Plotly JSON,
/// standalone HTML that draws offline (plotly.js from the library), the tidy data as CSV, and a PNG
/// through headless Chromium when it is installed. The figure is validated before anything is
/// written, and every file is written atomically, so a failed export leaves no half-written file.</summary>
public static class FigureWriter
{
    /// <summary>Writes every format; <paramref name="data"/> may be null (no CSV then). With
    /// <paramref name="sharedPlotly"/> (used for the committed figures/ folder) the HTML loads one
    /// shared copy, &lt;root&gt;/plotly-&lt;version&gt;.min.js, written beside the paper folders, instead of
    /// inlining 4.6 MB in every committed page.</summary>
    public static FigureFiles Write(Figure figure, Table? data, string root, string? caption = null, bool png = true, bool sharedPlotly = false)
    {
        ArgumentNullException.ThrowIfNull(figure);
        string dir = Path.Combine(root, figure.Paper);
        string stem = Path.Combine(dir, figure.Name);
        var written = new List<string>();
        var notes = new List<string>();

        // Everything is built (and the figure validated) before the first file is touched.
        string json = figure.ToJsonString(indented: true) + "\n";
        string html = sharedPlotly
            ? PlotlyHtml.StandaloneWithScript(figure, PlotlyJs.UseCdn ? PlotlyJs.CdnUrl : "../" + PlotlyJs.FileName, caption)
            : PlotlyHtml.Standalone(figure, caption);
        string? csv = data?.ToCsv();
        byte[]? image = null;
        if (png)
        {
            image = ChromiumRenderer.Png(figure.ToJsonString(), out string? why);
            if (image is null) notes.Add(why!.StartsWith("PNG skipped", StringComparison.Ordinal) ? why : "PNG skipped: " + why);
        }

        if (sharedPlotly && !PlotlyJs.UseCdn) written.Add(PlotlyJs.WriteSharedCopy(root));
        AtomicFile.WriteAllText(stem + ".json", json);
        written.Add(stem + ".json");
        AtomicFile.WriteAllText(stem + ".html", html);
        written.Add(stem + ".html");
        if (csv is not null)
        {
            AtomicFile.WriteAllText(stem + ".csv", csv);
            written.Add(stem + ".csv");
        }
        if (image is not null)
        {
            AtomicFile.WriteAllBytes(stem + ".png", image);
            written.Add(stem + ".png");
        }
        return new FigureFiles(written, notes);
    }
}
