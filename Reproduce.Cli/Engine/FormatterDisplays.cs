using Microsoft.DotNet.Interactive.Formatting;

namespace Reproduce.Cli.Engine;

/// <summary>Routes what .NET Interactive's display extensions publish (<c>x.Display("text/html")</c>,
/// <c>DisplayAs</c>, <c>DisplayTable</c>, and <c>Update</c> on the handles they return) into the running
/// cell's outputs. A value shown with its type's default MIME types that the engine renders itself
/// (figures, tables of this library) keeps the engine's rendering.</summary>
internal static class FormatterDisplays
{
    private static int _started;

    public static void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0) Formatter.SubscribeToDisplayedValues(OnDisplayed);
    }

    private static void OnDisplayed(Microsoft.DotNet.Interactive.Formatting.DisplayedValue shown)
    {
        var collector = ExecutionSession.Running?.Collector;
        if (collector is null) return; // displayed outside a cell (a background thread after it ended)
        object value = Preformatted(shown) ? new PreformattedBundle(shown.FormattedValues.Select(f => KeyValuePair.Create(f.MimeType, f.Value))) : shown.Value!;
        collector.Add(shown.IsUpdated ? new UpdateDisplayOutput(value, shown.DisplayId) : new DisplayOutput(value, IsResult: false, shown.DisplayId));
    }

    private static bool Preformatted(Microsoft.DotNet.Interactive.Formatting.DisplayedValue shown)
    {
        if (shown.Value is null) return true;
        if (FormatterBundle.TryRender(shown.Value) is not null) return true;
        var defaults = Formatter.GetPreferredMimeTypesFor(shown.Value.GetType());
        return !shown.FormattedValues.Select(f => f.MimeType).ToHashSet(StringComparer.Ordinal).SetEquals(defaults);
    }
}
