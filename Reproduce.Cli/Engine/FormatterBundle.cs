using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Html;
using Microsoft.DotNet.Interactive.Formatting;

namespace Reproduce.Cli.Engine;

/// <summary>Bundles from .NET Interactive's <see cref="Formatter"/> (the Microsoft.DotNet.Interactive.Formatting
/// package), for notebooks written for .NET Interactive: a formatter the notebook registered
/// (<c>Formatter.Register&lt;T&gt;(…, "text/html")</c>) wins over every built-in rendering, and the
/// package's own types (PocketView, LaTeXString, tabular data) and IHtmlContent render in their
/// preferred MIME types. Anything else is left to <see cref="MimeRenderer"/>.</summary>
internal static class FormatterBundle
{
    /// <summary>The bundle, or null when neither a registered formatter nor a formatting type applies.</summary>
    public static JsonObject? TryRender(object value)
    {
        var type = value.GetType();
        var mimes = Formatter.RegisteredFormatters(includeDefaults: false)
            .Where(f => f.Type.IsAssignableFrom(type) || (type.IsGenericType && f.Type == type.GetGenericTypeDefinition()))
            .Select(f => f.MimeType)
            .ToList();
        bool own = type.Assembly == typeof(Formatter).Assembly || value is IHtmlContent;
        if (mimes.Count == 0 && !own) return null;
        if (own) mimes.AddRange(Formatter.GetPreferredMimeTypesFor(type));
        var bundle = new JsonObject();
        foreach (var mime in mimes.Distinct(StringComparer.Ordinal)) bundle[mime] = Formatter.ToDisplayString(value, mime);
        if (!bundle.ContainsKey("text/plain")) bundle["text/plain"] = own ? value.ToString() : MimeRenderer.PlainText(value);
        return bundle;
    }
}
