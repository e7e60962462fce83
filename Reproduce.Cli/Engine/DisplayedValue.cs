namespace Reproduce.Cli.Engine;

/// <summary>What display(x) and x.Display() return, as in .NET Interactive: a handle on the shown
/// output that <see cref="Update"/> replaces in place (Jupyter's update_display_data). As a cell's
/// last expression it shows nothing more (the value is already displayed).</summary>
public sealed class DisplayedValue
{
    private readonly ExecutionSession _session;

    internal DisplayedValue(ExecutionSession session, string displayId)
    {
        _session = session;
        DisplayId = displayId;
    }

    /// <summary>The display_id of the output.</summary>
    public string DisplayId { get; }

    /// <summary>Shows <paramref name="value"/> in place of what this display showed.</summary>
    public void Update(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _session.Collector?.Add(new UpdateDisplayOutput(value, DisplayId));
    }
}
