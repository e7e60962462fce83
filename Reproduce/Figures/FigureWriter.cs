using System.Text;

namespace Reproduce.Figures;

/// <summary>Exports a figure to &lt;root&gt;/&lt;paper&gt;/&lt;figure&gt;.{json,html,csv,png}: Plotly JSON,
/// standalone HTML (plotly.js inlined from environment/ when installed), the tidy data as CSV,
/// and a PNG through headless Chromium when it is installed. Every file is written atomically.</summary>
public static class FigureWriter
{
    /// <summary>Writes every format; <paramref name="data"/> may be null (no CSV then).</summary>
    public static FigureFiles Write(Figure figure, Table? data, string root, string? caption = null, bool png = true)
    {
        ArgumentNullException.ThrowIfNull(figure);
        string dir = Path.Combine(root, figure.Paper);
        string stem = Path.Combine(dir, figure.Name);
        var written = new List<string>();
        var notes = new List<string>();

        AtomicFile.WriteAllText(stem + ".json", figure.ToJsonString(indented: true) + "\n");
        written.Add(stem + ".json");

        string? bundle = PlotlyJs.BundlePath is { } p ? File.ReadAllText(p, Encoding.UTF8) : null;
        if (bundle is null) notes.Add(PlotlyJs.MissingNote);
        string html = PlotlyHtml.Standalone(figure, bundle, caption);
        AtomicFile.WriteAllText(stem + ".html", html);
        written.Add(stem + ".html");

        if (data is not null)
        {
            AtomicFile.WriteAllText(stem + ".csv", data.ToCsv());
            written.Add(stem + ".csv");
        }

        if (png)
        {
            if (bundle is null)
                notes.Add("PNG skipped: PNG export needs plotly.js installed offline (npm ci in environment/).");
            else if (ChromiumPng.Executable is null)
                notes.Add(ChromiumPng.MissingNote);
            else
            {
                string? error = ChromiumPng.Render(html, stem + ".png", figure.Layout.Width, figure.Layout.Height);
                if (error is null) written.Add(stem + ".png");
                else notes.Add("PNG skipped: " + error);
            }
        }
        return new FigureFiles(written, notes);
    }
}
