using System.Text.Json.Nodes;

namespace Reproduce.Cli.Engine;

/// <summary>A value that knows its own MIME bundle (HTML(...), #!markdown cells); displayed as is.</summary>
public interface IMimeBundle
{
    JsonObject ToMimeBundle();
}

/// <summary>Markdown to display (a <c>#!markdown</c> cell): text/markdown with the source as text/plain.</summary>
public sealed record MarkdownText(string Markdown) : IMimeBundle
{
    public JsonObject ToMimeBundle() => new() { ["text/markdown"] = Markdown, ["text/plain"] = Markdown };

    public override string ToString() => Markdown;
}

/// <summary>HTML to display, from <c>HTML("...")</c> as in .NET Interactive: text/html, with the
/// markup as text/plain for front ends that cannot show HTML.</summary>
public sealed record HtmlString(string Html, string? Text = null) : IMimeBundle
{
    public JsonObject ToMimeBundle() => new() { ["text/html"] = Html, ["text/plain"] = Text ?? Html };

    public override string ToString() => Html;
}

/// <summary>The MIME bundle of any displayed value: its own for <see cref="IMimeBundle"/>, else a
/// formatter the notebook registered or a .NET Interactive formatting type's (<see cref="FormatterBundle"/>),
/// else <see cref="MimeRenderer"/>'s.</summary>
public static class DisplayBundle
{
    public static JsonObject Of(object value, NotebookDisplay? display = null) =>
        value is IMimeBundle b ? b.ToMimeBundle() : FormatterBundle.TryRender(value) ?? MimeRenderer.Render(value, display);
}
