namespace Reproduce.Cli.Engine;

/// <summary>Display state of one notebook document (a runner's notebook, or a kernel session):
/// whether plotly.js has been sent with an earlier figure (a notebook's outputs share one page, so
/// only its first figure carries the 4.6 MB bundle), and whether figure bundles get a PNG.</summary>
public sealed class NotebookDisplay
{
    /// <summary>True once a figure's text/html carried plotly.js.</summary>
    public bool PlotlySent { get; set; }

    /// <summary>Render a PNG for each figure (through headless Chromium, when installed).</summary>
    public bool Png { get; init; } = true;
}
