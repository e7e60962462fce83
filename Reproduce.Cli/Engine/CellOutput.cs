namespace Reproduce.Cli.Engine;

/// <summary>One output of a cell, in the order it happened. The runner turns these into nbformat
/// outputs; a Jupyter kernel turns them into iopub messages.</summary>
public abstract record CellOutput;

/// <summary>Text written to Console.Out ("stdout") or Console.Error ("stderr").</summary>
public sealed record StreamOutput(string Name, string Text) : CellOutput;

/// <summary>A displayed object: from <c>display(x)</c> (<see cref="IsResult"/> false) or the
/// cell's last expression (<see cref="IsResult"/> true).</summary>
/// <see cref="DisplayId"/> names an updatable display (<c>DisplayedValue.Update</c>).
public sealed record DisplayOutput(object Value, bool IsResult, string? DisplayId = null) : CellOutput;

/// <summary>A new value for the display named <see cref="DisplayId"/> (Jupyter's update_display_data).</summary>
public sealed record UpdateDisplayOutput(object Value, string DisplayId) : CellOutput;

/// <summary>An error: exception type name, message, and traceback lines (the first names the cell, line and column).</summary>
public sealed record ErrorOutput(string EName, string EValue, IReadOnlyList<string> Traceback) : CellOutput;

/// <summary>A request to clear the cell's outputs so far (Jupyter's clear_output); with
/// <see cref="Wait"/>, they are cleared when the next output arrives (no flicker).</summary>
public sealed record ClearOutput(bool Wait) : CellOutput;
