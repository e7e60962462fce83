namespace Reproduce.Cli.Engine;

/// <summary>Members every notebook cell can call without a prefix.</summary>
public sealed class ScriptGlobals
{
    private readonly ExecutionSession _session;

    internal ScriptGlobals(ExecutionSession session) => _session = session;

    /// <summary>Shows <paramref name="value"/> as a display_data output (Figure/FigureResult as
    /// Plotly, Table as HTML/Markdown, anything else as text). Lowercase to match Jupyter's display().</summary>
#pragma warning disable IDE1006 // notebook convention: display(x)
    public DisplayedValue display(object? value)
#pragma warning restore IDE1006
    {
        var shown = new DisplayedValue(_session, "display-" + Guid.NewGuid().ToString("N"));
        if (value is not null) _session.Collector?.Add(new DisplayOutput(value, IsResult: false, shown.DisplayId));
        return shown;
    }

    /// <summary>HTML to display (as in .NET Interactive): <c>HTML("&lt;b&gt;bold&lt;/b&gt;")</c> as a
    /// cell's result or passed to display().</summary>
#pragma warning disable CA1822 // an instance member, so cells call it without a prefix
    public HtmlString HTML(string html) => new(html);

    /// <summary>JavaScript for the front end to run (as in .NET Interactive): <c>Javascript("console.log(1)")</c>.</summary>
    public JavascriptCode Javascript(string code) => new(code);
#pragma warning restore CA1822

    /// <summary>Clears this cell's outputs so far (Jupyter's clear_output); with
    /// <paramref name="wait"/>, only when the next output arrives, so a progress display does not flicker.</summary>
#pragma warning disable IDE1006 // notebook convention: clear_output()
    public void clear_output(bool wait = false)
#pragma warning restore IDE1006
    {
        _session.Collector?.Add(new ClearOutput(wait));
    }
}
